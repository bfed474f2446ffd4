"""Competitions as calendar items (read-only on app.competitions).

- ``competition``: the whole competition as an all-day item (``DTSTART;VALUE=DATE`` the first
  day, ``DTEND`` the day after the last), so a competition whose events have no times yet is
  still on the calendar.
- ``competition_event``: each event with a scheduled start, in Beijing time; an all-day
  event (a day and no time) as an all-day item on its day (``VALUE=DATE``).

Both are public (competitions are public pages) and filed under ``competition:<id>`` and the
venue's key; in personal feeds under ``person:<id>`` of every athlete of an entry that is not
withdrawn, every support person recorded as a Person, and ``user:<id>`` of each athlete's
coaches. Text names no person: the feeds are the same text for everyone."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.athletes.models import AthleteProfile, athlete_coaches
from app.calendars import sources
from app.competitions.enums import CompetitionStatus, EntryStatus, EventGender, Level
from app.competitions.models import (
    Competition,
    CompetitionEvent,
    Entry,
    EntrySupport,
    entry_members,
)
from app.core import clock
from app.venues.models import Venue, VenueFeature

# An event with a start and no end is shown as lasting this long.
DEFAULT_DURATION = timedelta(hours=1)


def _people_by_event(session, event_ids) -> dict[int, set[str]]:
    """Feed keys of the people of each event: athletes and support people of entries that are
    not withdrawn, and the athletes' coaches. Three queries whatever the number of events."""
    keys: dict[int, set[str]] = {event_id: set() for event_id in event_ids}
    if not event_ids:
        return keys
    live = sa.and_(Entry.event_id.in_(event_ids), Entry.status != EntryStatus.WITHDRAWN)
    athletes = session.execute(
        sa.select(Entry.event_id, AthleteProfile.person_id, AthleteProfile.id)
        .join(entry_members, entry_members.c.entry_id == Entry.id)
        .join(AthleteProfile, AthleteProfile.id == entry_members.c.athlete_id)
        .where(live)
    ).all()
    for event_id, person_id, _athlete_id in athletes:
        keys[event_id].add(f"person:{person_id}")
    coaches = session.execute(
        sa.select(Entry.event_id, athlete_coaches.c.user_id)
        .join(entry_members, entry_members.c.entry_id == Entry.id)
        .join(athlete_coaches, athlete_coaches.c.athlete_id == entry_members.c.athlete_id)
        .where(live)
    ).all()
    for event_id, user_id in coaches:
        keys[event_id].add(f"user:{user_id}")
    support = session.execute(
        sa.select(Entry.event_id, EntrySupport.person_id)
        .join(EntrySupport, EntrySupport.entry_id == Entry.id)
        .where(live, EntrySupport.person_id.is_not(None))
    ).all()
    for event_id, person_id in support:
        keys[event_id].add(f"person:{person_id}")
    return keys


def _status(competition) -> str:
    """The ICS status of a competition's items."""
    return "CANCELLED" if competition.status == CompetitionStatus.CANCELLED else "CONFIRMED"


def _status_lines(competition) -> list[str]:
    return [_("Status: %(status)s", status=str(CompetitionStatus(competition.status).label))]


