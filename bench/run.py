"""Page benchmark: seeds a throw-away database and prints timings and SQL query counts.

    make bench                      # python -m bench.run: SQLite, 2,000 people, 300 venues
    BENCH_PEOPLE=10000 make bench   # more data
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench make bench

The other scripts, one per domain, run the same way: ``python -m bench.medals``,
``bench.performances``, ``bench.homes``, ``bench.feeds``, ``bench.report`` (docs/benchmarks.md).

Tests assert query counts; this prints wall-clock numbers, which tests never assert."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import date, timedelta

import sqlalchemy as sa

from app import create_app
from app.extensions import db
from bench._util import p95, queries, timings

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "2000"))
VENUES = int(os.environ.get("BENCH_VENUES", "300"))
RUNS = int(os.environ.get("BENCH_RUNS", "20"))
CATEGORIES = ["visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"]


def seed() -> None:
    from app.accounts import services as accounts
    from app.core.reference import ensure_towns
    from app.people import certificate
    from app.people import services as people
    from app.venues import services as venues
    from app.venues.enums import AccessibilityFeature, VenueKind

    towns = ensure_towns(db.session)
    accounts.create_user(
        username="benchadmin",
        display_name="Bench",
        password="bench-admin-password",
        roles=["admin"],
    )
    start = time.perf_counter()
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
    for n in range(PEOPLE):
        birth = date(1950, 1, 1) + timedelta(days=(n * 37) % 20000)
        category = CATEGORIES[n % 7]
        grade = str(n % 4 + 1)
        gender = "male" if n % 2 else "female"
        people.create_person(
            {
                "name": surnames[n % 20] + given[(n // 20) % 20] + given[(n // 400) % 20],
                "gender": gender,
                "birth_on": birth,
                "town_id": towns[n % len(towns)].id,
                "disability_category": category,
                "disability_grade": grade,
            },
            certificate_number=certificate.generate(
                birth, category, grade, gender=gender, sequence=n % 1000
            ),
            consent={"given_on": date(2024, 1, 1), "given_by": "self"},
        )
        if n % 500 == 499:
            db.session.commit()
    kinds, features = list(VenueKind), list(AccessibilityFeature)
    for n in range(VENUES):
        venues.create_venue(
            name=f"基准场馆{n}",
            kind=kinds[n % len(kinds)],
            town_id=towns[n % len(towns)].id,
            address=f"测试路{n}号",
            capacity=50 + n,
            features=[f for i, f in enumerate(features) if (n >> i) & 1],
        )
    db.session.commit()
    print(f"seeded {PEOPLE} people and {VENUES} venues in {time.perf_counter() - start:.1f} s")


def measure(client, engine, path: str) -> tuple[float, float, int, int]:
    """Median and p95 of RUNS requests, the queries and bytes of one more."""

    def get():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    times = timings(get, RUNS)
    with queries(engine) as statements:
        response = get()
    return statistics.median(times), p95(times), len(statements), len(response.data)


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="ronghe-bench-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed()
        engine = db.engine
        person_id = db.session.scalar(sa.text("SELECT max(id) FROM people"))
        venue_id = db.session.scalar(sa.text("SELECT max(id) FROM venues"))
        db.session.remove()
    # Requests run outside any app context, each with its own, as in production.
    client = app.test_client()
    client.post("/login", data={"username": "benchadmin", "password": "bench-admin-password"})
    pages = [
        "/",
        "/people/",
        "/people/?q=王",
        "/people/?q=wang",
        "/people/?page=40",
        "/people/?category=visual&town=3",
        f"/people/{person_id}",
        "/venues/",
        "/venues/?feature=step_free_entrance&feature=accessible_toilet",
        f"/venues/{venue_id}",
        "/admin/users/",
    ]
    print(f"{engine.dialect.name}, {RUNS} runs per page (median / p95 ms, queries, bytes)")
    print(f"{'page':<62}{'median':>8}{'p95':>8}{'queries':>9}{'bytes':>9}")
    for path in pages:
        median, slow, count, size = measure(client, engine, path)
        print(f"{path:<62}{median:8.1f}{slow:8.1f}{count:9d}{size:9d}")
    with app.app_context():
        db.session.remove()
        db.drop_all()


if __name__ == "__main__":
    main()
