"""Read queries of the performances domain: the agenda (one query plus the venue features'
select-in, whatever the number of performances), a performance for its page, a person's
bookings, the lists for form choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.people.models import Person
from app.performances import rules
from app.performances.enums import PUBLIC_STATUSES, PerformanceStatus, Setting
from app.performances.models import (
    ClashOverride,
    Performance,
    PerformancePerson,
    PerformanceReschedule,
    Programme,
    Troupe,
    TroupeMember,
    programme_organisers,
)
from app.venues.models import Venue

AGENDA_LIMIT = 200


@dataclass
class AgendaFilters:
    programme_id: int | None = None
    troupe_id: int | None = None
    venue_id: int | None = None
    town_id: int | None = None
    setting: Setting | None = None
    status: PerformanceStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    organiser_id: int | None = None  # "my programmes"


def visibility(user, own: frozenset[int]):
    """The WHERE clause of what ``user`` may see (None: everything)."""
    if rules.is_staff(user):
        return None
    public = sa.and_(Performance.is_public.is_(True), Performance.status.in_(PUBLIC_STATUSES))
    if not own:
        return public
    booked = Performance.id.in_(
        sa.select(PerformancePerson.performance_id).where(PerformancePerson.person_id.in_(own))
    )
    return sa.or_(public, booked)


def _filtered(query, filters: AgendaFilters):
    if filters.programme_id:
        query = query.where(Performance.programme_id == filters.programme_id)
    if filters.troupe_id:
        query = query.where(Performance.troupe_id == filters.troupe_id)
    if filters.venue_id:
        query = query.where(Performance.venue_id == filters.venue_id)
    if filters.town_id:
        query = query.where(
            Performance.venue_id.in_(sa.select(Venue.id).where(Venue.town_id == filters.town_id))
        )
    if filters.setting:
        query = query.where(Performance.setting == filters.setting)
    if filters.status:
        query = query.where(Performance.status == filters.status)
    if filters.date_from:
        query = query.where(Performance.held_on >= filters.date_from)
    if filters.date_to:
        query = query.where(Performance.held_on <= filters.date_to)
    if filters.organiser_id:
        query = query.where(
            Performance.programme_id.in_(
                sa.select(programme_organisers.c.programme_id).where(
                    programme_organisers.c.user_id == filters.organiser_id
                )
            )
        )
    return query


def agenda(filters: AgendaFilters, user, own: frozenset[int], limit: int = AGENDA_LIMIT):
    """(performances in time order, True when more matched than ``limit``)."""
    query = _filtered(
        sa.select(Performance).options(
            joinedload(Performance.venue).joinedload(Venue.town),
            joinedload(Performance.programme),
            joinedload(Performance.troupe),
        ),
        filters,
    )
    clause = visibility(user, own)
    if clause is not None:
        query = query.where(clause)
    rows = list(
        db.session.scalars(query.order_by(Performance.starts_at, Performance.id).limit(limit + 1))
        .unique()
        .all()
    )
    return rows[:limit], len(rows) > limit


def performance_for_page(performance_id: int) -> Performance | None:
    return db.session.scalar(
        sa.select(Performance)
        .where(Performance.id == performance_id)
        .options(
            joinedload(Performance.venue).joinedload(Venue.town),
            joinedload(Performance.programme),
            joinedload(Performance.troupe),
            selectinload(Performance.people)
            .joinedload(PerformancePerson.person)
            .selectinload(Person.consents),
            selectinload(Performance.need_rows),
            selectinload(Performance.reschedules).joinedload(PerformanceReschedule.recorded_by),
            selectinload(Performance.overrides).joinedload(ClashOverride.recorded_by),
            selectinload(Performance.photos),
        )
    )


def booked_person_ids(performance_id: int) -> frozenset[int]:
    """The register people booked on one performance, in one indexed query."""
    return frozenset(
        db.session.scalars(
            sa.select(PerformancePerson.person_id).where(
                PerformancePerson.performance_id == performance_id,
                PerformancePerson.person_id.is_not(None),
            )
        )
    )


def bookings_of(
    person_ids, limit: int = AGENDA_LIMIT
) -> list[tuple[PerformancePerson, Performance]]:
    """Every booking of these people, latest first, with the performance and venue."""
    if not person_ids:
        return []
    rows = db.session.execute(
        sa.select(PerformancePerson, Performance)
        .join(Performance, Performance.id == PerformancePerson.performance_id)
        .where(PerformancePerson.person_id.in_(person_ids))
        .options(
            joinedload(PerformancePerson.person),
            joinedload(Performance.venue).joinedload(Venue.town),
            joinedload(Performance.programme),
        )
        .order_by(Performance.starts_at.desc(), Performance.id)
        .limit(limit)
    ).all()
    return [(row[0], row[1]) for row in rows]


def programmes() -> list[Programme]:
    return list(
        db.session.scalars(sa.select(Programme).order_by(Programme.first_year, Programme.name))
    )


def managed_programmes(user) -> list[Programme]:
    if user.is_admin:
        return programmes()
    return list(
        db.session.scalars(
            sa.select(Programme)
            .join(programme_organisers)
            .where(programme_organisers.c.user_id == user.id)
            .order_by(Programme.first_year, Programme.name)
        )
    )


def troupes() -> list[Troupe]:
    return list(db.session.scalars(sa.select(Troupe).order_by(Troupe.name)))


def troupe_for_page(troupe_id: int) -> Troupe | None:
    return db.session.scalar(
        sa.select(Troupe)
        .where(Troupe.id == troupe_id)
        .options(selectinload(Troupe.members).joinedload(TroupeMember.person))
    )


def venues() -> list[Venue]:
    return list(
        db.session.scalars(
            sa.select(Venue)
            .where(Venue.is_archived.is_(False))
            .options(joinedload(Venue.town))
            .order_by(Venue.name)
        )
    )


def booking_pool(performance: Performance | None) -> list[tuple[int, str]]:
    """(person id, label) of the people a performance may book: every troupe's members and
    whoever is booked already. Two queries."""
    rows = db.session.execute(
        sa.select(Person.id, Person.name, Troupe.name, TroupeMember.role)
        .join(TroupeMember, TroupeMember.person_id == Person.id)
        .join(Troupe, Troupe.id == TroupeMember.troupe_id)
        .where(Person.is_archived.is_(False))
        .order_by(Troupe.name, TroupeMember.role, Person.name, Person.id)
    ).all()
    pool: dict[int, str] = {}
    for person_id, name, troupe_name, role in rows:
        if person_id not in pool:
            pool[person_id] = f"{name} ({troupe_name}, {role.label})"
    if performance is not None:
        for booked in performance.people:
            if booked.person_id is not None and booked.person_id not in pool:
                pool[booked.person_id] = booked.person.name
    return list(pool.items())


def booked_in_programmes_of(user, person_ids) -> frozenset[int]:
    """Which of ``person_ids`` are booked in a performance of a programme ``user`` is
    responsible for (their bookings page is theirs to see). One query."""
    ids = {i for i in person_ids if i is not None}
    if not ids or user is None or getattr(user, "id", None) is None:
        return frozenset()
    return frozenset(
        db.session.scalars(
            sa.select(PerformancePerson.person_id)
            .join(Performance, Performance.id == PerformancePerson.performance_id)
            .join(
                programme_organisers,
                programme_organisers.c.programme_id == Performance.programme_id,
            )
            .where(PerformancePerson.person_id.in_(ids), programme_organisers.c.user_id == user.id)
            .distinct()
        )
    )
