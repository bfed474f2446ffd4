"""Occurrences of weekly activities, computed from the stored RRULE and exception rows.

An activity stores DTSTART (``Activity.starts_at``, the first occurrence's start), a length
(``duration_minutes``) and an RFC 5545 rule (``FREQ=WEEKLY;WKST=MO;INTERVAL=n;BYDAY=..`` with
``UNTIL=yyyymmddThhmmssZ`` or ``COUNT=n``). The rule is read in the federation's wall-clock
time (``app.core.clock.zone()``): 09:00 every Monday stays 09:00 local. China has had no
daylight-saving time since 1991, so every local time exists exactly once and is UTC+8; the
code still converts through zoneinfo, so it would stay right if that ever changed.

Exceptions are rows keyed by the occurrence's *original* start (the RECURRENCE-ID): a
cancelled occurrence keeps its place in the list with ``cancelled=True`` (pages strike it
through; the busy source and roll-call leave it out); a moved one appears at its new time
and venue with ``moved=True``, and is found in a window by its new time, not the old one.

``occurrences(activity, start, end)`` expands one activity; ``load_occurrences(session, start,
end, ...)`` expands many with two queries (candidate series, then their exceptions).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import sqlalchemy as sa
from dateutil import rrule as du

from app.core import clock
from app.homes.enums import ExceptionKind

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_OCCURRENCES = 600  # about 11 years of one weekly session: a rule longer is refused
MAX_SERIES_DAYS = 3 * 366
# The instants every window is clamped to: a day inside datetime's range on both sides, so
# that the zone conversions and the +/- one day of the window arithmetic cannot overflow.
EARLIEST_INSTANT = datetime(1, 1, 3, tzinfo=UTC)
LATEST_INSTANT = datetime(9999, 12, 29, tzinfo=UTC)


@dataclass(frozen=True)
class Occurrence:
    activity_id: int
    original_start: datetime  # aware UTC: the rule's start (the key of exceptions, attendance)
    start: datetime  # aware UTC: where it happens (the new time when moved)
    end: datetime
    venue_id: int | None
    cancelled: bool = False
    moved: bool = False
    exception_id: int | None = None
    reason: str = ""

    @property
    def key(self) -> str:
        """The occurrence's id in URLs: the original start in UTC, ``20261130T010000Z``."""
        return occurrence_key(self.original_start)

    @property
    def local_start(self) -> datetime:
        return clock.to_local(self.start)

    @property
    def local_end(self) -> datetime:
        return clock.to_local(self.end)

    @property
    def local_original_start(self) -> datetime:
        return clock.to_local(self.original_start)


