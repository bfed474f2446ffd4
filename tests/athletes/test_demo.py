"""The demo athletes: 25 from the athletes demo plus Zhou Jiamin (周佳敏), whom the
competitions demo adds by name for her Rio medal (26 in all); archery-heavy, every stage, screenings over three years, one
classification review due next month; loading twice adds nothing."""

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from app.athletes.enums import ClassificationStatus, Stage
from app.athletes.models import Assessment, AthleteProfile, Classification
from app.core import clock
from app.demo import load_demo
from app.extensions import db


def test_demo_athletes(demo):
    athletes = list(db.session.scalars(sa.select(AthleteProfile)))
    assert len(athletes) == 26  # 25 fictional athletes and 周佳敏 (app/competitions/demo.py)
    stages = Counter(a.stage for a in athletes)
    assert set(stages) == set(Stage)
    sports = Counter(a.primary_sport.code for a in athletes)
    assert sports.most_common(1)[0] == ("archery", 18)
    coach_names = Counter(c.username for a in athletes for c in a.coaches)
    assert coach_names["coach"] >= 18
    today = clock.today()
    due = db.session.scalars(
        sa.select(Classification).where(
            Classification.status == ClassificationStatus.REVIEW_BY_DATE
        )
    ).all()
    assert [c.review_on for c in due] == [today + timedelta(days=35)]
    first = db.session.scalar(
        sa.select(sa.func.min(Assessment.assessed_on)).where(
            Assessment.athlete.has(AthleteProfile.stage == Stage.SQUAD)
        )
    )
    assert first <= today - timedelta(days=2 * 365)
    load_demo()
    assert db.session.scalar(sa.select(sa.func.count(AthleteProfile.id))) == 26
