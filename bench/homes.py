"""Sunshine homes benchmark: many homes, members, weekly activities and attendance rows in a
throw-away database; prints the median time and the query count of the statistics page, the
summary API (against the grouped SQL alone), the busy query's activity source for a week,
the admin's dashboard and an 80-member roll-call page.

    .venv/bin/python -m bench.homes                     # SQLite
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python -m bench.homes
    BENCH_ATTENDANCE=20000 .venv/bin/python -m bench.homes   # smaller
    BENCH_ATTENDANCE=2000000 BENCH_MEMBERS=120 BENCH_KEEP=1 …    # issue 15's 2,000,000 marks,
                                                     # kept for the next BENCH_KEEP=1 run
"""

from __future__ import annotations

import os
import random
import tempfile
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import g, request_started

from app import create_app
from app.core import clock
from app.extensions import db
from bench._util import count_queries, timed

HOMES = int(os.environ.get("BENCH_HOMES", "60"))
MEMBERS_PER_HOME = int(os.environ.get("BENCH_MEMBERS", "80"))
ACTIVITIES_PER_HOME = int(os.environ.get("BENCH_ACTIVITIES", "4"))
ATTENDANCE = int(os.environ.get("BENCH_ATTENDANCE", "200000"))
RUNS = int(os.environ.get("BENCH_RUNS", "11"))
KEEP = os.environ.get("BENCH_KEEP") == "1"  # leave the data for the next run, which reuses it
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # Tuesday 11:00 Beijing


