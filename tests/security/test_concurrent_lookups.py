# ruff: noqa: F811 (the competitions and athletes fixtures are imported as fixtures)
"""Adversary: register look-ups sent in parallel (issue 13 item 2). A failed look-up must be
counted before the same user's next look-up is judged, however the requests overlap;
otherwise a burst of simultaneous guesses (several workers) all read the count of before the
burst and the ration of FAILED_PER_DAY a day holds only for one request at a time.

Real concurrent sessions on PostgreSQL (two threads, each its own application context,
session and connection), as tests/security/test_concurrent_bookings.py. The first thread's
failed look-up is still finishing its request (its transaction open) when the second asks."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.core import audit, clock
from app.core.audit import AuditEvent
from app.core.errors import DomainError
from app.extensions import db
from app.people import lookup
from tests.competitions.conftest import (  # noqa: F401
    _english,
    make_athlete,
    make_competition,
    make_event,
    make_user,
    sports,
)

HOLD_SECONDS = 1.0


@pytest.fixture
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's single writer: two look-ups do not overlap")


def _find(app, user_id: int, number: int, born: date, *, judged=None, hold=0.0) -> str:
    """A look-up as a route makes it (core.editing.save: rollback, then the kept failure
    committed); ``hold``: the request takes that long to finish after the look-up."""
    from app.accounts.models import User

    with app.test_request_context():
        try:
            user = db.session.get(User, user_id)
            try:
                lookup.find_person(
                    number, born, actor=user, purpose="athlete_proposal", message="no", field="f"
                )
            except DomainError as error:
                if judged is not None:
                    judged.set()
                time.sleep(hold)
                db.session.rollback()
                db.session.add_all(error.keep)
                db.session.commit()
                return "refused"
            db.session.commit()
            return "found"
        finally:
            if judged is not None:
                judged.set()
            db.session.remove()


def test_a_failed_lookup_is_counted_before_the_next_one_is_judged(
    app, postgresql_only, make_user, make_person
):
    guesser = make_user("coach")
    person = make_person(birth_on=date(1990, 4, 1))
    since = clock.now() - timedelta(hours=1)
    for n in range(lookup.FAILED_PER_DAY - 1):  # four failures already today
        event = audit.record(lookup.FAILED, "person", 900_000 + n, actor=guesser)
        event.occurred_at = since
    db.session.commit()
    guesser_id, number = guesser.id, person.id

    judged, outcome = threading.Event(), {}

    def first():
        outcome["first"] = _find(
            app, guesser_id, number, date(1990, 4, 2), judged=judged, hold=HOLD_SECONDS
        )

    def second():
        judged.wait(10)
        outcome["second"] = _find(app, guesser_id, number, date(1990, 4, 1))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    # The fifth failure is the first's: the sixth look-up, the true date, is refused.
    assert outcome == {"first": "refused", "second": "refused"}
    db.session.expire_all()
    failed = db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == lookup.FAILED)
    )
    assert failed == lookup.FAILED_PER_DAY + 1  # each failure logged once


WORLD = "世界残疾人射箭锦标赛（北京）"
EVENT = "女子反曲弓（公开级）"
HEADER = "competition,event,athlete,birth date,team,rank,mark,status,medal"


def _import(app, user_id: int, born: date, *, judged=None, hold=0.0) -> str:
    """The results import's preview as the route makes it: check the rows, then keep the
    look-ups' audit row; ``hold``: the request takes that long after the check."""
    from app.accounts.models import User
    from app.competitions import imports

    data = "\n".join([HEADER, f"{WORLD},{EVENT},王芳,{born.isoformat()},,,,DNS,"])
    with app.test_request_context():
        try:
            rows = imports.check_rows(data.encode("utf-8-sig"), db.session.get(User, user_id))
            if judged is not None:
                judged.set()
            time.sleep(hold)
            db.session.rollback()
            imports.keep_lookup(rows)
            return "refused" if rows[0].errors else "found"
        finally:
            if judged is not None:
                judged.set()
            db.session.remove()


def test_an_import_row_is_counted_before_the_next_lookup_is_judged(
    app, postgresql_only, make_user, make_person, make_athlete, make_competition, make_event
):
    manager = make_user("coach")
    theirs = make_athlete(
        coaches=[make_user("coach")], person=make_person(name="王芳", birth_on=date(1988, 3, 14))
    )
    make_event(make_competition(name=WORLD, manager_id=manager.id), name=EVENT)
    since = clock.now() - timedelta(hours=1)
    for _ in range(lookup.FAILED_PER_DAY - 1):  # four failed look-ups of 王芳 today
        event = audit.record(lookup.FAILED, "person", theirs.person_id, actor=None)
        event.occurred_at = since
    db.session.commit()
    manager_id, number = manager.id, theirs.person_id
    judged, outcome = threading.Event(), {}

    def first():
        outcome["first"] = _import(
            app, manager_id, date(1988, 1, 1), judged=judged, hold=HOLD_SECONDS
        )

    def second():
        judged.wait(10)
        outcome["second"] = _find(app, make_user_id, number, date(1988, 3, 14))

    make_user_id = make_user("coach").id
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert outcome == {"first": "refused", "second": "refused"}
