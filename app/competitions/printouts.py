"""What the printed competition documents say (issue 17): start lists and the programme (before
the start), certificates and the medal ceremony sheet (award documents). Read queries with
fixed eager loading: a document costs the same few queries whatever the number of events and
entries. Withdrawn entries are on none of them. Staff documents: every athlete is named,
publication consent or not (a certificate is the athlete's own, printed for them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.athletes.models import AthleteProfile, Classification
from app.competitions import queries, services, startlists
from app.competitions.enums import EntryStatus, Medal, ResultStatus
from app.competitions.models import Competition, CompetitionEvent, Entry, EntrySupport
from app.extensions import db

# Sports whose "lane" is a target (the start list's heading says so).
TARGET_SPORTS = frozenset({"archery", "shooting"})


def _entry_options():
    return (
        selectinload(Entry.athletes).joinedload(AthleteProfile.person),
        selectinload(Entry.support).joinedload(EntrySupport.person),
        selectinload(Entry.result),
    )


def _competition(competition_id: int, event_id: int | None = None) -> Competition | None:
    """The competition with its events (or the one event), their sport and venue, and every
    entry with athletes, support people and result: three to six queries, whatever the size."""
    events = selectinload(Competition.events).options(
        joinedload(CompetitionEvent.sport),
        joinedload(CompetitionEvent.venue),
        selectinload(CompetitionEvent.entries).options(*_entry_options()),
    )
    return db.session.get(
        Competition,
        competition_id,
        populate_existing=True,
        options=(joinedload(Competition.venue), events),
    )


def _classes(events) -> dict[tuple[int, int], Classification]:
    """{(athlete id, sport id): classification} of every athlete entered in ``events``: one
    query (none when nobody is entered)."""
    athlete_ids = {a.id for e in events for entry in e.entries for a in entry.athletes}
    sport_ids = {e.sport_id for e in events}
    if not athlete_ids:
        return {}
    return {
        (c.athlete_id, c.sport_id): c
        for c in db.session.scalars(
            sa.select(Classification).where(
                Classification.athlete_id.in_(athlete_ids),
                Classification.sport_id.in_(sport_ids),
            )
        )
    }


@dataclass
class Starter:
    """One athlete of a start line: name, their class in the event's sport ("" without one)
    and the classification warning for officials (None when there is nothing to say)."""

    athlete: AthleteProfile
    name: str
    sport_class: str
    warning: services.EntryWarning | None


@dataclass
class StartLine:
    order: int
    entry: Entry
    starters: list[Starter]
    support: list[EntrySupport]


@dataclass
class StartList:
    event: CompetitionEvent
    lines: list[StartLine]
    uses_targets: bool
    has_heats: bool = False
    has_lanes: bool = False
    has_bibs: bool = False
    warnings: int = 0


def _start_list(event: CompetitionEvent, classes, last_day: date) -> StartList:
    live = startlists.in_order(e for e in event.entries if e.status is not EntryStatus.WITHDRAWN)
    lines = []
    for order, entry in enumerate(live, 1):
        starters = []
        for athlete in entry.athletes:
            found = classes.get((athlete.id, event.sport_id))
            starters.append(
                Starter(
                    athlete,
                    athlete.person.name,
                    found.class_code if found else "",
                    services.class_warning(athlete, found, last_day),
                )
            )
        lines.append(StartLine(order, entry, starters, list(entry.support)))
    return StartList(
        event=event,
        lines=lines,
        uses_targets=event.sport.code in TARGET_SPORTS,
        has_heats=any(e.heat for e in live),
        has_lanes=any(e.lane for e in live),
        has_bibs=any(e.bib for e in live),
        warnings=sum(1 for line in lines for s in line.starters if s.warning),
    )


def programme(competition_id: int) -> tuple[Competition, list[StartList]] | None:
    """The competition and the start list of each of its events, in programme order (the
    events' start, then id). None when there is no such competition."""
    competition = _competition(competition_id)
    if competition is None:
        return None
    classes = _classes(competition.events)
    return competition, [_start_list(e, classes, competition.end_on) for e in competition.events]


def start_list(event_id: int) -> StartList | None:
    """One event's start list (its competition loaded with it)."""
    event = queries.event_for_results(event_id)
    if event is None:
        return None
    return _start_list(event, _classes([event]), event.competition.end_on)


@dataclass
class Certificate:
    """One certificate: one athlete of one entry. ``medal`` is None without a medal;
    ``place`` the rank when the result has one."""

    entry: Entry
    athlete: AthleteProfile
    name: str
    event: CompetitionEvent
    competition: Competition
    sport_class: str
    medal: Medal | None
    place: int | None
    day: date

    @property
    def key(self) -> str:
        return f"{self.entry.id}-{self.athlete.id}"


def _day(event: CompetitionEvent, competition: Competition) -> date:
    """The certificate's date: the event's day (Beijing), else the competition's last day."""
    return event.day or competition.end_on


def _certificates(event: CompetitionEvent, classes, entries, medallists_only: bool):
    made = []
    for entry in entries:
        result = entry.result
        if entry.status is EntryStatus.WITHDRAWN:
            continue
        if result is not None and result.status is ResultStatus.DNS:
            continue  # did not take part
        medal = result.medal if result and result.medal is not Medal.NONE else None
        if medallists_only and medal is None:
            continue
        place = result.rank if result and result.status is ResultStatus.OK else None
        for athlete in entry.athletes:
            found = classes.get((athlete.id, event.sport_id))
            made.append(
                Certificate(
                    entry=entry,
                    athlete=athlete,
                    name=athlete.person.name,
                    event=event,
                    competition=event.competition,
                    sport_class=event.sport_class or (found.class_code if found else ""),
                    medal=medal,
                    place=place,
                    day=_day(event, event.competition),
                )
            )
    # Medallists first (gold, silver, bronze), then by place, then in start-list order.
    made.sort(
        key=lambda c: (
            c.medal.rank if c.medal else 4,
            c.place or 10**6,
            startlists.order_key(c.entry, c.athlete.person.name_pinyin),
        )
    )
    return made


def event_certificates(event_id: int, *, medallists_only: bool = False):
    """(event, certificates) of an event: one per athlete of every entry that took part
    (withdrawn and DNS entries have none); only medallists' with ``medallists_only``."""
    event = queries.event_for_results(event_id)
    if event is None:
        return None
    return event, _certificates(event, _classes([event]), event.entries, medallists_only)


def entry_certificates(entry_id: int):
    """(entry, certificates) of one entry: one per athlete (none when it did not take part)."""
    entry = db.session.get(
        Entry,
        entry_id,
        populate_existing=True,
        options=(
            joinedload(Entry.event).options(
                joinedload(CompetitionEvent.competition), joinedload(CompetitionEvent.sport)
            ),
            *_entry_options(),
        ),
    )
    if entry is None:
        return None
    event = entry.event
    return entry, _certificates(event, _classes_of([entry], event), [entry], False)


def _classes_of(entries, event):
    ids = {a.id for entry in entries for a in entry.athletes}
    return {
        (c.athlete_id, c.sport_id): c
        for c in db.session.scalars(
            sa.select(Classification).where(
                Classification.athlete_id.in_(ids), Classification.sport_id == event.sport_id
            )
        )
    }


@dataclass
class Step:
    """One step of the podium: its medal and the entries standing on it (shared ranks and
    two bronzes stand together)."""

    medal: Medal
    entries: list[Entry] = field(default_factory=list)


def ceremony(event_id: int):
    """(event, steps): the podium of an event in the order the medals are presented —
    bronze, silver, gold — each step with every entry holding that medal (OK results of
    entries not withdrawn). As app/competitions/standings.py counts them, ties share a medal
    and an event may award two bronzes; a step nobody holds is there with no entries (a
    shared gold leaves no silver), so the sheet says so."""
    event = queries.event_for_results(event_id)
    if event is None:
        return None
    steps = {medal: Step(medal) for medal in (Medal.BRONZE, Medal.SILVER, Medal.GOLD)}
    for entry in event.entries:
        result = entry.result
        if (
            entry.status is EntryStatus.WITHDRAWN
            or result is None
            or result.status is not ResultStatus.OK
            or result.medal is Medal.NONE
        ):
            continue
        steps[result.medal].entries.append(entry)
    for step in steps.values():
        step.entries = startlists.in_order(step.entries)
    return event, list(steps.values())
