"""Two organisers booking the same venue, or the same person, at the same moment (issue 13
item 9: 4 of 8 simultaneous rounds both saved). Each save takes a PostgreSQL advisory
transaction lock per venue and per person before its clash check, so the second waits for
the first to commit and then sees its booking: one saves, the other is told of the clash.

Real concurrent sessions: two threads, each with its own application context, session and
database connection. The first saves and holds its transaction open; the second saves
meanwhile. On SQLite the database's single writer serialises saves (and two connections to
one file cannot hold write transactions side by side), so these tests run on PostgreSQL (the
CI's PostgreSQL run) and are skipped on SQLite."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.performances.models import Performance
from tests.performances.conftest import at, make_programme, organiser  # noqa: F401

HOLD_SECONDS = 1.0


@pytest.fixture
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite's single writer serialises saves")


def values(programme_id: int, venue_id: int, start, end, person_ids=()) -> dict:
    return {
        "title": "Concurrent show",
        "programme_id": programme_id,
        "troupe_id": None,
        "setting": "village",
        "venue_id": venue_id,
        "starts_at": start,
        "ends_at": end,
        "status": "confirmed",
        "is_public": True,
        "needs": [],
        "people": [
            {"person_id": pid, "role": "performer", "uses_wheelchair": False} for pid in person_ids
        ],
    }


def race(app, first: dict, second: dict) -> dict:
    """The first thread saves ``first`` and holds its transaction open for HOLD_SECONDS; the
    second saves ``second`` once the first has flushed. What each answered."""
    from app.performances import services

    flushed = threading.Event()
    outcome: dict = {}

    def run(name: str, data: dict, hold: bool):
        with app.test_request_context():
            try:
                if not hold:
                    flushed.wait(10)
                services.save_performance(None, data)
                db.session.flush()
                if hold:
                    flushed.set()
                    time.sleep(HOLD_SECONDS)
                db.session.commit()
                outcome[name] = "saved"
            except services.ClashError as error:
                db.session.rollback()
                outcome[name] = ("clash", [c.booking.kind for c in error.clashes])
            except Exception as error:  # the test reports it
                db.session.rollback()
                outcome[name] = repr(error)
            finally:
                flushed.set()
                db.session.remove()

    threads = [
        threading.Thread(target=run, args=("first", first, True)),
        threading.Thread(target=run, args=("second", second, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcome


def test_two_organisers_cannot_double_book_a_venue(
    app,
    postgresql_only,
    make_programme,  # noqa: F811
    make_venue,
):
    programme, venue = make_programme(), make_venue()
    outcome = race(
        app,
        values(programme.id, venue.id, at(3, 14), at(3, 16)),
        values(programme.id, venue.id, at(3, 15), at(3, 17)),
    )
    assert outcome == {"first": "saved", "second": ("clash", ["performance"])}
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Performance.id))) == 1


def test_two_organisers_cannot_double_book_a_person(
    app,
    postgresql_only,
    make_programme,  # noqa: F811
    make_venue,
    make_person,
):
    programme, person = make_programme(), make_person()
    outcome = race(
        app,
        values(programme.id, make_venue().id, at(3, 14), at(3, 16), [person.id]),
        values(programme.id, make_venue().id, at(3, 15), at(3, 17), [person.id]),
    )
    assert outcome == {"first": "saved", "second": ("clash", ["performance"])}


def test_bookings_of_other_venues_and_people_do_not_wait(
    app,
    postgresql_only,
    make_programme,  # noqa: F811
    make_venue,
):
    programme = make_programme()
    started = time.monotonic()
    outcome = race(
        app,
        values(programme.id, make_venue().id, at(3, 14), at(3, 16)),
        values(programme.id, make_venue().id, at(3, 14), at(3, 16)),
    )
    assert outcome == {"first": "saved", "second": "saved"}
    assert time.monotonic() - started < HOLD_SECONDS * 3
