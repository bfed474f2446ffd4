"""Medal ledger benchmark: 100,000 results over 2,000 competitions in a throw-away database;
prints, for the medal-table page and the JSON endpoint, the median time against the raw
aggregate SQL run alone, and the query count (which must not grow with the data).

    .venv/bin/python -m bench.medals                       # SQLite
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python -m bench.medals
    BENCH_COMPETITIONS=200 BENCH_RESULTS=10000 .venv/bin/python -m bench.medals   # smaller

Target: each page within 3x the raw query."""

from __future__ import annotations

import os
import random
import tempfile
from datetime import date

import sqlalchemy as sa
from flask import request_started

from app import create_app
from app.extensions import db
from bench._util import count_queries, timed

COMPETITIONS = int(os.environ.get("BENCH_COMPETITIONS", "2000"))
RESULTS = int(os.environ.get("BENCH_RESULTS", "100000"))
ATHLETES = int(os.environ.get("BENCH_ATHLETES", "500"))
EVENTS_PER_COMPETITION = 10
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
LEVELS = ["international", "national", "provincial", "city", "district"]


def seed() -> None:
    from app.athletes.models import AthleteProfile
    from app.athletes.reference import ensure_sports
    from app.competitions.models import (
        Competition,
        CompetitionEvent,
        Entry,
        Result,
        entry_members,
    )
    from app.people.models import Person

    rng = random.Random(4)  # noqa: S311  (benchmark data)
    sports = [s.id for s in ensure_sports(db.session)]
    db.session.commit()
    conn = db.session.connection()
    conn.execute(
        sa.insert(Person),
        [
            {"id": i, "name": f"运动员{i}", "gender": "female", "birth_on": date(1995, 1, 1)}
            for i in range(1, ATHLETES + 1)
        ],
    )
    conn.execute(
        sa.insert(AthleteProfile),
        [
            {
                "id": i,
                "person_id": i,
                "primary_sport_id": sports[0],
                "stage": "squad",
                "stage_since": date(2015, 1, 1),
                "discovery_source": "referral",
                "discovered_on": date(2015, 1, 1),
            }
            for i in range(1, ATHLETES + 1)
        ],
    )
    competitions, events = [], []
    for c in range(1, COMPETITIONS + 1):
        start = date(2005 + c % 20, 1 + c % 12, 1 + c % 28)
        competitions.append(
            {
                "id": c,
                "name": f"比赛{c}",
                "level": LEVELS[c % len(LEVELS)],
                "start_on": start,
                "end_on": start,
                "status": "finished",
            }
        )
        for e in range(EVENTS_PER_COMPETITION):
            events.append(
                {
                    "id": (c - 1) * EVENTS_PER_COMPETITION + e + 1,
                    "competition_id": c,
                    "name": f"小项{e}",
                    "sport_id": sports[e % len(sports)],
                    "gender": "mixed",
                    "is_team": e == 0,
                }
            )
    conn.execute(sa.insert(Competition), competitions)
    conn.execute(sa.insert(CompetitionEvent), events)
    entries, members, results = [], [], []
    per_event = max(1, RESULTS // len(events))
    entry_id = 0
    for event in events:
        for place in range(1, per_event + 1):
            entry_id += 1
            entries.append({"id": entry_id, "event_id": event["id"], "status": "confirmed"})
            team = rng.sample(range(1, ATHLETES + 1), 3 if event["is_team"] else 1)
            members.extend({"entry_id": entry_id, "athlete_id": a} for a in team)
            medal = {1: "gold", 2: "silver", 3: "bronze"}.get(place, "none")
            results.append(
                {
                    "id": entry_id,
                    "entry_id": entry_id,
                    "rank": place,
                    "mark": str(700 - place),
                    "status": "OK",
                    "medal": medal,
                }
            )
    for table, rows in ((Entry, entries), (entry_members, members), (Result, results)):
        for i in range(0, len(rows), 5000):
            conn.execute(sa.insert(table), rows[i : i + 5000])
    db.session.commit()
    # Planner statistics, as a live database has them (SQLite: ANALYZE; PostgreSQL: autovacuum).
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    print(f"seeded {len(competitions)} competitions, {len(events)} events, {len(results)} results")


def main() -> None:
    from app.competitions import standings

    tmp = tempfile.mkdtemp(prefix="ronghe-bench-medals-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed()
        request_started.connect(lambda sender, **extra: db.session.expire_all(), app)
        client = app.test_client()
        filters = standings.MedalFilters(date_from=date(2017, 1, 1), date_to=date(2021, 12, 31))

        def raw():
            db.session.execute(standings.medal_statement(filters)).all()

        def raw_page():
            db.session.execute(standings.medal_statement(filters)).all()
            db.session.execute(standings.athlete_statement(filters)).all()

        def page():
            assert client.get("/competitions/?from_year=2017&to_year=2021").status_code == 200

        def api():
            response = client.get("/api/v1/medals?from=2017-01-01&to=2021-12-31")
            assert response.status_code == 200

        raw_ms, raw_page_ms = timed(raw, RUNS), timed(raw_page, RUNS)
        print(f"{db.engine.dialect.name}, {RUNS} runs (median ms)")
        print(f"{'what':<48}{'median':>9}{'x raw':>8}{'queries':>9}")
        print(f"{'raw medal aggregate alone':<48}{raw_ms:9.1f}{1.0:8.2f}{1:9d}")
        print(f"{'raw medal + medallist aggregates alone':<48}{raw_page_ms:9.1f}{'':>8}{2:9d}")
        for name, fn, base in (
            ("/competitions/?from_year=2017&to_year=2021", page, raw_page_ms),
            ("/api/v1/medals?from=2017-01-01&to=2021-12-31", api, raw_ms),
        ):
            ms = timed(fn, RUNS)
            print(f"{name:<48}{ms:9.1f}{ms / base:8.2f}{count_queries(fn):9d}")
        print("x raw: the page against both aggregates it runs, the API against the medal one.")
        db.session.remove()
        db.drop_all()


if __name__ == "__main__":
    main()