def occurrence_key(start: datetime) -> str:
    return start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def parse_occurrence_key(key: str) -> datetime | None:
    """The instant of a key, or None when it is malformed or outside the clamped range."""
    try:
        moment = datetime.strptime(key, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return None
    if not EARLIEST_INSTANT <= moment <= LATEST_INSTANT:
        return None
    return moment


def clamp_instant(moment: datetime) -> datetime:
    """``moment`` moved into [EARLIEST_INSTANT, LATEST_INSTANT]."""
    return min(max(moment, EARLIEST_INSTANT), LATEST_INSTANT)


# --- local time helpers -------------------------------------------------------------------


def local_datetime(day: date, at: time) -> datetime:
    """A wall-clock date and time in the federation's zone as an aware UTC instant (clamped to
    [EARLIEST_INSTANT, LATEST_INSTANT]: 0001-01-01 00:00 local is before datetime.min UTC)."""
    try:
        moment = clock.local_instant(day, at)
    except OverflowError:
        return EARLIEST_INSTANT if day.year == 1 else LATEST_INSTANT
    return clamp_instant(moment)


def local_day_window(first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """[00:00 of ``first``, 00:00 of the day after ``last``) in the federation's zone, as UTC,
    clamped to what datetime can represent."""
    last = last or first
    if last >= date.max - timedelta(days=7):
        end = LATEST_INSTANT
    else:
        end = local_datetime(last + timedelta(days=1), time())
    return local_datetime(first, time()), end


def local_week_window(day: date) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 of the week holding ``day``."""
    monday = day - timedelta(days=min(day.weekday(), (day - date.min).days))
    sunday = monday + timedelta(days=min(6, (date.max - monday).days))
    return local_day_window(monday, sunday)


# --- rules --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleParts:
    weekdays: tuple[int, ...]  # 0 = Monday
    interval: int
    until_on: date | None  # the last local day an occurrence may fall on
    count: int | None


def build_rrule(
    weekdays: Iterable[int], interval: int = 1, until_on: date | None = None, count=None
) -> str:
    """The RRULE value for "weekly on ``weekdays`` every ``interval`` weeks, until the local
    day ``until_on`` (UNTIL is its last second, in UTC) or ``count`` times"""
    days = sorted(set(int(d) for d in weekdays))
    if not days or any(d < 0 or d > 6 for d in days):
        raise ValueError("weekdays must be 0..6 and not empty")
    if interval < 1:
        raise ValueError("interval must be at least 1")
    if (until_on is None) == (count is None):
        raise ValueError("give exactly one of until_on and count")
    parts = [
        "FREQ=WEEKLY",
        "WKST=MO",
        f"INTERVAL={interval}",
        "BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in days),
    ]
    if until_on is not None:
        until = local_datetime(until_on, time(23, 59, 59))
        parts.append("UNTIL=" + until.strftime("%Y%m%dT%H%M%SZ"))
    else:
        if count < 1:
            raise ValueError("count must be at least 1")
        parts.append(f"COUNT={int(count)}")
    return ";".join(parts)


def parse_rrule(text: str) -> RuleParts:
    """The parts of a rule written by ``build_rrule`` (for the edit form)."""
    fields = dict(part.split("=", 1) for part in text.split(";") if "=" in part)
    weekdays = tuple(WEEKDAY_CODES.index(code) for code in fields.get("BYDAY", "").split(","))
    until_on = None
    if "UNTIL" in fields:
        until = datetime.strptime(fields["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        until_on = clock.local_date(until)
    count = int(fields["COUNT"]) if "COUNT" in fields else None
    return RuleParts(weekdays, int(fields.get("INTERVAL", "1")), until_on, count)


def first_start_on_or_after(day: date, weekdays: Iterable[int], at: time) -> datetime:
    """DTSTART for a series beginning on ``day``: the first chosen weekday on or after it
    (RFC 5545 counts DTSTART as the first occurrence, so it must match the rule)."""
    wanted = set(weekdays)
    for offset in range(7):
        candidate = day + timedelta(days=offset)
        if candidate.weekday() in wanted:
            return local_datetime(candidate, at)
    raise ValueError("no weekday chosen")


@lru_cache(maxsize=2048)
def _parsed_rule(rule_text: str, starts_at: datetime, zone_name: str) -> du.rrule:
    return du.rrulestr(rule_text, dtstart=starts_at.astimezone(clock.zone()), cache=True)


def _rule(rule_text: str, starts_at: datetime) -> du.rrule:
    return _parsed_rule(rule_text, starts_at, clock.zone_name())


def rule_starts(starts_at: datetime, rule_text: str, after: datetime, before: datetime):
    """Original starts s of the rule with after < s < before, as aware UTC datetimes."""
    rule = _rule(rule_text, starts_at)
    return [s.astimezone(UTC) for s in rule.between(clock.to_local(after), clock.to_local(before))]


def is_rule_start(starts_at: datetime, rule_text: str, moment: datetime) -> bool:
    if not EARLIEST_INSTANT <= moment <= LATEST_INSTANT:
        return False
    rule = _rule(rule_text, starts_at)
    found = rule.after(clock.to_local(moment) - timedelta(microseconds=1), inc=True)
    return found is not None and found.astimezone(UTC) == moment.astimezone(UTC)


def next_rule_start(starts_at: datetime, rule_text: str, after: datetime) -> datetime | None:
    """The rule's first start strictly after ``after`` (aware UTC), or None."""
    found = _rule(rule_text, starts_at).after(clock.to_local(clamp_instant(after)))
    return None if found is None else found.astimezone(UTC)


def all_rule_starts(starts_at: datetime, rule_text: str, limit: int = MAX_OCCURRENCES + 1):
    rule = _rule(rule_text, starts_at)
    out = []
    for s in rule:
        out.append(s.astimezone(UTC))
        if len(out) >= limit:
            break
    return out


def series_end(starts_at: datetime, rule_text: str, duration: timedelta) -> datetime:
    """The end of the rule's last occurrence (ValueError when the rule gives none, or more
    than MAX_OCCURRENCES)."""
    starts = all_rule_starts(starts_at, rule_text)
    if not starts:
        raise ValueError("the rule gives no occurrence")
    if len(starts) > MAX_OCCURRENCES:
        raise ValueError("the rule gives too many occurrences")
    return starts[-1] + duration


# --- expansion ----------------------------------------------------------------------------


def occurrences(
    activity,
    window_start: datetime,
    window_end: datetime,
    exceptions: Iterable | None = None,
    *,
    include_cancelled: bool = True,
) -> list[Occurrence]:
    """Occurrences of ``activity`` overlapping [window_start, window_end), by start.

    Moved occurrences count at their new time (one moved into the window from outside it is
    included; one moved out is not). ``exceptions`` defaults to ``activity.exceptions``.
    The window is clamped to [EARLIEST_INSTANT, LATEST_INSTANT]."""
    window_start, window_end = clamp_instant(window_start), clamp_instant(window_end)
    if exceptions is None:
        exceptions = activity.exceptions
    duration = timedelta(minutes=activity.duration_minutes)
    by_start = {e.original_start: e for e in exceptions}
    result: list[Occurrence] = []
    seen = set()
    for start in rule_starts(
        activity.starts_at, activity.rrule, clamp_instant(window_start - duration), window_end
    ):
        seen.add(start)
        exc = by_start.get(start)
        occ = _apply(activity, start, duration, exc)
        if occ.cancelled and not include_cancelled:
            continue
        if occ.start < window_end and window_start < occ.end:
            result.append(occ)
    for start, exc in by_start.items():
        if start in seen or exc.kind != ExceptionKind.MOVED:
            continue
        if not (exc.new_start < window_end and window_start < exc.new_end):
            continue
        if not is_rule_start(activity.starts_at, activity.rrule, start):
            continue  # left over from an earlier rule: not an occurrence any more
        result.append(_apply(activity, start, duration, exc))
    result.sort(key=lambda o: (o.start, o.activity_id, o.original_start))
    return result


def _apply(activity, start: datetime, duration: timedelta, exc) -> Occurrence:
    if exc is None:
        return Occurrence(activity.id, start, start, start + duration, activity.venue_id)
    if exc.kind == ExceptionKind.CANCELLED:
        return Occurrence(
            activity.id,
            start,
            start,
            start + duration,
            activity.venue_id,
            cancelled=True,
            exception_id=exc.id,
            reason=exc.reason or "",
        )
    return Occurrence(
        activity.id,
        start,
        exc.new_start,
        exc.new_end,
        exc.new_venue_id if exc.new_venue_id is not None else activity.venue_id,
        moved=True,
        exception_id=exc.id,
        reason=exc.reason or "",
    )


def occurrence_at(activity, original_start: datetime, exceptions=None) -> Occurrence | None:
    """The occurrence the rule starts at ``original_start`` (with its exception), or None."""
    if not is_rule_start(activity.starts_at, activity.rrule, original_start):
        return None
    if exceptions is None:
        exceptions = activity.exceptions
    exc = next((e for e in exceptions if e.original_start == original_start), None)
    return _apply(activity, original_start, timedelta(minutes=activity.duration_minutes), exc)


def candidate_activities_query(window_start: datetime, window_end: datetime):
    """SELECT of the activities that may have an occurrence in the window: the series
    overlaps it, or one of its occurrences was moved into it."""
    from app.homes.models import Activity, ActivityException

    window_start, window_end = clamp_instant(window_start), clamp_instant(window_end)
    moved_in = sa.select(ActivityException.activity_id).where(
        ActivityException.kind == ExceptionKind.MOVED,
        ActivityException.new_start < window_end,
        ActivityException.new_end > window_start,
    )
    return sa.select(Activity).where(
        Activity.is_archived.is_(False),
        sa.or_(
            sa.and_(Activity.starts_at < window_end, Activity.series_end_at > window_start),
            Activity.id.in_(moved_in),
        ),
    )


def exceptions_for(session, activity_ids, window_start: datetime, window_end: datetime):
    """{activity id: [exceptions]} that can matter in the window (one query)."""
    from app.homes.models import ActivityException

    grouped: dict[int, list] = defaultdict(list)
    ids = list(activity_ids)
    if not ids:
        return grouped
    longest = timedelta(days=1)  # an occurrence lasts at most a day (duration_range)
    window_start, window_end = clamp_instant(window_start), clamp_instant(window_end)
    rows = session.scalars(
        sa.select(ActivityException).where(
            ActivityException.activity_id.in_(ids),
            sa.or_(
                sa.and_(
                    ActivityException.original_start > window_start - longest,
                    ActivityException.original_start < window_end,
                ),
                sa.and_(
                    ActivityException.new_start < window_end,
                    ActivityException.new_end > window_start,
                ),
            ),
        )
    )
    for row in rows:
        grouped[row.activity_id].append(row)
    return grouped


def bulk_occurrences(
    activities: Iterable,
    window_start: datetime,
    window_end: datetime,
    exceptions_by_activity: dict,
    *,
    include_cancelled: bool = True,
) -> list[Occurrence]:
    """Occurrences of many activities in the window, by start."""
    out: list[Occurrence] = []
    for activity in activities:
        out.extend(
            occurrences(
                activity,
                window_start,
                window_end,
                exceptions_by_activity.get(activity.id, ()),
                include_cancelled=include_cancelled,
            )
        )
    out.sort(key=lambda o: (o.start, o.activity_id, o.original_start))
    return out


def load_occurrences(
    session,
    window_start: datetime,
    window_end: datetime,
    *,
    where=(),
    include_cancelled: bool = True,
    options=(),
):
    """(activities by id, occurrences) in the window with two queries. ``where`` adds
    conditions on Activity (e.g. ``Activity.home_id.in_(ids)``, ``Activity.is_public``)."""
    query = candidate_activities_query(window_start, window_end)
    for condition in where:
        query = query.where(condition)
    if options:
        query = query.options(*options)
    activities = {a.id: a for a in session.scalars(query)}
    grouped = exceptions_for(session, activities.keys(), window_start, window_end)
    occs = bulk_occurrences(
        activities.values(),
        window_start,
        window_end,
        grouped,
        include_cancelled=include_cancelled,
    )
    return activities, occs
