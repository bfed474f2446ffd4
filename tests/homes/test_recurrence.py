"""Recurrence expansion against a brute-force day-by-day expansion, with exceptions, in
Asia/Shanghai wall-clock time."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.homes.enums import ExceptionKind
from app.homes.recurrence import (
    build_rrule,
    first_start_on_or_after,
    local_datetime,
    local_day_window,
    occurrence_at,
    occurrences,
    parse_rrule,
    series_end,
)

# Written out here (not taken from app.core.clock) so the brute force stays independent.
BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass
class FakeActivity:
    id: int
    starts_at: datetime
    duration_minutes: int
    rrule: str
    venue_id: int | None = 7
    exceptions: list = field(default_factory=list)


@dataclass
class FakeException:
    original_start: datetime
    kind: ExceptionKind
    new_start: datetime | None = None
    new_end: datetime | None = None
    new_venue_id: int | None = None
    id: int = 0
    reason: str = ""


def brute_force(first_day, at, weekdays, interval, until_on=None, count=None):
    """Every local day from the first one: a weekday in the set, in a week whose number since
    the first week (weeks start on Monday) is a multiple of the interval."""
    first_monday = first_day - timedelta(days=first_day.weekday())
    out = []
    day = first_day
    while True:
        if until_on is not None and day > until_on:
            break
        if count is not None and len(out) >= count:
            break
        week = (day - first_monday).days // 7
        if day.weekday() in weekdays and week % interval == 0:
            out.append(datetime.combine(day, at, tzinfo=BEIJING).astimezone(UTC))
        day += timedelta(days=1)
        if day > first_day + timedelta(days=4000):
            break
    return out


def test_rule_text_and_parts_round_trip():
    rule = build_rrule([3, 0], 2, until_on=date(2027, 1, 31))
    assert rule == "FREQ=WEEKLY;WKST=MO;INTERVAL=2;BYDAY=MO,TH;UNTIL=20270131T155959Z"
    parts = parse_rrule(rule)
    assert parts.weekdays == (0, 3) and parts.interval == 2
    assert parts.until_on == date(2027, 1, 31) and parts.count is None
    assert build_rrule([2], count=10) == "FREQ=WEEKLY;WKST=MO;INTERVAL=1;BYDAY=WE;COUNT=10"
    with pytest.raises(ValueError):
        build_rrule([2], until_on=date(2027, 1, 1), count=3)
    with pytest.raises(ValueError):
        build_rrule([], count=3)


def test_dtstart_is_local_wall_clock():
    start = first_start_on_or_after(date(2026, 11, 25), [0, 3], time(9, 0))
    # Thursday 26 November, 09:00 in Shanghai = 01:00 UTC (no daylight saving).
    assert start == datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    assert local_day_window(date(2026, 11, 29)) == (
        datetime(2026, 11, 28, 16, 0, tzinfo=UTC),
        datetime(2026, 11, 29, 16, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize("seed", range(25))
def test_expansion_matches_brute_force(seed):
    rnd = random.Random(seed)
    weekdays = sorted(rnd.sample(range(7), rnd.randint(1, 4)))
    interval = rnd.randint(1, 3)
    first_day = date(2025, 1, 1) + timedelta(days=rnd.randint(0, 700))
    at = time(rnd.choice([8, 9, 13, 14, 23]), rnd.choice([0, 30]))
    if rnd.random() < 0.5:
        until_on, count = first_day + timedelta(days=rnd.randint(0, 400)), None
    else:
        until_on, count = None, rnd.randint(1, 80)
    rule = build_rrule(weekdays, interval, until_on=until_on, count=count)
    starts_at = first_start_on_or_after(first_day, weekdays, at)
    real_first = starts_at.astimezone(BEIJING).date()
    expected = brute_force(real_first, at, set(weekdays), interval, until_on, count)
    if not expected:
        with pytest.raises(ValueError):
            series_end(starts_at, rule, timedelta(hours=1))
        return
    duration = rnd.choice([30, 90, 120, 180])
    activity = FakeActivity(1, starts_at, duration, rule)
    # Exceptions: cancel some, move others (within the day, to another day, to another venue).
    cancelled, moved = set(), {}
    for start in expected:
        roll = rnd.random()
        if roll < 0.15:
            activity.exceptions.append(FakeException(start, ExceptionKind.CANCELLED))
            cancelled.add(start)
        elif roll < 0.3:
            new_start = start + timedelta(hours=rnd.choice([-30, -2, 3, 50, 24 * 9]))
            new_end = new_start + timedelta(minutes=45)
            activity.exceptions.append(
                FakeException(start, ExceptionKind.MOVED, new_start, new_end, new_venue_id=99)
            )
            moved[start] = (new_start, new_end)
    # A stale exception for a start the rule does not produce: ignored.
    stray = expected[0] + timedelta(minutes=17)
    activity.exceptions.append(
        FakeException(stray, ExceptionKind.MOVED, expected[0], expected[0] + timedelta(hours=1))
    )
    assert series_end(starts_at, rule, timedelta(minutes=duration)) == expected[-1] + timedelta(
        minutes=duration
    )
    span_start = expected[0] - timedelta(days=20)
    span_end = expected[-1] + timedelta(days=20)
    for _ in range(6):
        a = span_start + timedelta(hours=rnd.randint(0, int((span_end - span_start).days * 24)))
        b = a + timedelta(hours=rnd.randint(1, 24 * 40))
        want = []
        for start in expected:
            if start in moved:
                s, e, venue, flags = *moved[start], 99, (False, True)
            else:
                s, e, venue = start, start + timedelta(minutes=duration), 7
                flags = (start in cancelled, False)
            if s < b and a < e:
                want.append((start, s, e, venue, *flags))
        got = [
            (o.original_start, o.start, o.end, o.venue_id, o.cancelled, o.moved)
            for o in occurrences(activity, a, b)
        ]
        assert sorted(got, key=lambda t: (t[1], t[0])) == sorted(want, key=lambda t: (t[1], t[0]))
        live = occurrences(activity, a, b, include_cancelled=False)
        assert not any(o.cancelled for o in live)
        assert len(live) == len([w for w in want if not w[4]])


def test_occurrence_at_checks_the_rule():
    starts_at = local_datetime(date(2026, 11, 30), time(9, 0))
    activity = FakeActivity(1, starts_at, 60, build_rrule([0], count=4))
    assert occurrence_at(activity, starts_at + timedelta(days=7)).start == starts_at + timedelta(
        days=7
    )
    assert occurrence_at(activity, starts_at + timedelta(days=8)) is None
    assert occurrence_at(activity, starts_at + timedelta(days=28)) is None  # past COUNT
