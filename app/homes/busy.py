"""The "activity" source of the shared busy query (app.scheduling.busy): home activity
occurrences overlapping a window that use one of the venues or have one of the people as
leader. Moved occurrences count at their new time and place; cancelled ones are left out.

Bounded: one query for the candidate series (the indexed series interval, or a moved
occurrence landing in the window), one for their exceptions, then expansion in Python of
only those series."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import url_for

from app.extensions import db
from app.homes import recurrence
from app.homes.models import Activity, ActivityException
from app.scheduling.busy import Booking, register_source


def activity_bookings(
    start: datetime, end: datetime, venue_ids: frozenset[int], person_ids: frozenset[int]
) -> list[Booking]:
    if not venue_ids and not person_ids:
        return []
    # An activity may reach a venue through a moved occurrence's new venue.
    moved_to_venue = sa.select(ActivityException.activity_id).where(
        ActivityException.new_venue_id.in_(venue_ids or {-1})
    )
    touches = []
    if venue_ids:
        touches += [Activity.venue_id.in_(venue_ids), Activity.id.in_(moved_to_venue)]
    if person_ids:
        touches.append(Activity.leader_person_id.in_(person_ids))
    activities, occurrences = recurrence.load_occurrences(
        db.session, start, end, where=[sa.or_(*touches)], include_cancelled=False
    )
    bookings = []
    for occ in occurrences:
        activity = activities[occ.activity_id]
        leader = activity.leader_person_id
        if not (occ.venue_id in venue_ids or (leader is not None and leader in person_ids)):
            continue
        bookings.append(
            Booking(
                kind="activity",
                id=activity.id,
                title=activity.title,
                start=occ.start,
                end=occ.end,
                url=url_for("homes.occurrence", activity_id=activity.id, key=occ.key),
                venue_id=occ.venue_id,
                person_ids=frozenset({leader}) if leader is not None else frozenset(),
                occurrence=occ.original_start,
            )
        )
    return bookings


register_source("activity", activity_bookings)
