# ruff: noqa: F811 (the competitions and athletes fixtures are imported as fixtures)
"""Adversary: register look-ups by number and birth date (issue 13 item 2) attacked through
the routes: every look-up is in the audit log, whatever becomes of the rest of the request."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.extensions import db
from app.homes.models import Membership
from tests.competitions.conftest import (  # noqa: F401
    _english,
    make_athlete,
    make_competition,
    make_event,
    make_user,
    sports,
)


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


# --- one ration across routes: the register's look-ups and the results import --------------

WORLD = "世界残疾人射箭锦标赛（北京）"
EVENT = "女子反曲弓（公开级）"
HEADER = "competition,event,athlete,birth date,team,rank,mark,status,medal"


@pytest.fixture
def arena(make_user, make_competition, make_event, make_athlete, make_person):
    """A coach who manages a competition (so may record any athlete in it, and names them by
    name and birth date) and someone else's athlete."""
    coach = make_user("coach")
    theirs = make_athlete(
        coaches=[make_user("coach")], person=make_person(name="王芳", birth_on=date(1988, 3, 14))
    )
    make_event(make_competition(name=WORLD, manager_id=coach.id), name=EVENT)
    return coach, theirs


def _import_rows(user, born):
    from app.competitions import imports

    data = "\n".join([HEADER, f"{WORLD},{EVENT},王芳,{born.isoformat()},,,,DNS,"])
    rows = imports.check_rows(data.encode("utf-8-sig"), user)
    imports.keep_lookup(rows)
    return [[str(e) for e in row.errors] for row in rows]


def _fail_register_lookups(user, number, times):
    from app.core.errors import DomainError
    from app.people import lookup

    for day in range(1, times + 1):
        with pytest.raises(DomainError) as refused:
            lookup.find_person(
                number,
                date(1988, 1, day),
                actor=user,
                purpose="athlete_proposal",
                message="no",
                field="register_number",
            )
        db.session.add_all(refused.value.keep)
        db.session.commit()


def test_the_import_does_not_give_a_second_ration_after_the_register(arena):
    """Five failed register look-ups of a person by the coach (proposing athletes), then the
    results import: the true birth date of that athlete is refused like any guess."""
    coach, theirs = arena
    _fail_register_lookups(coach, theirs.person_id, 5)
    assert _import_rows(coach, date(1988, 3, 14)) == [
        ["No athlete you may record is called 王芳 with the birth date given."]
    ]


def test_the_import_does_not_give_a_person_a_second_ration(arena, make_user):
    """Five failed register look-ups of one person (by five users): the person's ration is
    spent, in the results import as well."""
    coach, theirs = arena
    for _ in range(5):
        _fail_register_lookups(make_user("coach"), theirs.person_id, 1)
    assert _import_rows(coach, date(1988, 3, 14)) == [
        ["No athlete you may record is called 王芳 with the birth date given."]
    ]


def test_register_lookups_count_the_import_failures(arena, make_person, make_user):
    """Five failed import rows by the coach: the register look-up is spent too."""
    from app.core.errors import DomainError
    from app.people import lookup

    coach, theirs = arena
    for day in range(1, 6):
        assert _import_rows(coach, date(1988, 1, day))[0]
    other = make_person()
    with pytest.raises(DomainError):
        lookup.find_person(
            other.id,
            other.birth_on,
            actor=coach,
            purpose="athlete_proposal",
            message="no",
            field="register_number",
        )
    # ... and the athlete's: another user's true answer is refused.
    with pytest.raises(DomainError):
        lookup.find_person(
            theirs.person_id,
            date(1988, 3, 14),
            actor=make_user("coach"),
            purpose="athlete_proposal",
            message="no",
            field="register_number",
        )


def test_a_sweep_spread_over_users_is_counted_per_guess(
    arena, make_user, make_competition, make_event
):
    """Four managers of competitions each send a file of five wrong birth dates for 王芳
    (twenty guesses): the athlete's ration is spent, so a fifth's true date is refused."""
    _coach, _theirs = arena
    for n in range(5):
        manager = make_user("coach")
        name = f"{WORLD}{n}"
        make_event(make_competition(name=name, manager_id=manager.id), name=EVENT)
        if n == 4:
            break
        lines = [f"{name},{EVENT},王芳,1988-01-{day:02d},,,,DNS," for day in range(1, 6)]
        from app.competitions import imports

        rows = imports.check_rows("\n".join([HEADER, *lines]).encode("utf-8-sig"), manager)
        imports.keep_lookup(rows)
    from app.competitions import imports

    late = imports.check_rows(
        "\n".join([HEADER, f"{name},{EVENT},王芳,1988-03-14,,,,DNS,"]).encode("utf-8-sig"),
        manager,
    )
    assert [[str(e) for e in r.errors] for r in late] == [
        ["No athlete you may record is called 王芳 with the birth date given."]
    ]
