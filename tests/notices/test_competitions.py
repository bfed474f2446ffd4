"""A competition event moved: its entrants and their support people are told; a withdrawn
entry's athlete is not."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.notices.models import Notice
from tests.notices.conftest import at


def test_a_moved_event_tells_its_entrants_and_support_people(
    contact_person, make_competition, make_event, make_athlete, enter
):
    from app.competitions import services

    athlete_person = contact_person(email="athlete@example.cn")
    guide = contact_person(email="guide@example.cn")
    competition = make_competition(start_on=date(2026, 12, 10))
    event = make_event(competition, starts_at=at(10, 9), ends_at=at(10, 11))
    athlete = make_athlete(person=athlete_person)
    entry = enter(event, athlete, result=False)
    from app.competitions.models import EntrySupport

    db.session.add(EntrySupport(entry_id=entry.id, role="guide", person_id=guide.id))
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notice)) == 0

    data = {
        "name": event.name, "sport_id": event.sport_id, "gender": event.gender.value,
        "sport_class": event.sport_class, "is_team": False,
        "starts_at": at(11, 14), "ends_at": at(11, 16), "venue_id": None,
    }  # fmt: skip
    services.update_event(event, data, version=event.version)
    db.session.commit()
    rows = db.session.scalars(sa.select(Notice).order_by(Notice.address)).all()
    assert [(n.address, n.change.value, n.subject_kind) for n in rows] == [
        ("athlete@example.cn", "moved", "competition_event"),
        ("guide@example.cn", "moved", "competition_event"),
    ]
    assert "时间：2026-12-11 14:00–16:00" in rows[0].body_text
    assert "原安排：2026-12-10 09:00–11:00" in rows[0].body_text
