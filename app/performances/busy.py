"""The "performance" source of the one busy query (app.scheduling.busy): performances that are
not cancelled, overlap the window and use one of the venues or people. Two queries whatever
the number of performances: the overlapping performances (an indexed interval query on
starts_at/ends_at, by venue or through performance_people by person), then the people booked
on those."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from flask import url_for

from app.extensions import db
from app.performances.enums import PerformanceStatus
from app.performances.models import Performance, PerformancePerson
from app.scheduling.busy import Booking, register_source

KIND = "performance"


def performance_bookings(
    start: datetime, end: datetime, venue_ids: frozenset[int], person_ids: frozenset[int]
) -> list[Booking]:
    if not venue_ids and not person_ids:
        return []
    uses = []
    if venue_ids:
        uses.append(Performance.venue_id.in_(venue_ids))
    if person_ids:
        uses.append(
            Performance.id.in_(
                sa.select(PerformancePerson.performance_id).where(
                    PerformancePerson.person_id.in_(person_ids)
                )
            )
        )
    rows = db.session.execute(
        sa.select(
            Performance.id,
            Performance.title,
            Performance.starts_at,
            Performance.ends_at,
            Performance.venue_id,
        ).where(
            Performance.starts_at < end,
            Performance.ends_at > start,
            Performance.status != PerformanceStatus.CANCELLED,
            sa.or_(*uses),
        )
    ).all()
    if not rows:
        return []
    people: dict[int, set[int]] = defaultdict(set)
    for performance_id, person_id in db.session.execute(
        sa.select(PerformancePerson.performance_id, PerformancePerson.person_id).where(
            PerformancePerson.performance_id.in_([row.id for row in rows]),
            PerformancePerson.person_id.is_not(None),
        )
    ):
        people[performance_id].add(person_id)
    return [
        Booking(
            kind=KIND,
            id=row.id,
            title=row.title,
            start=row.starts_at,
            end=row.ends_at,
            url=url_for("performances.detail", performance_id=row.id, _external=False),
            venue_id=row.venue_id,
            person_ids=frozenset(people[row.id]),
        )
        for row in rows
    ]


register_source(KIND, performance_bookings)
