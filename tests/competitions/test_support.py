"""An entry's support people (issue 13 item 2, issue 12 item 6, issue 19 item 15): a register
person is named by number and birth date through app.people.lookup (rationed, audited, one
answer for every failure); support people are shown on the event's entry list, the entry page
and the athlete's results to staff, never with the person's disability category."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.competitions.models import Entry, EntrySupport
from app.core.audit import AuditEvent
from app.extensions import db
from app.people.lookup import FAILED_PER_DAY

NOT_FOUND = "No person in the register has this register number and birth date."


@pytest.fixture
def scene(make_user, make_competition, make_event, make_person, make_athlete):
    manager = make_user("coach")
    competition = make_competition(name="City Games", manager_id=manager.id)
    return {
        "manager": manager,
        "competition": competition,
        "event": make_event(competition),
        "helper": make_person(name="向导甲", birth_on=date(1980, 5, 17)),
        "athlete": make_athlete(),
    }


def by_register(athlete, person_id, birth_on: date, **overrides):
    data = {
        "athlete_ids": [str(athlete.id)],
        "status": "nominated",
        "support_role": "guide",
        "support_register_number": str(person_id),
        "support_birth_on-year": str(birth_on.year),
        "support_birth_on-month": str(birth_on.month),
        "support_birth_on-day": str(birth_on.day),
    }
    data.update(overrides)
    return data


def lookups():
    return db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.details)
        .where(AuditEvent.action.like("register_lookup%"))
        .order_by(AuditEvent.id)
    ).all()


def test_support_lookup_is_rationed_and_audited(client, login_as, scene):
    login_as(user=scene["manager"])
    helper, url = scene["helper"], f"/competitions/events/{scene['event'].id}/entries/new"
    for day in range(1, FAILED_PER_DAY + 1):
        response = client.post(
            url, data=by_register(scene["athlete"], helper.id, date(1980, 1, day))
        )
        assert response.status_code == 422
        assert NOT_FOUND in response.get_data(as_text=True)
    # The right birth date now gets the same answer: the number is locked for the day.
    response = client.post(url, data=by_register(scene["athlete"], helper.id, date(1980, 5, 17)))
    assert response.status_code == 422
    assert NOT_FOUND in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Entry.id))) == 0
    rows = lookups()
    assert [(action, entity) for action, entity, _ in rows] == [
        ("register_lookup_failed", helper.id)
    ] * (FAILED_PER_DAY + 1)
    assert {details["purpose"] for _, _, details in rows} == {"entry_support"}


def test_support_found_is_audited(client, login_as, scene):
    login_as(user=scene["manager"])
    helper = scene["helper"]
    response = client.post(
        f"/competitions/events/{scene['event'].id}/entries/new",
        data=by_register(scene["athlete"], helper.id, date(1980, 5, 17)),
    )
    assert response.status_code == 303
    assert db.session.scalar(sa.select(EntrySupport.person_id)) == helper.id
    assert [(a, e, d["purpose"]) for a, e, d in lookups()] == [
        ("register_lookup", helper.id, "entry_support")
    ]
