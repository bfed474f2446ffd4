"""The first request after a change (issue 15: "within 1.2× today's uncached time; no more
than one rebuild per version"), per cached public page and API answer, in one process on the
data the load test seeded:

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/benchload .venv/bin/python -m bench.first_build

Two apps on the same database: one with the page cache off (the uncached build, what the page
cost before the cache) and one with it on (Redis, BENCH_REDIS, default db 12, flushed at
start). For each URL: the median of BENCH_RUNS (7) uncached builds, then BENCH_RUNS times a
commit that gives the page's topics a new version followed by one GET (the first request after
the change), and the builds that GET caused (1 each: the page was rebuilt, once). Prints
milliseconds and the ratio; nothing is asserted (tests/core/test_page_cache.py proves one
build per version under concurrent requests)."""

from __future__ import annotations

import os
import statistics

import sqlalchemy as sa

from bench._util import timings

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/12")
URLS = [
    "/competitions/",
    "/competitions/{competition}",
    "/reports/?preset=term2017",
    "/performances/",
    "/venues/",
    "/homes/statistics",
    "/calendar/public.ics",
    "/api/v1/medals",
    "/api/v1/report",
    "/api/v1/schedule",
]


def _app(url: str, cached: bool):
    from app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "SERVER_NAME": "localhost",
            "CACHE_TYPE": "RedisCache" if cached else "SimpleCache",
            "CACHE_REDIS_URL": REDIS if cached else None,
            "PAGE_CACHE_ENABLED": cached,
        }
    )


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("bench.first_build needs DATABASE_URL (a database bench.load seeded)")
    import redis
    from flask import g

    from app import caching
    from app.competitions.models import Competition
    from app.core import versions
    from app.extensions import db

    redis.Redis.from_url(REDIS).flushdb()
    plain, cached = _app(url, cached=False), _app(url, cached=True)
    with plain.app_context():
        competition = db.session.scalar(sa.select(sa.func.min(Competition.id)))
    builds = [0]

    @cached.after_request
    def count_builds(response):
        # The request that found the page's version moved and built it (page_cache's flag).
        if g.get("page_cache_build"):
            builds[0] += 1
        return response

    print(f"{url.split(':')[0]}, {RUNS} runs (median ms)")
    print(f"{'URL':<34}{'uncached':>10}{'first after a change':>22}{'x':>7}{'builds':>8}")
    for template in URLS:
        path = template.format(competition=competition)
        endpoint, _args = cached.url_map.bind("localhost").match(path.split("?")[0])
        topics = caching.PAGES[endpoint]
        client_plain, client_cached = plain.test_client(), cached.test_client()

        def get(client, path=path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        get(client_plain)  # warm the process (templates, statement cache)
        uncached = statistics.median(timings(lambda c=client_plain: get(c), RUNS))
        get(client_cached)
        after_change = []
        builds[0] = 0
        for _ in range(RUNS):
            with cached.app_context():
                versions.bump(db.session, topics)
                db.session.commit()
            after_change += timings(lambda c=client_cached: get(c), 1)
            get(client_cached)  # a hit: builds nothing
        first = statistics.median(after_change)
        shown = f"{builds[0]}/{RUNS}"
        print(f"{path:<34}{uncached:10.1f}{first:22.1f}{first / uncached:7.2f}{shown:>8}")


if __name__ == "__main__":
    main()
