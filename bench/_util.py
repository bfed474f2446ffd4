"""What every bench script shares: timing a call and counting the SQL it runs.

The scripts run as modules from the repository root (``python -m bench.medals``), so the
checkout's ``app`` and ``tests`` are the ones imported and no script touches ``sys.path``.
Tests assert query counts; the scripts print wall-clock numbers, which tests never assert."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]


def timings(
    fn: Callable[[], object],
    runs: int,
    *,
    collect: bool = False,
    after: Callable[[], object] | None = None,
) -> list[float]:
    """Milliseconds taken by each of ``runs`` calls of ``fn``. ``collect``: a garbage
    collection before each call; ``after``: called after each (a rollback); neither is
    timed."""
    times = []
    for _ in range(runs):
        if collect:
            gc.collect()
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
        if after is not None:
            after()
    return times


def timed(fn: Callable[[], object], runs: int, **options) -> float:
    """The median of ``timings(fn, runs, **options)``, in milliseconds."""
    return statistics.median(timings(fn, runs, **options))


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


@contextmanager
def queries(engine: sa.Engine | None = None) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` (default: the app's) inside the block."""
    if engine is None:
        from app.extensions import db

        engine = db.engine
    statements: list[str] = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


def count_queries(fn: Callable[[], object], engine: sa.Engine | None = None) -> int:
    """How many SQL statements one call of ``fn`` runs."""
    with queries(engine) as statements:
        fn()
    return len(statements)
