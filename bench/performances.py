"""Performances benchmark: the clash check, the statistics and the agenda over many
performances in a throw-away database.

Seeds BENCH_PERFORMANCES performances (default 20,000) over 2017–2026 at 30 venues, four
register people booked on each, then prints the median time and query count of:
- the "performance" busy source for one 2-hour window, one venue and four people;
- the full find_clashes (every registered source);
- the statistics of the whole period (five grouped queries);
- the agenda query of one month (what /performances/ runs);
and, on SQLite, the query plan of the interval query (it must use an index).

    .venv/bin/python -m bench.performances
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python -m bench.performances
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app import create_app
from app.core import clock
from app.extensions import db
from bench._util import count_queries, timed

COUNT = int(os.environ.get("BENCH_PERFORMANCES", "20000"))
RUNS = int(os.environ.get("BENCH_RUNS", "9"))


def seed() -> tuple[int, list[int]]:
    from app.accounts import services as accounts
    from app.core.reference import ensure_towns
    from app.people.models import Person
    from app.performances import services
    from app.performances.models import Performance, PerformancePerson
    from app.venues import services as venue_services

    rng = random.Random(5)  # noqa: S311  (benchmark data)
    towns = ensure_towns(db.session)
    venues = [
        venue_services.create_venue(
            name=f"场地{i}", kind="cultural_auditorium", town_id=towns[i % len(towns)].id
        ).id
        for i in range(30)
    ]
    db.session.execute(
        sa.insert(Person),
        [
            {
                "name": f"演员{i}",
                "gender": "male",
                "birth_on": date(1990, 1, 1),
                "town_id": towns[0].id,
            }
            for i in range(200)
        ],
    )
    people = list(db.session.scalars(sa.select(Person.id)))
    user = accounts.create_user(
        username="bench",
        display_name="bench",
        password="bench orchard lantern river",
        roles=["organiser"],
    )
    programme = services.create_programme(
        {"name": "Bench", "first_year": 2017, "organiser_ids": [user.id]}
    )
    start = datetime(2017, 1, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(COUNT):
        begins = start + timedelta(hours=rng.randrange(0, 24 * 3650))
        rows.append(
            {
                "programme_id": programme.id,
                "title": f"演出{i}",
                "setting": rng.choice(["village", "community", "work_therapy_workshop"]),
                "venue_id": rng.choice(venues),
                "starts_at": begins,
                "ends_at": begins + timedelta(hours=2),
                "held_on": clock.local_date(begins),
                "status": rng.choice(["done", "done", "done", "cancelled", "planned"]),
                "is_public": True,
                "beneficiaries": rng.randrange(20, 120),
                "audience": 150,
                "audience_disabled": 50,
                "version": 1,
            }
        )
    db.session.execute(sa.insert(Performance), rows)
    ids = list(db.session.scalars(sa.select(Performance.id)))
    db.session.execute(
        sa.insert(PerformancePerson),
        [
            {"performance_id": pid, "person_id": person, "role": "performer", "name": ""}
            for pid in ids
            for person in rng.sample(people, 4)
        ],
    )
    db.session.commit()
    return venues[0], people[:4]


def measure(fn) -> tuple[float, int]:
    """Median ms of RUNS calls and the queries of one more, each rolled back after."""
    ms = timed(fn, RUNS, after=db.session.rollback)
    count = count_queries(fn)
    db.session.rollback()
    return ms, count


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    folder = tempfile.mkdtemp()
    config = {
        "SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://")
        if url and url.startswith("postgresql://")
        else (url or f"sqlite:///{folder}/bench.sqlite3"),
        "SERVER_NAME": "localhost",
    }
    app = create_app(config)
    with app.app_context(), app.test_request_context():
        db.drop_all()
        db.create_all()
        t = time.perf_counter()
        venue_id, people = seed()
        print(f"seeded {COUNT} performances in {time.perf_counter() - t:.1f} s")
        from app.performances import queries, stats
        from app.performances.busy import performance_bookings
        from app.performances.models import Performance
        from app.scheduling.busy import find_clashes

        # A window that does overlap bookings: one of the venue's performances in mid-2021.
        hit = db.session.execute(
            sa.select(Performance.starts_at)
            .where(Performance.venue_id == venue_id, Performance.held_on >= date(2021, 6, 1))
            .order_by(Performance.starts_at)
            .limit(1)
        ).scalar_one()
        window = (hit - timedelta(hours=1), hit + timedelta(hours=1))
        found = performance_bookings(*window, frozenset({venue_id}), frozenset(people))
        ms, n = measure(
            lambda: performance_bookings(*window, frozenset({venue_id}), frozenset(people))
        )
        print(f"performance busy source: {ms:.2f} ms, {n} queries, {len(found)} bookings found")
        ms, n = measure(lambda: find_clashes(*window, venue_id=venue_id, person_ids=people))
        print(f"find_clashes (all sources): {ms:.2f} ms, {n} queries")
        ms, n = measure(lambda: stats.statistics(date(2017, 1, 1), date(2026, 12, 31)))
        print(f"statistics 2017–2026: {ms:.2f} ms, {n} queries")
        filters = queries.AgendaFilters(date_from=date(2021, 6, 1), date_to=date(2021, 6, 30))
        ms, n = measure(lambda: queries.agenda(filters, None, frozenset()))
        print(f"agenda of one month: {ms:.2f} ms, {n} queries")
        if db.engine.dialect.name == "sqlite":
            for label, sql in (
                (
                    "by venue",
                    "SELECT id FROM performances WHERE starts_at < :e AND ends_at > :s "
                    "AND venue_id = :v",
                ),
                (
                    "by person",
                    "SELECT performance_id FROM performance_people WHERE person_id IN (:p)",
                ),
            ):
                plan = db.session.execute(
                    sa.text("EXPLAIN QUERY PLAN " + sql),
                    {
                        "e": "2021-06-01 03:00:00",
                        "s": "2021-06-01 01:00:00",
                        "v": venue_id,
                        "p": people[0],
                    },
                ).all()
                print(f"plan {label}:", "; ".join(str(row[-1]) for row in plan))
        db.drop_all()


if __name__ == "__main__":
    main()
