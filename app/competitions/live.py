"""Live results of one competition for the public (issue 17): the data of the live page
(``/competitions/<id>/live``) and of ``GET /api/v1/competitions/<id>/results``, and their
validator.

``validator(competition_id)`` is one cheap statement of aggregates over the competition's
rows — the competition's version, its events' count, versions and publication instants, its
entries' count and versions, its results' count and versions, and the consents and names of
the people entered (count, latest change) — hashed with what else changes the answer (the
reader's language, whether the reader sees every name, today's date: an under-14 athlete's
consent counts only when given by the guardian). Every change the pages show raises one of
them: a saved result raises its version (VersionedMixin), publishing raises the event's and
the results'. None when the competition does not exist. An unchanged page answers 304 from
this one query, without building anything.

``build(competition_id, sees_all)`` loads the page's data in a fixed number of queries:
events in programme order, each with its results (entries not withdrawn that have one),
ordered by rank (ties by entry), then the results without a rank (OK, then DNS, DNF, DSQ).
A result is official or provisional (``Result.is_provisional``) and may carry its latest
correction. Athletes are named only with publication consent (staff who sign in see every
name, app/competitions/rules); the others are "athlete of <delegation>", or "an athlete"
when the competition names no delegation — counts are never reduced.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.athletes.models import AthleteProfile
from app.competitions import rules
from app.competitions.enums import EntryStatus, ResultStatus
from app.competitions.models import Competition, CompetitionEvent, Entry, Result, entry_members
from app.core import clock
from app.extensions import db
from app.people.models import Consent, Person


def validator(competition_id: int, *parts: str) -> str | None:
    """The ETag value (without quotes) of the competition's live results, or None when there
    is no such competition: one statement (see the module docstring). ``parts``: what else the
    answer depends on (language, reader, representation)."""
    ev, en, re_ = CompetitionEvent, Entry, Result
    in_competition = sa.select(ev.id).where(ev.competition_id == competition_id)
    entries = sa.select(en.id).where(en.event_id.in_(in_competition))
    people = (
        sa.select(AthleteProfile.person_id)
        .join(entry_members, entry_members.c.athlete_id == AthleteProfile.id)
        .where(entry_members.c.entry_id.in_(entries))
    )
    row = db.session.execute(
        sa.select(
            Competition.version,
            sa.select(sa.func.count(ev.id))
            .where(ev.competition_id == competition_id)
            .scalar_subquery(),
            sa.select(sa.func.coalesce(sa.func.sum(ev.version), 0))
            .where(ev.competition_id == competition_id)
            .scalar_subquery(),
            sa.select(sa.func.max(ev.results_published_at))
            .where(ev.competition_id == competition_id)
            .scalar_subquery(),
            sa.select(sa.func.count(en.id)).where(en.id.in_(entries)).scalar_subquery(),
            sa.select(sa.func.coalesce(sa.func.sum(en.version), 0))
            .where(en.id.in_(entries))
            .scalar_subquery(),
            sa.select(sa.func.count(re_.id)).where(re_.entry_id.in_(entries)).scalar_subquery(),
            sa.select(sa.func.coalesce(sa.func.sum(re_.version), 0))
            .where(re_.entry_id.in_(entries))
            .scalar_subquery(),
            sa.select(sa.func.count(Consent.id))
            .where(Consent.person_id.in_(people))
            .scalar_subquery(),
            sa.select(sa.func.max(Consent.updated_at))
            .where(Consent.person_id.in_(people))
            .scalar_subquery(),
            sa.select(sa.func.max(Person.updated_at))
            .where(Person.id.in_(people))
            .scalar_subquery(),
        ).where(Competition.id == competition_id)
    ).first()
    if row is None:
        return None
    digest = hashlib.sha256()
    for part in (*parts, clock.today().isoformat(), *(str(value) for value in row)):
        digest.update(part.encode() + b"\x00")
    return digest.hexdigest()[:32]


@dataclass
class LiveAthlete:
    name: str | None  # None: no publication consent (and a public reader)
    shown_as: str


@dataclass
class LiveResult:
    entry_id: int
    team_name: str
    athletes: list[LiveAthlete]
    rank: int | None
    mark: str
    status: ResultStatus
    medal: object
    provisional: bool
    corrected_at: datetime | None
    correction_reason: str


@dataclass
class LiveEvent:
    id: int
    name: str
    sport: str
    is_team: bool
    starts_at: datetime | None
    day: date | None
    all_day: bool
    published_at: datetime | None
    results: list[LiveResult] = field(default_factory=list)
    waiting: int = 0  # entries (not withdrawn) without a result yet

    @property
    def provisional(self) -> int:
        return sum(1 for result in self.results if result.provisional)


@dataclass
class LiveResults:
    competition: Competition
    events: list[LiveEvent]


STATUS_ORDER = {status: position for position, status in enumerate(ResultStatus)}


def _order(result: LiveResult) -> tuple:
    return (
        result.rank is None,
        result.rank or 0,
        STATUS_ORDER[result.status],
        result.entry_id,
    )


def build(competition_id: int, *, sees_all: bool) -> LiveResults | None:
    """The competition's live results (see the module docstring); None when there is no such
    competition. Four queries: the competition with its events and sports, the entries, their
    athletes with people and consents, and their results."""
    competition = db.session.scalar(
        sa.select(Competition)
        .where(Competition.id == competition_id)
        .options(selectinload(Competition.events).joinedload(CompetitionEvent.sport))
    )
    if competition is None:
        return None
    entries = list(
        db.session.scalars(
            sa.select(Entry)
            .where(
                Entry.event_id.in_([event.id for event in competition.events]),
                Entry.status != EntryStatus.WITHDRAWN,
            )
            .order_by(Entry.id)
            .options(
                selectinload(Entry.athletes).options(
                    joinedload(AthleteProfile.person).selectinload(Person.consents)
                ),
                selectinload(Entry.result),
            )
        )
    )
    hidden = rules.hidden_name(competition)
    events = {
        event.id: LiveEvent(
            id=event.id,
            name=event.name,
            sport=event.sport.display_name,
            is_team=event.is_team,
            starts_at=event.starts_at,
            day=event.day,
            all_day=event.all_day,
            published_at=event.results_published_at,
        )
        for event in competition.events
    }
    for entry in entries:
        live_event = events[entry.event_id]
        result = entry.result
        if result is None:
            live_event.waiting += 1
            continue
        athletes = []
        for athlete in entry.athletes:
            person = athlete.person
            named = sees_all or person.has_publication_consent
            athletes.append(
                LiveAthlete(
                    name=person.name if named else None,
                    shown_as=person.name if named else hidden,
                )
            )
        live_event.results.append(
            LiveResult(
                entry_id=entry.id,
                team_name=entry.team_name,
                athletes=athletes,
                rank=result.rank,
                mark=result.mark,
                status=result.status,
                medal=result.medal,
                provisional=result.is_provisional,
                corrected_at=result.corrected_at,
                correction_reason=result.correction_reason,
            )
        )
    for live_event in events.values():
        live_event.results.sort(key=_order)
    return LiveResults(competition=competition, events=list(events.values()))
