"""The first request after a change (issue 15: "within 1.2× today's uncached time; no more
than one rebuild per version"), per cached public page and API answer, in one process on the
data the load test seeded:

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/benchload .venv/bin/python -m bench.first_build

Two apps on the same database: one with the page cache off (the uncached build, what the page
cost before the cache) and one with it on (Redis, BENCH_REDIS, default db 12, flushed at
start). For each URL, BENCH_RUNS (15) times, one after the other so that what else the machine
does weighs on both alike: a commit that gives the page's topics a new version, one GET on the
cached app (the first request after the change), one GET on the uncached app. Prints the
medians in milliseconds, their ratio and the builds the cached GETs caused (1 each: the page
was rebuilt, once); nothing is asserted (tests/core/test_page_cache.py proves one build per
version under concurrent requests).

``BENCH_BASELINE_DIR=/path/to/checkout`` also times the uncached builds of another checkout
(the code of the day the issue was filed, "today's uncached time": ``git worktree add
/tmp/filed 8679857`` and compile its catalogues) in a process of its own on the same data,
asked for each page in the same rounds (after the uncached GET of this checkout), so that the
machine's ups and downs weigh on it alike, and prints the ratio to those too."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import sqlalchemy as sa

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
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

    paths = [template.format(competition=competition) for template in URLS]
    baseline = _Baseline.start(url)
    print(f"{url.split(':')[0]}, {RUNS} runs (median ms)")
    header = f"{'URL':<30}{'uncached':>9}{'first after a change':>22}{'x':>6}"
    if baseline:
        header += f"{'uncached (baseline)':>21}{'x':>6}"
    print(header + f"{'builds':>8}")
    for path in paths:
        endpoint, _args = cached.url_map.bind("localhost").match(path.split("?")[0])
        topics = caching.PAGES[endpoint]
        client_plain, client_cached = plain.test_client(), cached.test_client()

        def get(client, path=path) -> float:
            """Milliseconds until the whole response is in hand (what the visitor waits for);
            then it is closed, as the server closes it once sent (the builder stores the page
            then, the visitor no longer waiting)."""
            started = time.perf_counter()
            response = client.get(path)
            took = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (path, response.status_code)
            response.close()
            return took

        get(client_plain)  # warm the process (templates, statement cache)
        get(client_cached)
        after_change, uncached, before = [], [], []
        if baseline:
            baseline.get(path)  # warm it too
        builds[0] = 0
        for _ in range(RUNS):
            with cached.app_context():
                versions.bump(db.session, topics)
                db.session.commit()
            after_change.append(get(client_cached))
            uncached.append(get(client_plain))
            if baseline:
                before.append(baseline.get(path))
            get(client_cached)  # a hit: builds nothing
        first, plain_ms = statistics.median(after_change), statistics.median(uncached)
        line = f"{path:<30}{plain_ms:9.1f}{first:22.1f}{first / plain_ms:6.2f}"
        if baseline:
            old = statistics.median(before)
            line += f"{old:21.1f}{first / old:6.2f}"
        print(line + f"{builds[0]:>6}/{RUNS}")


# Run in the baseline checkout: a path per line on stdin, the milliseconds its uncached GET
# took on stdout.
BASELINE_SCRIPT = """
import sys, time
from app import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "RATELIMIT_ENABLED": False,
                  "SERVER_NAME": "localhost", "CACHE_TYPE": "SimpleCache",
                  "PAGE_CACHE_ENABLED": False})
client = app.test_client()
for line in sys.stdin:
    path = line.strip()
    started = time.perf_counter()
    response = client.get(path)
    took = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, path
    print(took, flush=True)
"""


class _Baseline:
    """The baseline checkout's app in a process of its own, asked one GET at a time."""

    def __init__(self, process: subprocess.Popen):
        self.process = process

    @classmethod
    def start(cls, url: str) -> _Baseline | None:
        directory = os.environ.get("BENCH_BASELINE_DIR")
        if not directory:
            return None
        process = subprocess.Popen(
            [sys.executable, "-c", BASELINE_SCRIPT, url],
            cwd=directory,
            env={**os.environ, "PYTHONPATH": directory},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        return cls(process)

    def get(self, path: str) -> float:
        self.process.stdin.write(path + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise SystemExit(f"the baseline checkout failed on {path}")
        return float(answer)


if __name__ == "__main__":
    main()
