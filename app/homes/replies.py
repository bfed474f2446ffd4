"""The "session" subject of replies (app.replies.subjects): one occurrence of a home activity,
keyed by the activity's id and the occurrence's *original* start (as attendance is), so a
link keeps working when the session is moved and shows the new time and place. The home's
members on the session's day are expected."""

from __future__ import annotations

from datetime import datetime

from app.extensions import db
from app.homes import queries, recurrence
from app.homes.models import Activity
from app.replies.subjects import Subject, register
from app.venues.models import Venue


def session_subject(activity_id: int, occurrence_start: datetime) -> Subject | None:
    activity = db.session.get(Activity, activity_id)
    if activity is None or activity.is_archived:
        return None
    occ = recurrence.occurrence_at(activity, occurrence_start)
    if occ is None:
        return None
    venue = db.session.get(Venue, occ.venue_id) if occ.venue_id is not None else None
    expected = queries.expected_members(activity.home_id, occ.local_start.date())
    return Subject(
        kind="session",
        id=activity.id,
        occurrence_start=occ.original_start,
        title=activity.title,
        start=occ.start,
        end=occ.end,
        venue=venue.name if venue is not None else "",
        cancelled=occ.cancelled,
        page_endpoint="homes.occurrence",
        page_args={"activity_id": activity.id, "key": occ.key},
        expected_person_ids=frozenset(pid for pid, _name in expected),
    )


register("session", session_subject)
