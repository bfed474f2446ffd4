"""Naming a register person by number and birth date (issue 13 item 2): one answer for every
failure, failed look-ups rationed per user and per number, every look-up in the audit log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.core.errors import DomainError
from app.extensions import db
from app.people.lookup import FAILED_PER_DAY, find_person

MESSAGE = "No current person in the register has this number and date of birth."


def look(person_or_number, birth_on, actor, refuse=None):
    number = getattr(person_or_number, "id", person_or_number)
    try:
        return find_person(
            number,
            birth_on,
            actor=actor,
            purpose="troupe_member",
            message=MESSAGE,
            field="person_id",
            refuse=refuse,
        )
    except DomainError as error:
        # As core.editing.save does: roll back, keep the refusal's audit row.
        db.session.rollback()
        db.session.add_all(error.keep)
        db.session.commit()
        return str(error.message)


def actions() -> list[tuple[str, int | None]]:
    return db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.entity_id).order_by(AuditEvent.id)
    ).all()


def test_every_failure_gives_the_same_answer(make_person, make_user):
    coach = make_user("coach")
    person = make_person(birth_on=date(1990, 5, 17))
    archived = make_person(birth_on=date(1991, 1, 1))
    archived.is_archived = True
    db.session.commit()
    answers = {
        "wrong date": look(person, date(1990, 5, 18), coach),
        "no date": look(person, None, coach),
        "no such number": look(999_999, date(1990, 5, 17), coach),
        "20 digits": look("9" * 20, date(1990, 5, 17), coach),
        "archived": look(archived, date(1991, 1, 1), coach),
        "refused by the caller": look(person, date(1990, 5, 17), coach, refuse=lambda p: True),
    }
    assert set(answers.values()) == {MESSAGE}


def test_a_found_person_and_every_lookup_is_audited(make_person, make_user):
    coach = make_user("coach")
    person = make_person(birth_on=date(1990, 5, 17))
    look(person, date(1999, 1, 1), coach)
    found = look(person, date(1990, 5, 17), coach)
    db.session.commit()
    assert found.id == person.id
    rows = [row for row in actions() if row[0].startswith("register_lookup")]
    assert rows == [("register_lookup_failed", person.id), ("register_lookup", person.id)]


def test_failed_lookups_are_rationed_per_user(make_person, make_user, frozen_clock):
    guesser, colleague = make_user("coach"), make_user("coach")
    person = make_person(birth_on=date(1990, 5, 17))
    others = [make_person() for _ in range(FAILED_PER_DAY)]
    for other in others:  # five wrong guesses, each at another number
        assert look(other, date(1900, 1, 1), guesser) == MESSAGE
    # Now even the right answer is refused to this user, not to a colleague.
    assert look(person, date(1990, 5, 17), guesser) == MESSAGE
    assert look(person, date(1990, 5, 17), colleague).id == person.id
    frozen_clock.advance(timedelta(days=1, minutes=1))
    assert look(person, date(1990, 5, 17), guesser).id == person.id


def test_failed_lookups_are_rationed_per_number(make_person, make_user, frozen_clock):
    person = make_person(birth_on=date(1990, 5, 17))
    guessers = [make_user("coach") for _ in range(FAILED_PER_DAY)]
    for day, guesser in enumerate(guessers, start=1):  # a sweep spread over five accounts
        assert look(person, date(1990, 1, day), guesser) == MESSAGE
    newcomer = make_user("home_staff")
    assert look(person, date(1990, 5, 17), newcomer) == MESSAGE
    frozen_clock.advance(timedelta(days=1, minutes=1))
    assert look(person, date(1990, 5, 17), newcomer).id == person.id


@pytest.mark.parametrize("value", [True, -1, 0, "", "abc", "²", 2**31])
def test_odd_numbers_name_no_one(make_user, value):
    assert look(value, date(1990, 5, 17), make_user("coach")) == MESSAGE