def seed():
    from app.accounts import services as accounts
    from app.core.reference import ensure_towns
    from app.homes import recurrence
    from app.homes.models import (
        Activity,
        Attendance,
        Home,
        HomeService,
        HomeStaff,
        Membership,
        MembershipService,
    )
    from app.people.models import Person

    rng = random.Random(6)  # noqa: S311  (benchmark data)
    towns = ensure_towns(db.session)
    admin = accounts.create_user(
        username="bench-admin", display_name="Bench", password="bench-password-123", roles=["admin"]
    )
    db.session.commit()
    conn = db.session.connection()
    people = HOMES * MEMBERS_PER_HOME
    conn.execute(
        sa.insert(Person),
        [
            {
                "id": i,
                "name": f"成员{i}",
                "name_pinyin": f"m{i:07d}",
                "gender": "male",
                "birth_on": date(1990, 1, 1),
                "town_id": towns[i % 12].id,
            }
            for i in range(1, people + 1)
        ],
    )
    conn.execute(
        sa.insert(Home),
        [
            {
                "id": h,
                "name": f"家园{h}",
                "kind": "sunshine_home",
                "town_id": towns[h % 12].id,
                "opened_on": date(2017 + h % 5, 1, 1),
                "capacity": MEMBERS_PER_HOME,
                "version": 1,
            }
            for h in range(1, HOMES + 1)
        ],
    )
    conn.execute(
        sa.insert(HomeService),
        [
            {"home_id": h, "service": s}
            for h in range(1, HOMES + 1)
            for s in ("day_care", "rehab_recreation")
        ],
    )
    conn.execute(sa.insert(HomeStaff), [{"home_id": h, "user_id": admin.id} for h in range(1, 3)])
    memberships = []
    for i in range(1, people + 1):
        home = (i - 1) // MEMBERS_PER_HOME + 1
        memberships.append(
            {
                "id": i,
                "person_id": i,
                "home_id": home,
                "joined_on": date(2017 + i % 5, 1 + i % 12, 1),
                "version": 1,
            }
        )
    conn.execute(sa.insert(Membership), memberships)
    conn.execute(
        sa.insert(MembershipService),
        [
            {
                "membership_id": i,
                "service": ("day_care", "rehab_recreation", "sheltered_employment")[i % 3],
            }
            for i in range(1, people + 1)
        ],
    )
    activities = []
    aid = 0
    for h in range(1, HOMES + 1):
        for k in range(ACTIVITIES_PER_HOME):
            aid += 1
            days = [(h + k) % 5, (h + k + 2) % 5]
            starts_at = recurrence.first_start_on_or_after(
                date(2025, 1, 6), days, datetime.min.time().replace(hour=9)
            )
            rule = recurrence.build_rrule(days, 1, until_on=date(2027, 6, 30))
            activities.append(
                {
                    "id": aid,
                    "home_id": h,
                    "title": f"活动{aid}",
                    "kind": [
                        "rehab_exercise",
                        "recreation",
                        "craft_work",
                        "counselling",
                        "peer_support",
                        "sports",
                        "culture",
                        "outing",
                    ][aid % 8],
                    "starts_at": starts_at,
                    "duration_minutes": 120,
                    "rrule": rule,
                    "series_end_at": recurrence.series_end(starts_at, rule, timedelta(hours=2)),
                    "is_public": True,
                    "is_archived": False,
                    "version": 1,
                    "venue_id": None,
                }
            )
    conn.execute(sa.insert(Activity), activities)
    # Each weekly session of each activity gets a random sample of its home's members, as many
    # as spread ATTENDANCE marks over every session (BENCH_MEMBERS must allow it).
    weeks = 95
    per_session = -(-ATTENDANCE // (len(activities) * weeks))
    if per_session > MEMBERS_PER_HOME:
        raise SystemExit(f"BENCH_MEMBERS={MEMBERS_PER_HOME} is too few for {ATTENDANCE} marks")
    rows = []
    for week in range(weeks):
        for act in activities:
            if len(rows) >= ATTENDANCE:
                break
            start = act["starts_at"] + timedelta(weeks=week)
            first = (act["home_id"] - 1) * MEMBERS_PER_HOME + 1
            for offset in rng.sample(range(MEMBERS_PER_HOME), per_session):
                absent = rng.random() < 0.1
                rows.append(
                    {
                        "activity_id": act["id"],
                        "occurrence_start": start,
                        "person_id": first + offset,
                        "status": "absent" if absent else "present",
                        "absence_reason": "ill" if absent else None,
                        "recorded_at": start,
                    }
                )
    del rows[ATTENDANCE:]
    for i in range(0, len(rows), 5000):
        conn.execute(sa.insert(Attendance), rows[i : i + 5000])
    # Inserted on the bare connection: count the per-day aggregates the statistics read.
    from app.homes import aggregates

    aggregates.rebuild(db.session)
    db.session.commit()
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    print(
        f"seeded {HOMES} homes, {people} members, {len(activities)} activities, {len(rows)} attendance rows"
    )
    return admin


def main() -> None:
    from app.homes import recurrence, stats
    from app.scheduling.busy import SOURCES

    tmp = tempfile.mkdtemp(prefix="ronghe-bench-homes-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "SERVER_NAME": "localhost"}
    )
    with app.app_context():
        admin = None
        if KEEP:
            from app.accounts.models import User

            try:
                admin = db.session.scalar(sa.select(User).where(User.username == "bench-admin"))
            except sa.exc.DatabaseError:
                db.session.rollback()
        if admin is None:
            db.drop_all()
            db.create_all()
            admin = seed()
        else:
            print("reusing the data of the last BENCH_KEEP=1 run")
        uid = admin.get_id()

    def fresh(sender, **extra):
        db.session.expire_all()
        for name in list(vars(g)):
            delattr(g, name)

    request_started.connect(fresh, app)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = uid
        session["_fresh"] = True
    first, last = date(2025, 1, 1), date(2026, 12, 31)
    week = recurrence.local_day_window(date(2026, 11, 30), date(2026, 12, 6))
    roll_key = recurrence.occurrence_key(
        recurrence.first_start_on_or_after(
            date(2026, 11, 30), [(1 + 0) % 5], datetime.min.time().replace(hour=9)
        )
    )
    with app.app_context():

        def raw():
            stats.period_stats(first, last)

        def busy():
            with app.test_request_context():
                list(SOURCES["activity"](*week, frozenset({-1}), frozenset({-1})))

        raw_ms = timed(raw, RUNS)
        print(f"{db.engine.dialect.name}, {RUNS} runs (median ms)")
        print(f"{'what':<58}{'median':>9}{'x raw':>8}{'queries':>9}")
        print(
            f"{'period_stats (grouped SQL) alone':<58}{raw_ms:9.1f}{1.0:8.2f}{count_queries(raw):9d}"
        )

        def page():
            assert client.get(f"/homes/statistics?from={first}&to={last}").status_code == 200

        def api():
            assert client.get(f"/api/v1/homes/summary?from={first}&to={last}").status_code == 200

        def term_statistics():
            assert client.get("/homes/statistics").status_code == 200

        def report_api():
            assert client.get("/api/v1/report").status_code == 200

        def dashboard():
            with clock.freeze(NOW):
                assert client.get("/homes/dashboard").status_code == 200

        def roll_call():
            with clock.freeze(NOW):
                assert (
                    client.get(f"/homes/activities/1/sessions/{roll_key}/roll-call").status_code
                    == 200
                )

        for name, fn, base in (
            ("/homes/statistics (two years)", page, raw_ms),
            ("/api/v1/homes/summary (two years)", api, raw_ms),
            ("/homes/statistics (default period)", term_statistics, None),
            ("/api/v1/report (default period)", report_api, None),
            ("/homes/dashboard (admin: every home)", dashboard, None),
            ("/homes/.../roll-call (80 members)", roll_call, None),
            ("busy source 'activity', one week, no match", busy, None),
        ):
            ms = timed(fn, RUNS)
            ratio = f"{ms / base:8.2f}" if base else f"{'':>8}"
            print(f"{name:<58}{ms:9.1f}{ratio}{count_queries(fn):9d}")
        db.session.remove()
        if not KEEP:
            db.drop_all()


if __name__ == "__main__":
    main()
