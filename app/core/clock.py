"""The one clock: every "now" and "today" of the application comes from here.

People's days are the federation's days (Beijing's, ``RONGHE_TIMEZONE``), not the server's:
a server in UTC is still on yesterday until 08:00 Beijing time. So:

- ``now()`` is the current instant, timezone-aware UTC (what the database stores);
- ``today()`` is the date in the configured zone;
- ``zone()`` is that zone; ``to_local``, ``local_date`` and ``local_instant`` convert.

No other module reads the machine's clock (``date.today()``, ``datetime.now()``) or names
the zone; ``tests/core/test_clock.py`` greps the tree for them. Tests freeze the clock with
``freeze()`` (the suite does it for every test, see ``tests/conftest.py``), so nothing depends
on the hour or the date the suite runs at, nor on the machine's ``TZ``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall_time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Shanghai"

# None: the machine's clock. Otherwise a function answering the (frozen) instant.
_source: Callable[[], datetime] | None = None


def now() -> datetime:
    """The current instant, timezone-aware UTC. Use ``clock.now`` (not a call) as a column
    default, so that each row gets its own time."""
    if _source is not None:
        return _source()
    return datetime.now(UTC)


def zone_name() -> str:
    """The federation's time zone name (``RONGHE_TIMEZONE``, default Asia/Shanghai)."""
    if has_app_context():
        return current_app.config.get("RONGHE_TIMEZONE") or DEFAULT_ZONE
    return os.environ.get("RONGHE_TIMEZONE") or DEFAULT_ZONE


def zone() -> ZoneInfo:
    """The federation's time zone (ZoneInfo caches instances, so this is cheap)."""
    return ZoneInfo(zone_name())


def local_now() -> datetime:
    """The current wall-clock time in the federation's zone (aware)."""
    return now().astimezone(zone())


def today() -> date:
    """Today in the federation's zone, not the server's."""
    return local_now().date()


def to_local(instant: datetime) -> datetime:
    """An aware instant as wall-clock time in the federation's zone."""
    return instant.astimezone(zone())


def local_date(instant: datetime) -> date:
    """The federation's calendar day of an aware instant."""
    return to_local(instant).date()


def local_instant(day: date, at: wall_time = wall_time(0)) -> datetime:
    """A wall-clock date and time in the federation's zone, as an aware UTC instant."""
    return datetime.combine(day, at, tzinfo=zone()).astimezone(UTC)


@contextmanager
def freeze(instant: datetime, *, tick: bool = False) -> Iterator[Frozen]:
    """Make ``now()`` answer ``instant`` (aware) inside the block; with ``tick`` the clock
    then moves on at the real pace from there. Yields a handle to move the clock."""
    global _source
    previous = _source
    handle = Frozen(instant, tick=tick)
    _source = handle.now
    try:
        yield handle
    finally:
        _source = previous


class Frozen:
    """A stopped (or ticking) clock started at a chosen instant; ``set`` and ``advance``
    move it."""

    def __init__(self, instant: datetime, *, tick: bool = False):
        self.tick = tick
        self.set(instant)

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("freeze the clock at an aware instant (attach a timezone)")
        self._at = instant.astimezone(UTC)
        self._started = time.monotonic()

    def advance(self, delta: timedelta) -> None:
        self.set(self.now() + delta)

    def now(self) -> datetime:
        if self.tick:
            return self._at + timedelta(seconds=time.monotonic() - self._started)
        return self._at
