"""The "event" subject of replies (app.replies.subjects): a competition event with a start
and an end is one occurrence, keyed by its current start; the athletes and register support
people of its entries that are not withdrawn are expected (as in the busy source)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from app.competitions.busy import _athlete_people, _support_people
from app.competitions.enums import CompetitionStatus
from app.competitions.models import Competition, CompetitionEvent
from app.extensions import db
from app.people.models import Person
from app.replies.subjects import Subject, register
from app.venues.models import Venue


def event_people(event_id: int) -> frozenset[int]:
    people = sa.union_all(_athlete_people(), _support_people()).subquery()
    return frozenset(
        db.session.scalars(
            sa.select(people.c.person_id).where(people.c.event_id == event_id).distinct()
        )
    )


def event_subject(event_id: int, occurrence_start: datetime) -> Subject | None:
    venue_id = sa.func.coalesce(CompetitionEvent.venue_id, Competition.venue_id)
    row = db.session.execute(
        sa.select(CompetitionEvent, Competition, Venue.name)
        .join(Competition, Competition.id == CompetitionEvent.competition_id)
        .outerjoin(Venue, Venue.id == venue_id)
        .where(CompetitionEvent.id == event_id)
    ).one_or_none()
    if row is None:
        return None
    event, competition, venue = row
    if event.starts_at is None or event.ends_at is None or event.starts_at != occurrence_start:
        return None
    return Subject(
        kind="event",
        id=event.id,
        occurrence_start=event.starts_at,
        title=f"{competition.name}: {event.name}",
        start=event.starts_at,
        end=event.ends_at,
        venue=venue or "",
        cancelled=competition.status == CompetitionStatus.CANCELLED,
        page_endpoint="competitions.detail",
        page_args={"competition_id": competition.id},
        expected_person_ids=event_people(event.id),
    )


register("event", event_subject)


def event_panels(competition: Competition) -> dict:
    """{event id: the signed-in visitor's reply panel} for the events of a competition page
    where they or one of their dependants is expected: no query for a visitor without a
    register person, then one for their family's events, and two per such event."""
    from app.replies import pages

    person = pages.viewer_person()
    if person is None or competition.status == CompetitionStatus.CANCELLED:
        return {}
    timed = {e.id: e for e in competition.events if e.starts_at is not None and e.ends_at}
    if not timed:
        return {}
    family = sa.select(Person.id).where(
        sa.or_(Person.id == person.id, Person.guardian_person_id == person.id)
    )
    people = sa.union_all(_athlete_people(), _support_people()).subquery()
    theirs = db.session.scalars(
        sa.select(people.c.event_id)
        .where(people.c.event_id.in_(timed), people.c.person_id.in_(family))
        .distinct()
    ).all()
    panels = {}
    for event_id in sorted(theirs):
        panel = pages.panel_for(event_subject(event_id, timed[event_id].starts_at), person)
        if panel is not None:
            panels[event_id] = panel
    return panels
