"""The demo: the report's 59 performances of 2017–2021 with exactly 4,586 beneficiaries, a
troupe from the register, upcoming performances with one overridden clash; idempotent."""

from datetime import date

import sqlalchemy as sa

from app.demo import load_demo
from app.extensions import db
from app.performances.enums import PerformanceStatus, Setting
from app.performances.models import (
    ClashOverride,
    Performance,
    PerformanceReschedule,
    Troupe,
)
from app.performances.stats import statistics


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_performances(demo):
    done = sa.select(Performance).where(Performance.status == PerformanceStatus.DONE)
    held = db.session.scalars(done).all()
    assert len(held) == 59
    assert {p.held_on.year for p in held} == {2017, 2018, 2019, 2020, 2021}
    assert sum(p.beneficiaries for p in held) == 4586
    stats = statistics(date(2017, 1, 1), date(2021, 12, 31))
    assert (stats.totals.performances, stats.totals.beneficiaries) == (59, 4586)
    by_setting = {row.key: row.performances for row in stats.by_setting}
    # Workshops and village auditoriums most.
    top_two = sorted(by_setting, key=by_setting.get, reverse=True)[:2]
    assert set(top_two) == {Setting.WORK_THERAPY_WORKSHOP, Setting.VILLAGE}
    assert len(by_setting) >= 6
    troupe = db.session.scalars(sa.select(Troupe)).one()
    assert len(troupe.members) >= 8
    upcoming = db.session.scalars(
        sa.select(Performance).where(Performance.held_on > date(2026, 11, 29))
    ).all()
    assert {p.status for p in upcoming} >= {PerformanceStatus.PLANNED, PerformanceStatus.CONFIRMED}
    assert count(ClashOverride) == 1
    assert count(PerformanceReschedule) == 1

    before = {m: count(m) for m in (Performance, Troupe, ClashOverride, PerformanceReschedule)}
    load_demo()
    assert {m: count(m) for m in before} == before
