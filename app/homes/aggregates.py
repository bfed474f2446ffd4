"""Per-day attendance aggregates (``AttendanceDay``), kept in the same transaction as the marks.

Which (activity, day) pairs a transaction touched is noted on the session:

- ORM changes of ``Attendance`` rows (``after_flush``: new, changed — the old key too — and
  deleted rows);
- ORM-enabled bulk statements run through the session (``do_orm_execute``): an INSERT with a
  list of rows names its keys (the demo and the test seeds), an UPDATE or DELETE has the rows it
  matches read first; the roll-call services' upserts call ``touch``
  themselves.

At the outer commit (a commit hook of app/core/commit_hooks.py: once per transaction, not at
each savepoint's release; a rolled-back savepoint's pairs are dropped) the noted pairs are
recounted from the marks (one grouped query per 500 activities), their rows replaced, under
a transaction advisory lock per activity on PostgreSQL, so two staff saving the same session
take turns and the second counts the first's committed marks. Bulk SQL through a bare
connection bypasses all this: run ``rebuild`` (``flask stats rebuild``) after it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core import clock, commit_hooks
from app.core.db import advisory_xact_locks
from app.homes import recurrence
from app.homes.enums import AttendanceStatus
from app.homes.models import Attendance, AttendanceDay

NAME = "attendance_days"
CHUNK = 500
# The advisory-lock key space of "an activity's day counts" (core.db.advisory_xact_locks).
LOCK_SPACE = 4215


def _day(instant: datetime) -> date:
    return clock.local_date(instant)


def touch(session, activity_id: int, original_start: datetime) -> None:
    """Note that the marks of this occurrence changed (recounted at commit)."""
    commit_hooks.pending(session, NAME).add((activity_id, _day(original_start)))


def _note_flush(session, flush_context):
    keys: set[tuple[int, date]] = set()
    for obj in session.new | session.deleted:
        if isinstance(obj, Attendance) and obj.activity_id and obj.occurrence_start:
            keys.add((obj.activity_id, _day(obj.occurrence_start)))
    for obj in session.dirty:
        if not isinstance(obj, Attendance) or not session.is_modified(obj):
            continue
        keys.add((obj.activity_id, _day(obj.occurrence_start)))
        state = sa.inspect(obj)
        old_activity = state.attrs.activity_id.history.deleted
        old_start = state.attrs.occurrence_start.history.deleted
        activity_id = old_activity[0] if old_activity else obj.activity_id
        start = old_start[0] if old_start else obj.occurrence_start
        keys.add((activity_id, _day(start)))
    if keys:
        commit_hooks.pending(session, NAME).update(keys)


def _note_statement(state):
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if not any(mapper.class_ is Attendance for mapper in state.all_mappers):
        return
    params = state.parameters
    rows = params if isinstance(params, list) else [params] if isinstance(params, dict) else []
    keys = {
        (row["activity_id"], _day(row["occurrence_start"]))
        for row in rows
        if row and row.get("activity_id") and row.get("occurrence_start")
    }
    if state.is_update or state.is_delete:
        where = getattr(state.statement, "whereclause", None)
        where = sa.true() if where is None else where
        # The marks a bulk UPDATE or DELETE is about to change: their days are recounted.
        keys |= {
            (activity_id, _day(start))
            for activity_id, start in state.session.execute(
                sa.select(Attendance.activity_id, Attendance.occurrence_start)
                .where(where)
                .distinct()
            )
        }
    if keys:
        commit_hooks.pending(state.session, NAME).update(keys)


def listen() -> None:
    """Install the session events and the commit hook (idempotent): after the calendar sync
    and the notices, before the versions (which see the rows it writes)."""
    for name, fn in (
        ("after_flush", _note_flush),
        ("do_orm_execute", _note_statement),
    ):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)
    commit_hooks.register(NAME, order=30, before=refresh)


def _counts(session, where) -> dict[tuple[int, date], list[int]]:
    """[present, recorded] per (activity, local day) of the marks matching ``where``; grouped
    by occurrence in SQL (a handful of rows per session), by day here (no zone arithmetic in
    SQL, the same on SQLite and PostgreSQL)."""
    counts: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    present = sa.func.count(sa.case((Attendance.status == AttendanceStatus.PRESENT, 1)))
    for activity_id, start, present_count, recorded in session.execute(
        sa.select(
            Attendance.activity_id,
            Attendance.occurrence_start,
            present,
            sa.func.count(),
        )
        .where(where)
        .group_by(Attendance.activity_id, Attendance.occurrence_start)
    ):
        pair = counts[(activity_id, _day(start))]
        pair[0] += present_count
        pair[1] += recorded
    return counts


def refresh(session, keys) -> None:
    """Recount the (activity id, day) pairs ``keys`` from the marks and replace their rows."""
    by_activity: dict[int, set[date]] = defaultdict(set)
    for activity_id, day in keys:
        by_activity[activity_id].add(day)
    activity_ids = sorted(by_activity)
    advisory_xact_locks([(LOCK_SPACE, activity_id) for activity_id in activity_ids])
    for begin in range(0, len(activity_ids), CHUNK):
        chunk = activity_ids[begin : begin + CHUNK]
        first = min(min(by_activity[a]) for a in chunk)
        last = max(max(by_activity[a]) for a in chunk)
        start, end = recurrence.local_day_window(first, last)
        counts = _counts(
            session,
            sa.and_(
                Attendance.activity_id.in_(chunk),
                Attendance.occurrence_start >= start,
                Attendance.occurrence_start < end,
            ),
        )
        # The chunk's whole window is recounted and replaced (the marks of those activities
        # between its first and last day): a handful of parameters whatever the number of
        # days. Naming each (activity, day) pair overflowed PostgreSQL's 65,535 parameters
        # when one transaction wrote marks on tens of thousands of pairs (scale 100 seed).
        session.execute(
            sa.delete(AttendanceDay).where(
                AttendanceDay.activity_id.in_(chunk),
                AttendanceDay.day >= first,
                AttendanceDay.day <= last,
            )
        )
        rows = [
            {"activity_id": a, "day": day, "present": pair[0], "recorded": pair[1]}
            for (a, day), pair in sorted(counts.items())
            if first <= day <= last and pair[1]
        ]
        if rows:
            session.execute(sa.insert(AttendanceDay), rows)


def rebuild(session) -> int:
    """Recount every row from the marks (idempotent); answer the number of rows."""
    session.execute(sa.delete(AttendanceDay))
    counts = _counts(session, sa.true())
    rows = [
        {"activity_id": a, "day": day, "present": pair[0], "recorded": pair[1]}
        for (a, day), pair in sorted(counts.items())
        if pair[1]
    ]
    for begin in range(0, len(rows), 5000):
        session.execute(sa.insert(AttendanceDay), rows[begin : begin + 5000])
    return len(rows)
