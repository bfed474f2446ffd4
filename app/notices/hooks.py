"""Notices written in the same transaction as the change (the pattern of
app/calendars/sync.py).

- ``after_flush`` reads the attribute history of the watched objects (it still holds the
  values before the flush) and notes each change: a performance moved (time or venue),
  cancelled or back on; a person newly booked for a performance; a competition event moved;
  a home's weekly activity changed or ended; one session of it cancelled, moved or restored;
- at the outer commit (a commit hook of app/core/commit_hooks.py: once per transaction, never
  at a savepoint's release) the notes become outbox rows (app/notices/outbox.py), unless the
  organiser unticked "tell the people affected" (core.notify.keep_quiet);
- a rolled-back transaction or savepoint drops its notes.

A "contact" consent withdrawn in the transaction (noted by ``after_flush`` too) withholds the
person's queued notices before commit (app/notices/withhold.py), quiet save or not.

Bulk SQL bypasses the events, like the calendar sync."""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.competitions.models import CompetitionEvent
from app.core import commit_hooks, notify
from app.homes.models import Activity, ActivityException
from app.notices.enums import Change
from app.people.enums import ConsentKind
from app.people.models import Consent
from app.performances.enums import PerformanceStatus
from app.performances.models import Performance, PerformancePerson

NAME = "notices"
QUEUING = "notices_queuing"
WITHDRAWN = "notices_consent_withdrawn"  # the hook of withdrawn contact consents

PLACE_TIME = {
    Performance: ("starts_at", "ends_at", "venue_id"),
    CompetitionEvent: ("starts_at", "ends_at", "venue_id", "all_day"),
    Activity: ("starts_at", "duration_minutes", "venue_id", "rrule", "uses_home_venue"),
}
KIND = {Performance: "performance", CompetitionEvent: "competition_event", Activity: "activity"}


def _old(obj, names) -> tuple[bool, dict]:
    """(whether any of ``names`` changed in this flush, their values before it)."""
    state = inspect(obj)
    changed, before = False, {}
    for name in names:
        history = state.attrs[name].history
        if history.has_changes():
            changed = True
            before[name] = history.deleted[0] if history.deleted else None
        else:
            before[name] = getattr(obj, name)
    return changed, before


def _facts(before: dict) -> dict:
    """JSON-ready "before" facts: the old start, end and venue (its name is looked up when
    the notice is written: no queries inside the flush)."""
    out = {}
    starts = before.get("starts_at")
    if starts is not None:
        out["starts_at"] = starts.isoformat()
    ends = before.get("ends_at")
    if ends is not None:
        out["ends_at"] = ends.isoformat()
    elif starts is not None and before.get("duration_minutes"):
        from datetime import timedelta

        out["ends_at"] = (starts + timedelta(minutes=before["duration_minutes"])).isoformat()
    if before.get("venue_id"):
        out["venue_id"] = before["venue_id"]
    return out


def _note(session, key, change, old=None, only=None):
    _merge_one(commit_hooks.pending(session, NAME), key, (change, old, only))


def _merge_one(notes: dict, key, note) -> None:
    change, old, only = note
    previous = notes.get(key)
    if previous is not None:
        # Several changes in one transaction: keep the first "before", the latest change,
        # and the union of the people a booking is limited to.
        old = previous[1] or old
        if previous[2] is None or only is None:
            only = None
        else:
            only = previous[2] | only
        if previous[0] == Change.BOOKED and change == Change.MOVED:
            change = Change.BOOKED
    notes[key] = (change, old, only)


def _merge(into: dict, notes: dict) -> dict:
    """A released savepoint's notes after the level's own (as if noted in that order)."""
    for key, note in notes.items():
        _merge_one(into, key, note)
    return into


