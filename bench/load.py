"""Load test (issue 15): seeds PostgreSQL at a chosen scale, starts gunicorn with the production
config (docs/gunicorn.conf.py, Redis rate limits and page cache) and a one-line Flask app under
the same gunicorn side by side, and prints req/s, × hello, p50, p99 and errors for the public
pages, the API and a signed-in coach, then a mixed run (80 % public pages, 15 % API, 5 %
signed-in).

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/<scratch> .venv/bin/python -m bench.load

The database is dropped and refilled: point it at a scratch one. Settings (environment):

    BENCH_SCALE=10        tests/reports/seed.py at 10× its test size (2,000 people, 4,000
                          results, 600 performances, 12,000 attendance marks)
    BENCH_SECONDS=8       per URL;  BENCH_CONNECTIONS=16;  BENCH_WORKERS=3 (gunicorn)
    BENCH_HELLO_SECONDS=4 hello world is loaded again for this long just before each URL, and
                          the URL's × hello is against that run (a shared or virtual machine's
                          speed drifts by a quarter within a minute); 0: against the first
    BENCH_REDIS=redis://127.0.0.1:6379/13   rate limits and page cache (flushed at start)
    BENCH_PAGE_CACHE=1    0: the same code with the page cache off
    BENCH_APP_DIR=.       another checkout to serve (main's code for a "before" run; the
                          schema is this checkout's, a superset)
    BENCH_SKIP_SEED=1     reuse the data of the previous run
    BENCH_PORT=18731      the app's port (hello world on the next one): another one when
                          someone else runs the benchmark on the machine

Load comes from wrk (Debian's package) when it is installed, else from a Python generator
(threads, keep-alive http.client), which costs more CPU of its own on a small machine. The
numbers are printed, never asserted."""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCALE = int(os.environ.get("BENCH_SCALE", "10"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
HELLO_SECONDS = int(os.environ.get("BENCH_HELLO_SECONDS", "4"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")
PAGE_CACHE = os.environ.get("BENCH_PAGE_CACHE", "1")
APP_DIR = Path(os.environ.get("BENCH_APP_DIR") or ROOT).resolve()
APP_PORT = int(os.environ.get("BENCH_PORT", "18731"))
HELLO_PORT = APP_PORT + 1

PUBLIC = [
    ("/ anonymous", "/"),
    ("/competitions/ (medal table)", "/competitions/"),
    ("/competitions/<id> (results)", None),  # filled after seeding
    ("/reports/?preset=term2017", "/reports/?preset=term2017"),
    ("/performances/", "/performances/"),
    ("/venues/", "/venues/"),
    ("/homes/statistics", "/homes/statistics"),
    ("/calendar/public.ics", "/calendar/public.ics"),
]
API = [
    ("/api/v1/medals", "/api/v1/medals"),
    ("/api/v1/report", "/api/v1/report"),
    ("/api/v1/schedule", "/api/v1/schedule"),
]
SIGNED_IN = [
    ("/ coach dashboard", "/"),
    ("/athletes/ coach", "/athletes/"),
]

HELLO = """from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, world!"
"""


def _secrets() -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        "SECRET_KEY": secrets.token_urlsafe(48),
        "PERSONAL_DATA_KEY": secrets.token_urlsafe(48),
        "PERSONAL_DATA_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    }


def seed(url: str, keys: dict[str, str]) -> tuple[str, int]:
    """Fill the database; answer the coach's session cookie and a competition id."""
    import sqlalchemy as sa

    from app import create_app
    from app.accounts import services as accounts
    from app.calendars import sync
    from app.competitions.models import Competition
    from app.extensions import db

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "SERVER_NAME": "localhost"}
    )
    app.config.update(keys)
    with app.app_context():
        if os.environ.get("BENCH_SKIP_SEED") != "1":
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            db.create_all()
            from flask_migrate import stamp

            stamp(directory=str(ROOT / "migrations"), revision="head")
            from tests.reports.seed import seed as seed_data

            t0 = time.perf_counter()
            seed_data(scale=SCALE, rng_seed=1)
            db.session.commit()
            sync.rebuild(db.session, commit_every=2000)
            db.session.commit()
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
            counts = {
                name: db.session.scalar(sa.text(f"SELECT count(*) FROM {name}"))  # noqa: S608
                for name in ("people", "results", "performances", "attendance", "calendar_items")
            }
            print(f"seeded scale {SCALE} in {time.perf_counter() - t0:.0f} s: {counts}")
        from app.accounts.models import User

        coach = db.session.scalar(sa.select(User).where(User.username == "bench-coach"))
        if coach is None:
            coach = accounts.create_user(
                username="bench-coach",
                display_name="Bench coach",
                password="bench coach orchard lantern",
                roles=["coach"],
            )
            db.session.commit()
        competition_id = db.session.scalar(sa.select(sa.func.min(Competition.id)))
        serializer = app.session_interface.get_signing_serializer(app)
        cookie = serializer.dumps({"_user_id": coach.get_id(), "_fresh": True})
        db.session.remove()
        db.engine.dispose()
    return f"{app.config['SESSION_COOKIE_NAME']}={cookie}", competition_id


def start(module: str, port: int, env: dict, cwd: Path, log: Path) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [
        gunicorn,
        "-c",
        str(ROOT / "docs" / "gunicorn.conf.py"),
        "-w",
        str(WORKERS),
        "-b",
        f"127.0.0.1:{port}",
        module,
    ]
    process = subprocess.Popen(  # noqa: S603
        command, cwd=cwd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz" if module == "wsgi:app" else "/")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
            if process.poll() is not None:
                raise SystemExit(f"{module} did not start: see {log}") from None
    raise SystemExit(f"{module} did not answer on port {port}: see {log}")


# --- load generators ---------------------------------------------------------------------


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(
    port: int, requests: list[tuple[str, str | None]], workdir: Path, seconds: int = SECONDS
) -> dict:
    """Run wrk over ``requests`` ((path, cookie) pairs picked at random); parse its report."""
    script = workdir / "requests.lua"
    lines = ["local requests = {"]
    for path, cookie in requests:
        headers = f'{{["Cookie"] = "{cookie}"}}' if cookie else "{}"
        lines.append(f'  wrk.format("GET", "{path}", {headers}),')
    lines += [
        "}",
        "request = function() return requests[math.random(#requests)] end",
    ]
    script.write_text("\n".join(lines) + "\n")
    output = subprocess.run(  # noqa: S603
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "30s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output)[1])
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output)[1])
    errors = 0
    found = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if found:
        errors += int(found[1])
    found = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if found:
        errors += sum(int(n) for n in found.groups())
    return {"rate": rate, "p50": p50, "p99": p99, "errors": errors}


def python_load(
    port: int, requests: list[tuple[str, str | None]], workdir: Path, seconds: int = SECONDS
) -> dict:
    """The same as ``wrk`` with threads and keep-alive connections (no wrk installed)."""
    import random

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(seed: int):
        rng = random.Random(seed)  # noqa: S311  (load pattern)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < deadline:
            path, cookie = rng.choice(requests)
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    with lock:
                        errors[0] += 1
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append((time.perf_counter() - began) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONNECTIONS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    cut = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "rate": len(latencies) / elapsed,
        "p50": cut[49],
        "p99": cut[98],
        "errors": errors[0],
    }


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    if not url or "postgresql" not in url:
        raise SystemExit("bench.load needs DATABASE_URL=postgresql+psycopg://… (a scratch db)")
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    keys = _secrets()
    coach_cookie, competition_id = seed(url, keys)
    workdir = Path(tempfile.mkdtemp(prefix="ronghe-load-"))
    (workdir / "hello.py").write_text(HELLO)
    env = {
        **os.environ,
        **keys,
        "RONGHE_CONFIG": "production",
        "DATABASE_URL": url,
        "RATELIMIT_STORAGE_URI": REDIS,
        "CACHE_REDIS_URL": REDIS,
        "PAGE_CACHE_ENABLED": PAGE_CACHE,
        "RONGHE_BASE_URL": "https://ronghe.example.org",
        "PYTHONPATH": str(APP_DIR),
    }
    load = wrk if shutil.which("wrk") else python_load
    processes = [
        start("wsgi:app", APP_PORT, env, APP_DIR, workdir / "app.log"),
        start(
            "hello:app",
            HELLO_PORT,
            {**env, "PYTHONPATH": str(workdir)},
            workdir,
            workdir / "hello.log",
        ),
    ]
    public = [(name, path or f"/competitions/{competition_id}") for name, path in PUBLIC]
    rows = []
    try:
        print(
            f"scale {SCALE}, {WORKERS} gunicorn workers, {CONNECTIONS} connections, {SECONDS} s "
            f"per URL, load from {'wrk' if load is wrk else 'Python threads'}, "
            f"PAGE_CACHE_ENABLED={PAGE_CACHE}, app from {APP_DIR}"
        )
        for path, _cookie in [(p, None) for _n, p in public + API] + [
            (p, coach_cookie) for _n, p in SIGNED_IN
        ]:
            # Warm each page once (the first build after start is not what is measured).
            connection = http.client.HTTPConnection("127.0.0.1", APP_PORT, timeout=60)
            connection.request("GET", path, headers={"Cookie": _cookie} if _cookie else {})
            status = connection.getresponse()
            status.read()
            if status.status != 200:
                print(f"warning: {path} answered {status.status}")
        hello = load(HELLO_PORT, [("/", None)], workdir)
        rows.append(("hello world (ceiling)", hello, hello))

        def measure(name: str, requests: list[tuple[str, str | None]]) -> None:
            ceiling = hello
            if HELLO_SECONDS:
                ceiling = load(HELLO_PORT, [("/", None)], workdir, seconds=HELLO_SECONDS)
            rows.append((name, load(APP_PORT, requests, workdir), ceiling))

        for name, path in public + API:
            measure(name, [(path, None)])
        for name, path in SIGNED_IN:
            measure(name, [(path, coach_cookie)])
        mixed = (
            [(path, None) for _n, path in public] * 10  # 80 of 100
            + [(path, None) for _n, path in API] * 5  # 15
            + [(path, coach_cookie) for _n, path in SIGNED_IN] * 2  # 4, + 1 below
            + [(SIGNED_IN[0][1], coach_cookie)]
        )
        measure("mixed (80 % public, 15 % API, 5 % coach)", mixed)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
    print()
    print("| URL | req/s | hello req/s | × hello | p50 | p99 | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, row, ceiling in rows:
        print(
            f"| {name} | {row['rate']:,.0f} | {ceiling['rate']:,.0f} | "
            f"{row['rate'] / ceiling['rate']:.3f} | "
            f"{row['p50']:.1f} ms | {row['p99']:.1f} ms | {row['errors']} |"
        )
    log = (workdir / "app.log").read_text(errors="replace")
    server_errors = len(re.findall(r"Traceback|Exception on|\b500\b", log))
    print(f"\napp log: {server_errors} lines naming a server error ({workdir / 'app.log'})")


if __name__ == "__main__":
    main()
