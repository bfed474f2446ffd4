"""Notices benchmark: one cancellation that affects PEOPLE people (default 2,000, each with an
e-mail address and contact consent) queues its notices in the change's transaction; prints the
time and the SQL statements of that commit (calendar sync included), then how fast one worker
sends them to a local SMTP server (aiosmtpd, in-process; ``BENCH_SEND=n`` sends only n), then
the day-before reminders of the same performance for the same people (``flask notices remind``).

    .venv/bin/python -m bench.notices
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python -m bench.notices
"""

from __future__ import annotations

import os
import socket
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app import create_app
from app.core import clock
from app.extensions import db
from bench._util import queries

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "2000"))
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # Tuesday 11:00 Beijing


def seed() -> int:
    from app.core.reference import ensure_towns
    from app.people.models import Consent, Person
    from app.performances.models import Performance, PerformancePerson, Programme
    from app.venues.models import Venue

    towns = ensure_towns(db.session)
    venue = Venue(
        name="剧场", kind="cultural_auditorium", town_id=towns[0].id, address="示例路 1 号"
    )
    programme = Programme(name="五个一", first_year=2017)
    db.session.add_all([venue, programme])
    db.session.flush()
    conn = db.session.connection()
    conn.execute(
        sa.insert(Person),
        [
            {"id": i, "name": f"演员{i}", "name_pinyin": f"y{i:05d}", "gender": "female",
             "birth_on": date(1990, 1, 1), "town_id": towns[i % 12].id,
             "email": f"p{i}@example.cn"}
            for i in range(1, PEOPLE + 1)
        ],
    )  # fmt: skip
    conn.execute(
        sa.insert(Consent),
        [
            {"person_id": i, "kind": "contact", "given_on": date(2026, 1, 1), "given_by": "self",
             "notice_version": "bench"}
            for i in range(1, PEOPLE + 1)
        ],
    )  # fmt: skip
    performance = Performance(
        programme_id=programme.id, title="巡演", setting="community", venue_id=venue.id,
        starts_at=NOW + timedelta(days=10), ends_at=NOW + timedelta(days=10, hours=2),
        held_on=date(2026, 12, 11), status="confirmed",
    )  # fmt: skip
    db.session.add(performance)
    db.session.flush()
    conn.execute(
        sa.insert(PerformancePerson),
        [
            {"performance_id": performance.id, "person_id": i, "role": "performer"}
            for i in range(1, PEOPLE + 1)
        ],
    )
    db.session.commit()
    return performance.id


def main() -> None:
    from aiosmtpd.controller import Controller

    from app.notices import worker
    from app.notices.models import Notice
    from app.performances.models import Performance

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        with app.app_context(), clock.freeze(NOW, tick=True):
            db.drop_all()
            db.create_all()
            performance_id = seed()
            performance = db.session.get(Performance, performance_id)
            from app.notices import outbox

            spent = []
            queue = outbox.queue

            def timed_queue(*args, **kwargs):
                started = time.perf_counter()
                try:
                    with queries() as own:
                        return queue(*args, **kwargs)
                finally:
                    spent.append(((time.perf_counter() - started) * 1000, len(own)))

            outbox.queue = timed_queue
            with queries() as statements:
                started = time.perf_counter()
                performance.status = "cancelled"
                db.session.commit()
                elapsed = (time.perf_counter() - started) * 1000
            queued = db.session.scalar(sa.select(sa.func.count()).select_from(Notice))
            outbox.queue = queue
            print(
                f"cancellation of a performance with {PEOPLE} people: {queued} notices queued "
                f"by {spent[0][1]} statements in {spent[0][0]:.0f} ms; the whole commit "
                f"(calendar sync of {PEOPLE} personal feeds included): {len(statements)} "
                f"statements, {elapsed:.0f} ms"
            )

            class Sink:
                received = 0

                async def handle_DATA(self, server, session, envelope):  # noqa: N802
                    Sink.received += 1
                    return "250 OK"

            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            controller = Controller(Sink(), hostname="127.0.0.1", port=port)
            controller.start()
            app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
            try:
                clock_handle = clock.freeze(NOW + timedelta(minutes=11), tick=True)
                with clock_handle:
                    started = time.perf_counter()
                    tally = worker.run_once(limit=int(os.environ.get("BENCH_SEND", "0")) or None)
                    seconds = time.perf_counter() - started
            finally:
                controller.stop()
            print(
                f"one worker: {tally.get('sent', 0)} e-mails to a local SMTP server in "
                f"{seconds:.1f} s = {tally.get('sent', 0) / seconds:.0f} per second "
                f"(server received {Sink.received})"
            )
            # The day before, everyone having asked for reminders (bulk SQL: no notices).
            from app.notices.reminders import queue_reminders
            from app.people.models import Person

            db.session.execute(sa.update(Person).values(wants_reminders=True))
            db.session.execute(
                sa.update(Performance)
                .where(Performance.id == performance_id)
                .values(status="confirmed")
            )
            db.session.commit()
            day_before = NOW + timedelta(days=9)
            with clock.freeze(day_before, tick=True), queries() as statements:
                started = time.perf_counter()
                reminded = queue_reminders(db.session, day_before)
                db.session.commit()
                elapsed = (time.perf_counter() - started) * 1000
            print(
                f"reminders the day before: {reminded} queued by {len(statements)} statements "
                f"in {elapsed:.0f} ms"
            )
            db.drop_all()


if __name__ == "__main__":
    main()
