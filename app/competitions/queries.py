"""Read queries of the competition pages, each with fixed eager loading so a page's query
count does not grow with its data."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.athletes.models import AthleteProfile
from app.competitions.models import Competition, CompetitionEvent, Entry, EntrySupport
from app.extensions import db
from app.people.models import Person


def competitions(limit: int | None = None) -> list[Competition]:
    """Competitions, latest (or next) first."""
    stmt = sa.select(Competition).order_by(Competition.start_on.desc(), Competition.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def _entry_options():
    return (
        selectinload(Entry.athletes).options(
            joinedload(AthleteProfile.person).selectinload(Person.consents),
            selectinload(AthleteProfile.coaches),
        ),
        selectinload(Entry.result),
        selectinload(Entry.support).joinedload(EntrySupport.person),
    )


def competition_for_detail(competition_id: int) -> Competition | None:
    return db.session.get(
        Competition,
        competition_id,
        populate_existing=True,
        options=(
            selectinload(Competition.sports),
            joinedload(Competition.venue),
            selectinload(Competition.events).options(
                joinedload(CompetitionEvent.sport),
                joinedload(CompetitionEvent.venue),
                selectinload(CompetitionEvent.entries).options(*_entry_options()),
            ),
        ),
    )


def entry_for_page(entry_id: int) -> Entry | None:
    """An entry with its event, competition, athletes, result and support people."""
    return db.session.get(
        Entry,
        entry_id,
        populate_existing=True,
        options=(
            joinedload(Entry.event).joinedload(CompetitionEvent.competition),
            *_entry_options(),
        ),
    )


def event_for_results(event_id: int) -> CompetitionEvent | None:
    """An event with its competition, sport, venue and every entry (athletes with their
    people, consents and coaches, result, support people): the results pages and printouts."""
    return db.session.get(
        CompetitionEvent,
        event_id,
        populate_existing=True,
        options=(
            joinedload(CompetitionEvent.competition),
            joinedload(CompetitionEvent.sport),
            joinedload(CompetitionEvent.venue),
            selectinload(CompetitionEvent.entries).options(*_entry_options()),
        ),
    )


def enterable_athletes(user, manages: bool) -> list[AthleteProfile]:
    """Athletes the user may enter: all for those who manage the competition, otherwise the
    athletes the coach coaches."""
    stmt = (
        sa.select(AthleteProfile)
        .join(AthleteProfile.person)
        .options(joinedload(AthleteProfile.person))
        .order_by(Person.name_pinyin, AthleteProfile.id)
    )
    if not manages:
        stmt = stmt.where(AthleteProfile.coaches.any(User.id == user.id))
    return list(db.session.scalars(stmt))


def class_codes(sport_id: int, athlete_ids) -> dict[int, str]:
    """{athlete id: class code} of the given athletes' classes in one sport: one query."""
    from app.athletes.models import Classification

    ids = list(athlete_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Classification.athlete_id, Classification.class_code).where(
                Classification.sport_id == sport_id, Classification.athlete_id.in_(ids)
            )
        ).all()
    )


def career_results(athlete_id: int, *, with_support: bool = False) -> list:
    """Every result of an athlete, newest competition first, team entries included: one
    query (rows of Entry, CompetitionEvent, Competition, Result), and one more for the
    entries' support people ``with_support`` (staff pages)."""
    from app.competitions.models import Result, entry_members

    options = (selectinload(Entry.support).joinedload(EntrySupport.person),)
    return list(
        db.session.execute(
            sa.select(Entry, CompetitionEvent, Competition, Result)
            .join(entry_members, entry_members.c.entry_id == Entry.id)
            .join(CompetitionEvent, CompetitionEvent.id == Entry.event_id)
            .join(Competition, Competition.id == CompetitionEvent.competition_id)
            .outerjoin(Result, Result.entry_id == Entry.id)
            .where(entry_members.c.athlete_id == athlete_id)
            .order_by(Competition.start_on.desc(), CompetitionEvent.id, Entry.id)
            .options(*(options if with_support else ()))
        )
    )


def manager_choices() -> list[tuple[str, str]]:
    """(id, display name) of the active coaches who may manage a competition: one query."""
    from app.accounts.enums import Role
    from app.accounts.queries import active_users_with

    return [(str(user.id), user.display_name) for user in active_users_with(Role.COACH)]


def delegations() -> list[str]:
    """The delegations named on competitions, for the medal table's filter: one query."""
    return list(
        db.session.scalars(
            sa.select(Competition.delegation)
            .where(Competition.delegation != "")
            .distinct()
            .order_by(Competition.delegation)
        )
    )