@event.listens_for(Session, "after_flush")
def _note_changes(session, flush_context):
    if session.info.get(QUEUING):
        return
    for obj in list(session.new):
        if isinstance(obj, PerformancePerson) and obj.person_id is not None:
            _note(
                session,
                ("performance", obj.performance_id, None),
                Change.BOOKED,
                only={obj.person_id},
            )
        elif isinstance(obj, ActivityException):
            change = Change.CANCELLED if obj.kind.value == "cancelled" else Change.MOVED
            old = {"starts_at": obj.original_start.isoformat()}
            _note(session, ("activity", obj.activity_id, obj.original_start), change, old)
        elif isinstance(obj, Activity) and obj.previous_activity_id is not None:
            previous = session.identity_map.get(
                inspect(Activity).identity_key_from_primary_key((obj.previous_activity_id,))
            )
            old = (
                _facts({n: getattr(previous, n) for n in PLACE_TIME[Activity]}) if previous else {}
            )
            _note(session, ("activity", obj.id, None), Change.MOVED, old)
    for obj in list(session.dirty):
        cls = type(obj)
        if cls is Consent:
            if obj.kind == ConsentKind.CONTACT and obj.withdrawn_on is not None:
                changed, before = _old(obj, ("withdrawn_on",))
                if changed and before["withdrawn_on"] is None:
                    commit_hooks.pending(session, WITHDRAWN).add(obj.person_id)
            continue
        if cls in PLACE_TIME:
            key = (KIND[cls], obj.id, None)
            changed, before = _old(obj, PLACE_TIME[cls])
            if cls is Performance:
                status_changed, status = _old(obj, ("status",))
                if status_changed:
                    was = PerformanceStatus(status["status"]) if status["status"] else None
                    now = PerformanceStatus(obj.status)
                    if now == PerformanceStatus.CANCELLED and was != now:
                        _note(session, key, Change.CANCELLED)
                        continue
                    if was == PerformanceStatus.CANCELLED and now != was:
                        _note(session, key, Change.RESTORED)
                        continue
            if cls is Activity:
                archived_changed, archived = _old(obj, ("is_archived",))
                if archived_changed and obj.is_archived and not archived["is_archived"]:
                    _note(session, key, Change.CANCELLED)
                    continue
            if changed:
                _note(session, key, Change.MOVED, _facts(before))
        elif isinstance(obj, ActivityException):
            changed, before = _old(obj, ("kind", "new_start", "new_end", "new_venue_id"))
            if changed:
                change = Change.CANCELLED if obj.kind.value == "cancelled" else Change.MOVED
                old = {"starts_at": (before["new_start"] or obj.original_start).isoformat()}
                _note(session, ("activity", obj.activity_id, obj.original_start), change, old)
    for obj in list(session.deleted):
        if isinstance(obj, ActivityException):
            _note(session, ("activity", obj.activity_id, obj.original_start), Change.RESTORED)


def _queue_at_commit(session, notes) -> None:
    if notify.is_quiet(session):
        return
    from app.notices import outbox

    session.info[QUEUING] = True
    try:
        for (kind, subject_id, occurrence), (change, old, only) in notes.items():
            outbox.queue(session, kind, subject_id, occurrence, change, old, only)
        session.flush()
    finally:
        session.info.pop(QUEUING, None)


def _end(session) -> None:
    session.info.pop(notify.QUIET, None)


def _withhold_at_commit(session, person_ids) -> None:
    """Contact consents withdrawn in the transaction withhold the people's queued notices,
    quiet save or not (app/notices/withhold.py)."""
    from app.notices.withhold import withhold_without_consent

    withhold_without_consent(session, person_ids)


def _union(into: set, more: set) -> set:
    into |= more
    return into


# After the calendar sync, before the attendance counts and the versions; withholding first,
# so a notice queued in the same transaction for someone who withdrew is not left queued.
commit_hooks.register(WITHDRAWN, order=19, before=_withhold_at_commit, merge=_union, new=set)
commit_hooks.register(NAME, order=20, before=_queue_at_commit, end=_end, merge=_merge, new=dict)
