"""Changing a weekly activity's days or times from a date forward (issue 19 items 1 and 2).

A change of the rule never rewrites the past. ``plan(activity, schedule, change_from)``
decides how a new schedule is saved:

- **Same sessions before ``change_from``** (the rule, first day and length give exactly the
  sessions the old ones gave before that day, e.g. a later last date), or no session before
  it (a series that has not begun): the activity is changed **in place**.
- Otherwise the series is **split**: the old activity keeps its sessions before
  ``change_from`` (its rule now ends on the day of the last of them, ``UNTIL``) and a new
  activity continues it (``previous_activity_id``) with the new rule from the first chosen day
  on or after ``change_from``. A series ending after a number of sessions keeps its total:
  the new one has the sessions the old one had not held yet.

Roll-calls (``Attendance``) are keyed by activity and the session's original start, so past
roll-calls, their URLs and every figure built on them (statistics, term report,
``/api/v1/homes/summary``) stay as they were. A change that would move or remove a session
that already has a roll-call is refused (field ``change_from``).

Changes to single sessions (``ActivityException``) from ``change_from`` on follow their
session: when the new rule has a session on the same local day the exception is re-keyed to
its start (and moves to the new activity on a split); when it has none the exception can no
longer apply ("lapsing"): the service raises ``LapsingChanges`` listing them, and deletes
them only when the caller passes back their ``token`` (the user saw the list and confirmed).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core import clock
from app.core.errors import DomainError
from app.extensions import db
from app.homes import recurrence


class LapsingChanges(DomainError):
    """Saving would drop changes to single sessions that can no longer apply: ``lapsing``
    lists them; saving again with ``token`` confirms."""

    def __init__(self, lapsing):
        super().__init__(
            _l(
                "%(num)d changes to single sessions would no longer apply: check the list "
                "below, then save again to drop them.",
                num=len(lapsing),
            ),
            "change_from",
        )
        self.lapsing = lapsing
        self.token = lapsing_token(lapsing)


def lapsing_token(exceptions) -> str:
    return ",".join(str(e.id) for e in sorted(exceptions, key=lambda e: e.id))


@dataclass
class Plan:
    split: bool
    compiled: tuple  # (starts_at, duration_minutes, rrule, series_end_at) of the result
    cut: datetime | None = None  # 00:00 of change_from (a split)
    past_starts: list = field(default_factory=list)  # the old sessions kept (a split)
    rekeyed: list = field(default_factory=list)  # (exception, its new original start)
    lapsing: list = field(default_factory=list)


def default_change_from(activity, now: datetime | None = None) -> date:
    """The day a change applies from unless the user says otherwise: the day of the next
    session starting after ``now``; today when the series has no session left."""
    now = now or clock.now()
    if activity.starts_at > now:
        return clock.local_date(activity.starts_at)
    following = recurrence.next_rule_start(activity.starts_at, activity.rrule, now)
    return clock.local_date(following) if following else clock.local_date(now)


def plan(activity, schedule, change_from: date | None, exceptions=None) -> Plan:
    """How ``schedule`` (services.Schedule) is saved on ``activity``: see the module."""
    compiled = schedule.compile()
    starts_at, minutes, rule, _end = compiled
    if (starts_at, minutes, rule) == (
        activity.starts_at,
        activity.duration_minutes,
        activity.rrule,
    ):
        return Plan(split=False, compiled=compiled)
    exceptions = list(activity.exceptions if exceptions is None else exceptions)
    change_from = change_from or default_change_from(activity)
    cut = recurrence.local_datetime(change_from, time())
    old_starts = recurrence.all_rule_starts(activity.starts_at, activity.rrule)
    past_old = [s for s in old_starts if s < cut]
    new_starts = recurrence.all_rule_starts(starts_at, rule)
    past_new = [s for s in new_starts if s < cut]
    if not past_old or (past_old == past_new and minutes == activity.duration_minutes):
        result = Plan(split=False, compiled=compiled)
        moving = [e for e in exceptions if e.original_start not in set(new_starts)]
    else:
        count = schedule.count
        if count is not None:
            count -= len(past_old)
            if count < 1:
                raise DomainError(
                    _l(
                        "The series has %(num)d sessions before that day: give a larger "
                        "number of sessions.",
                        num=len(past_old),
                    ),
                    "count",
                )
        if _has_continuation(activity):
            raise DomainError(
                _l(
                    "These sessions are continued by a later series: change the days or times "
                    "there."
                ),
                "change_from",
            )
        later = replace(schedule, first_day=max(schedule.first_day, change_from), count=count)
        compiled = later.compile()
        new_starts = recurrence.all_rule_starts(compiled[0], compiled[2])
        result = Plan(split=True, compiled=compiled, cut=cut, past_starts=past_old)
        moving = [e for e in exceptions if e.original_start >= cut]
    by_day = {clock.local_date(s): s for s in new_starts}
    for exc in moving:
        target = by_day.get(clock.local_date(exc.original_start))
        if target is None:
            result.lapsing.append(exc)
        else:
            result.rekeyed.append((exc, target))
    _refuse_over_roll_calls(activity, result, set(new_starts))
    return result


def _has_continuation(activity) -> bool:
    from app.homes.models import Activity

    return bool(
        db.session.scalar(
            sa.select(Activity.id).where(Activity.previous_activity_id == activity.id).limit(1)
        )
    )


def _refuse_over_roll_calls(activity, result: Plan, new_starts: set) -> None:
    """A roll-call already taken belongs to a session that must stay where it is."""
    from app.homes.models import Attendance

    query = (
        sa.select(Attendance.occurrence_start)
        .distinct()
        .where(Attendance.activity_id == activity.id)
    )
    if result.split:
        query = query.where(Attendance.occurrence_start >= result.cut)
    taken = [s for s in db.session.scalars(query) if result.split or s not in new_starts]
    if taken:
        last = clock.local_date(max(taken))
        raise DomainError(
            _l(
                "The session of %(day)s already has a roll-call: the change can apply from "
                "%(next)s at the earliest.",
                day=last.isoformat(),
                next=(last + timedelta(days=1)).isoformat(),
            ),
            "change_from",
        )


def apply(activity, result: Plan, values: dict, confirmed_token: str | None = None):
    """Save ``result`` (from ``plan``) with the form's other ``values``; returns the activity
    that now holds the coming sessions (the new one after a split). Flushes."""
    from app.core import audit
    from app.homes.models import Activity

    if result.lapsing and confirmed_token != lapsing_token(result.lapsing):
        raise LapsingChanges(result.lapsing)
    for exc in result.lapsing:
        activity.exceptions.remove(exc)
        db.session.delete(exc)
    starts_at, minutes, rule, series_end_at = result.compiled
    if not result.split:
        for key, value in values.items():
            setattr(activity, key, value)
        activity.starts_at, activity.duration_minutes, activity.rrule = starts_at, minutes, rule
        activity.series_end_at = series_end_at
        for exc, start in result.rekeyed:
            exc.original_start = start
        return activity  # the caller lists the changed fields, then flushes
    parts = recurrence.parse_rrule(activity.rrule)
    activity.rrule = recurrence.build_rrule(
        parts.weekdays, parts.interval, until_on=clock.local_date(result.past_starts[-1])
    )
    activity.series_end_at = result.past_starts[-1] + activity.duration
    activity.updated_at = clock.now()
    follower = Activity(
        home_id=activity.home_id,
        previous_activity_id=activity.id,
        starts_at=starts_at,
        duration_minutes=minutes,
        rrule=rule,
        series_end_at=series_end_at,
        **values,
    )
    db.session.add(follower)
    for exc, start in result.rekeyed:
        activity.exceptions.remove(exc)
        exc.original_start = start
        follower.exceptions.append(exc)
    db.session.flush()
    audit.record("update", "activity", activity.id, ["rrule"], details={"until": "split"})
    audit.record(
        "create", "activity", follower.id, sorted(values), details={"continues": activity.id}
    )
    return follower