class CompetitionSource(sources.Source):
    kind = "competition"
    watched = (Competition, CompetitionEvent, Entry, EntrySupport, Venue, VenueFeature)

    def touched(self, session, obj, deleted):
        if isinstance(obj, Competition):
            return {(self.kind, obj.id)}, {f"competition:{obj.id}"}
        if isinstance(obj, CompetitionEvent):
            return {(self.kind, obj.competition_id), ("competition_event", obj.id)}, set()
        if isinstance(obj, Entry | EntrySupport):
            event_id = obj.event_id if isinstance(obj, Entry) else _entry_event(session, obj)
            if event_id is None:
                return set(), set()
            competition_id = session.scalar(
                sa.select(CompetitionEvent.competition_id).where(CompetitionEvent.id == event_id)
            )
            keys = {("competition_event", event_id)}
            if competition_id is not None:
                keys.add((self.kind, competition_id))
            return keys, set()
        if isinstance(obj, Venue | VenueFeature):
            venue_id = obj.id if isinstance(obj, Venue) else obj.venue_id
            return set(), {f"venue:{venue_id}"}
        return set(), set()

    def all_ids(self, session):
        return list(session.scalars(sa.select(Competition.id)))

    def page_url(self, source_id):
        from flask import url_for

        from app.extensions import db

        if db.session.get(Competition, source_id) is None:
            return None
        return url_for("competitions.detail", competition_id=source_id)

    def load(self, session, ids):
        competitions = session.scalars(
            sa.select(Competition)
            .where(Competition.id.in_(ids))
            .options(sources.venue_options(Competition.venue))
        ).all()
        event_rows = session.execute(
            sa.select(CompetitionEvent.competition_id, CompetitionEvent.id).where(
                CompetitionEvent.competition_id.in_(ids)
            )
        ).all()
        people = _people_by_event(session, [event_id for _c, event_id in event_rows])
        by_competition: dict[int, set[str]] = {}
        for competition_id, event_id in event_rows:
            by_competition.setdefault(competition_id, set()).update(people[event_id])
        out = {}
        for competition in competitions:
            venue = competition.venue
            keys = {"public", f"competition:{competition.id}"}
            if venue is not None:
                keys.add(f"venue:{venue.id}")
            keys |= by_competition.get(competition.id, set())

            def text(lang, competition=competition, venue=venue):
                lines = [
                    _("Level: %(level)s", level=str(Level(competition.level).label)),
                ]
                if competition.host_city:
                    lines.append(_("Host city: %(city)s", city=competition.host_city))
                lines += sources.venue_lines(venue, lang)
                lines += _status_lines(competition)
                return {
                    "summary": competition.name,
                    "location": sources.venue_location(venue, lang, competition.host_city),
                    "description": "\n".join(lines),
                }

            out[competition.id] = self.item(
                competition.id,
                sources.all_day(competition.start_on, competition.end_on),
                days=(competition.start_on, competition.end_on),
                status=_status(competition),
                venue=venue,
                text=text,
                keys=keys,
            )
        return out


def _entry_event(session, support) -> int | None:
    if support.entry_id is None:
        return None
    return session.scalar(sa.select(Entry.event_id).where(Entry.id == support.entry_id))


class CompetitionEventSource(sources.Source):
    kind = "competition_event"
    # Changes are routed by CompetitionSource.touched (one handler for the whole domain).
    watched = ()

    def page_url(self, source_id):
        from flask import url_for

        from app.extensions import db

        competition_id = db.session.scalar(
            sa.select(CompetitionEvent.competition_id).where(CompetitionEvent.id == source_id)
        )
        if competition_id is None:
            return None
        return url_for(
            "competitions.detail", competition_id=competition_id, _anchor=f"event-{source_id}"
        )

    def all_ids(self, session):
        return list(
            session.scalars(
                sa.select(CompetitionEvent.id).where(CompetitionEvent.starts_at.is_not(None))
            )
        )

    def load(self, session, ids):
        events = session.scalars(
            sa.select(CompetitionEvent)
            .where(CompetitionEvent.id.in_(ids), CompetitionEvent.starts_at.is_not(None))
            .options(
                selectinload(CompetitionEvent.competition).options(
                    sources.venue_options(Competition.venue)
                ),
                selectinload(CompetitionEvent.sport),
                sources.venue_options(CompetitionEvent.venue),
            )
        ).all()
        people = _people_by_event(session, [event.id for event in events])
        out = {}
        for event in events:
            competition = event.competition
            venue = event.venue or competition.venue
            keys = {"public", f"competition:{competition.id}"} | people[event.id]
            if venue is not None:
                keys.add(f"venue:{venue.id}")
            starts = event.starts_at
            ends = event.ends_at or starts + DEFAULT_DURATION
            day = clock.local_date(starts)

            def text(lang, event=event, competition=competition, venue=venue):
                sport = event.sport.name_en if lang == "en" else event.sport.name
                what = " · ".join(
                    p for p in (sport, str(EventGender(event.gender).label), event.sport_class) if p
                )
                lines = [
                    _("Competition: %(name)s", name=competition.name),
                    _("Sport: %(sport)s", sport=what),
                ]
                lines += sources.venue_lines(venue, lang)
                lines += _status_lines(competition)
                return {
                    "summary": f"{event.name} · {competition.name}",
                    "location": sources.venue_location(venue, lang, competition.host_city),
                    "description": "\n".join(lines),
                }

            if event.all_day:
                when, last_day = sources.all_day(day, day), day
            else:
                when, last_day = sources.timed(starts, ends), max(clock.local_date(ends), day)
            out[event.id] = self.item(
                event.id,
                when,
                days=(day, last_day),
                status=_status(competition),
                venue=venue,
                text=text,
                keys=keys,
            )
        return out


sources.register(CompetitionSource())
sources.register(CompetitionEventSource())
