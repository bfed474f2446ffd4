"""Term report benchmark: generated competitions and results, athletes, performances, homes,
memberships and attendance (tests/reports/seed.py, at BENCH_SCALE times its test size) in a
throw-away database; prints, for the report page of the 2017 term (signed in as an admin,
every figure) and the JSON endpoint, the median time against the underlying grouped queries
run alone, and the query count (which must not grow with the data).

    .venv/bin/python -m bench.report                   # SQLite
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_reports .venv/bin/python -m bench.report
    BENCH_SCALE=10 .venv/bin/python -m bench.report    # smaller

Target: the page within 3x its grouped queries."""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date

import sqlalchemy as sa
from flask import g, request_started

from app import create_app
from app.extensions import db
from bench._util import count_queries, timed

SCALE = int(os.environ.get("BENCH_SCALE", "100"))
RUNS = int(os.environ.get("BENCH_RUNS", "11"))
FIRST, LAST = date(2017, 1, 1), date(2021, 12, 31)


def main() -> None:
    from app.accounts import services as accounts
    from app.athletes import queries as athlete_queries
    from app.competitions import standings
    from app.homes import stats as home_stats
    from app.performances import stats as performance_stats
    from tests.reports.seed import seed

    tmp = tempfile.mkdtemp(prefix="ronghe-bench-report-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "SERVER_NAME": "localhost"}
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        t0 = time.perf_counter()
        seed(scale=SCALE, rng_seed=1)
        admin = accounts.create_user(
            username="bench-admin",
            display_name="Bench",
            password="bench-password-123",
            roles=["admin"],
        )
        db.session.commit()
        uid = admin.get_id()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        counts = {
            name: db.session.scalar(sa.text(f"SELECT count(*) FROM {name}"))  # noqa: S608
            for name in ("results", "athlete_profiles", "performances", "memberships", "attendance")
        }
        print(f"seeded in {time.perf_counter() - t0:.1f} s: {counts}")

    def fresh(sender, **extra):
        db.session.expire_all()
        for name in list(vars(g)):
            delattr(g, name)

    request_started.connect(fresh, app)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = uid
        session["_fresh"] = True

    with app.app_context():

        def raw():
            # The grouped statistics the page reads, run alone (no rendering, no request).
            with app.test_request_context():
                standings.medal_table(standings.MedalFilters(date_from=FIRST, date_to=LAST))
                athlete_queries.stage_totals()
                athlete_queries.identified_by_source(FIRST, LAST)
                athlete_queries.classifications_due_by_sport(FIRST, LAST)
                performance_stats.statistics(FIRST, LAST)
                home_stats.period_stats(FIRST, LAST)

        def page():
            assert client.get("/reports/?preset=term2017").status_code == 200

        def api():
            assert client.get(f"/api/v1/report?from={FIRST}&to={LAST}").status_code == 200

        raw()
        page()
        raw_ms = timed(raw, RUNS)
        print(f"{db.engine.dialect.name}, scale {SCALE}, {RUNS} runs (median ms)")
        print(f"{'what':<48}{'median':>9}{'x raw':>8}{'queries':>9}")
        print(
            f"{'grouped statistics alone (2017 term)':<48}{raw_ms:9.1f}{1.0:8.2f}{count_queries(raw):9d}"
        )
        for name, fn in (
            ("/reports/?preset=term2017 (admin)", page),
            ("/api/v1/report (2017 term)", api),
        ):
            ms = timed(fn, RUNS)
            print(f"{name:<48}{ms:9.1f}{ms / raw_ms:8.2f}{count_queries(fn):9d}")
        db.session.remove()
        db.drop_all()


if __name__ == "__main__":
    main()
