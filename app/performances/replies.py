"""The "performance" subject of replies (app.replies.subjects): a performance is one
occurrence, keyed by its current start; its performers and support people from the register
are expected. A link made before the performance moved names the old start and no longer
opens (the notice of the move carries a new one)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.performances.enums import PerformanceStatus
from app.performances.models import Performance, PerformancePerson
from app.replies.subjects import Subject, register
from app.venues.models import Venue


def booked_people(performance_id: int) -> frozenset[int]:
    return frozenset(
        db.session.scalars(
            sa.select(PerformancePerson.person_id).where(
                PerformancePerson.performance_id == performance_id,
                PerformancePerson.person_id.is_not(None),
            )
        )
    )


def performance_subject(performance_id: int, occurrence_start: datetime) -> Subject | None:
    row = db.session.execute(
        sa.select(Performance, Venue.name)
        .join(Venue, Venue.id == Performance.venue_id)
        .where(Performance.id == performance_id)
    ).one_or_none()
    if row is None or row[0].starts_at != occurrence_start:
        return None
    performance, venue = row
    return Subject(
        kind="performance",
        id=performance.id,
        occurrence_start=performance.starts_at,
        title=performance.title,
        start=performance.starts_at,
        end=performance.ends_at,
        venue=venue,
        cancelled=performance.status == PerformanceStatus.CANCELLED,
        page_endpoint="performances.detail",
        page_args={"performance_id": performance.id},
        expected_person_ids=booked_people(performance.id),
    )


register("performance", performance_subject)
