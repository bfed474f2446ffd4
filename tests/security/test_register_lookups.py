"""Adversary: register look-ups by number and birth date (issue 13 item 2) attacked through
the routes: every look-up is in the audit log, whatever becomes of the rest of the request."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.extensions import db
from app.homes.models import Membership


def _home(make_venue, staff):
    from app.core.reference import ensure_towns
    from app.homes import services

    towns = ensure_towns(db.session)
    home = services.create_home(
        {
            "name": "Adversary home",
            "kind": "sunshine_home",
            "town_id": towns[0].id,
            "address": "Test road 1",
            "venue_id": make_venue(kind="sunshine_home").id,
            "operator": "Test operator",
            "capacity": 50,
            "opened_on": date(2018, 1, 1),
            "contact": "",
        },
        ["day_care"],
        [staff.id],
    )
    db.session.commit()
    return home


def _member_data(number, birth, joined=date(2026, 11, 2)):
    return {
        "person_number": str(number),
        "birth_on-year": str(birth.year),
        "birth_on-month": str(birth.month),
        "birth_on-day": str(birth.day),
        "joined_on-year": str(joined.year),
        "joined_on-month": str(joined.month),
        "joined_on-day": str(joined.day),
        "services": ["day_care"],
    }


def _lookups():
    db.session.expire_all()
    return db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.entity_id)
        .where(AuditEvent.action.like("register_lookup%"))
        .order_by(AuditEvent.id)
    ).all()


def test_a_matching_lookup_refused_later_in_the_request_is_still_audited(
    client, login_as, make_user, make_person, make_venue
):
    """Home staff name the right person with a joining date before the home opened: the
    look-up matched (the answer is the date's error, not the look-up's), the request is
    rolled back, and the matching look-up must not vanish from the audit log with it."""
    staff = make_user("home_staff")
    home = _home(make_venue, staff)
    person = make_person()
    login_as(user=staff)
    response = client.post(
        f"/homes/{home.id}/members/new",
        data=_member_data(person.id, person.birth_on, joined=date(2017, 5, 1)),
    )
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 0
    assert _lookups() == [("register_lookup", person.id)]
