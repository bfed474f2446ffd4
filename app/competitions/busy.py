"""The "competition_event" source of the one busy query (app.scheduling.busy).

A competition event occupies, from its scheduled start to its scheduled end, its own venue (or,
without one, the competition's venue: "at the competition's venue") and
the people of its entries: the athletes of every entry that is not withdrawn (each member of
a team entry) and the support people of those entries who are in the people register (a
support person given only by name occupies no one). Events without both a start and an end,
and events of cancelled competitions, occupy nothing.

Two queries whatever the number of events: the overlapping events that use one of the venues
or people (an interval query on the (starts_at, ends_at) index), then the people of those
events (athletes and support people in one UNION)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from flask import url_for

from app.athletes.models import AthleteProfile
from app.competitions.enums import CompetitionStatus, EntryStatus
from app.competitions.models import (
    Competition,
    CompetitionEvent,
    Entry,
    EntrySupport,
    entry_members,
)
from app.extensions import db
from app.scheduling.busy import Booking, register_source

KIND = "competition_event"


def _athlete_people():
    """(event id, person id) of the athletes of entries that are not withdrawn."""
    return (
        sa.select(Entry.event_id.label("event_id"), AthleteProfile.person_id.label("person_id"))
        .join(entry_members, entry_members.c.entry_id == Entry.id)
        .join(AthleteProfile, AthleteProfile.id == entry_members.c.athlete_id)
        .where(Entry.status != EntryStatus.WITHDRAWN)
    )


def _support_people():
    """(event id, person id) of support people from the register, entries not withdrawn."""
    return (
        sa.select(Entry.event_id.label("event_id"), EntrySupport.person_id.label("person_id"))
        .join(EntrySupport, EntrySupport.entry_id == Entry.id)
        .where(Entry.status != EntryStatus.WITHDRAWN, EntrySupport.person_id.is_not(None))
    )


def event_bookings(
    start: datetime, end: datetime, venue_ids: frozenset[int], person_ids: frozenset[int]
) -> list[Booking]:
    """Events overlapping [start, end) — each starts before the other ends, so touching
    intervals do not clash — that use one of ``venue_ids`` or ``person_ids``."""
    if not venue_ids and not person_ids:
        return []
    # An event without a venue of its own runs at the competition's venue (issue 12 item 11).
    venue = sa.func.coalesce(CompetitionEvent.venue_id, Competition.venue_id)
    uses = []
    if venue_ids:
        uses.append(venue.in_(venue_ids))
    if person_ids:
        people = sa.union_all(_athlete_people(), _support_people()).subquery()
        uses.append(
            CompetitionEvent.id.in_(
                sa.select(people.c.event_id).where(people.c.person_id.in_(person_ids))
            )
        )
    rows = db.session.execute(
        sa.select(
            CompetitionEvent.id,
            CompetitionEvent.name,
            CompetitionEvent.competition_id,
            CompetitionEvent.starts_at,
            CompetitionEvent.ends_at,
            venue.label("venue_id"),
            Competition.name.label("competition_name"),
        )
        .join(Competition, Competition.id == CompetitionEvent.competition_id)
        .where(
            CompetitionEvent.starts_at.is_not(None),
            CompetitionEvent.ends_at.is_not(None),
            CompetitionEvent.starts_at < end,
            CompetitionEvent.ends_at > start,
            Competition.status != CompetitionStatus.CANCELLED,
            sa.or_(*uses),
        )
        .order_by(CompetitionEvent.starts_at, CompetitionEvent.id)
    ).all()
    if not rows:
        return []
    ids = [row.id for row in rows]
    occupied: dict[int, set[int]] = defaultdict(set)
    for event_id, person_id in db.session.execute(
        sa.union(
            _athlete_people().where(Entry.event_id.in_(ids)),
            _support_people().where(Entry.event_id.in_(ids)),
        )
    ):
        occupied[event_id].add(person_id)
    return [
        Booking(
            kind=KIND,
            id=row.id,
            title=f"{row.competition_name}: {row.name}",
            start=row.starts_at,
            end=row.ends_at,
            url=url_for("competitions.detail", competition_id=row.competition_id)
            + f"#event-{row.id}",
            venue_id=row.venue_id,
            person_ids=frozenset(occupied[row.id]),
        )
        for row in rows
    ]


register_source(KIND, event_bookings)
