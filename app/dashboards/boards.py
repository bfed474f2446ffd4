"""The home page's widgets, one set per role the user holds (an admin sees the admin widgets;
a user with several roles sees each role's).

Each widget is one query, or a fixed handful where a domain's own query function already does
the work (the homes staff dashboard, the calendar's personal feed keys), and every list is
limited, so the page's query count does not grow with the data (tests/dashboards)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.accounts.enums import Role
from app.accounts.models import User
from app.athletes import queries as athlete_queries
from app.athletes.models import AthleteProfile
from app.calendars.models import CalendarItem, CalendarItemFeed
from app.competitions.enums import CompetitionStatus, EntryStatus
from app.competitions.models import Competition, CompetitionEvent, Entry, Result, entry_members
from app.core import clock
from app.core.audit import AuditEvent
from app.extensions import db
from app.homes import access as home_access
from app.homes import queries as home_queries
from app.homes import recurrence
from app.homes.models import Home, Membership
from app.people.models import Person
from app.performances import queries as performance_queries
from app.performances.enums import PerformanceStatus
from app.performances.models import ClashOverride, Performance, programme_organisers
from app.venues.models import Venue

LIST_LIMIT = 10
NEXT_EVENTS_DAYS = 60


# --- coach --------------------------------------------------------------------------------


@dataclass
class CoachBoard:
    athletes: list[AthleteProfile]
    athlete_count: int
    competitions: list[Competition]
    reviews: list
    results_due: list[tuple[CompetitionEvent, int]]  # (event, entries without a result)


# The coach's statements are built once and run with their parameters (user_id, today, now):
# building and keying them cost more of the page than running them (docs/benchmarks.md).
_USER: sa.BindParameter[int] = sa.bindparam("user_id")


def _coach_entries():
    """Entry ids of the coach's athletes (athletes.queries.mine), entries not withdrawn."""
    return (
        sa.select(Entry.id)
        .join(entry_members, entry_members.c.entry_id == Entry.id)
        .join(AthleteProfile, AthleteProfile.id == entry_members.c.athlete_id)
        .where(athlete_queries.coached_by(_USER), Entry.status != EntryStatus.WITHDRAWN)
    )


@cache
def _upcoming_competitions() -> sa.Select:
    # One IN over a UNION, not "manager_id = :u OR id IN (…)": PostgreSQL reads every
    # competition for the OR (as for athletes.queries.coached_by). The alias keeps the
    # managed-competitions subquery whole inside the statement over competitions.
    managed = sa.alias(Competition.__table__, "managed")
    mine = sa.union(
        sa.select(managed.c.id).where(managed.c.manager_id == _USER),
        sa.select(CompetitionEvent.competition_id)
        .join(Entry, Entry.event_id == CompetitionEvent.id)
        .where(Entry.id.in_(_coach_entries())),
    )
    return (
        sa.select(Competition)
        .where(
            Competition.end_on >= sa.bindparam("today", type_=sa.Date),
            Competition.status != CompetitionStatus.CANCELLED,
            Competition.id.in_(mine),
        )
        .order_by(Competition.start_on, Competition.id)
        .limit(LIST_LIMIT)
    )


def upcoming_competitions(user, today: date) -> list[Competition]:
    """Competitions not over and not cancelled that the coach manages or has athletes in."""
    return list(db.session.scalars(_upcoming_competitions(), {"user_id": user.id, "today": today}))


@cache
def _results_to_enter() -> sa.Select:
    started = sa.or_(
        CompetitionEvent.starts_at <= sa.bindparam("now"),
        sa.and_(
            CompetitionEvent.starts_at.is_(None),
            Competition.end_on < sa.bindparam("today", type_=sa.Date),
        ),
    )
    missing = (
        sa.select(Entry.event_id, sa.func.count(sa.distinct(Entry.id)).label("entries"))
        .outerjoin(Result, Result.entry_id == Entry.id)
        .where(Result.id.is_(None), Entry.id.in_(_coach_entries()))
        .group_by(Entry.event_id)
        .subquery()
    )
    return (
        sa.select(CompetitionEvent, missing.c.entries)
        .join(missing, missing.c.event_id == CompetitionEvent.id)
        .join(Competition, Competition.id == CompetitionEvent.competition_id)
        .where(started, Competition.status != CompetitionStatus.CANCELLED)
        .options(joinedload(CompetitionEvent.competition))
        .order_by(CompetitionEvent.starts_at.desc().nulls_last(), CompetitionEvent.id.desc())
        .limit(LIST_LIMIT)
    )


def results_to_enter(user, now: datetime, today: date) -> list[tuple[CompetitionEvent, int]]:
    """Events that have started (by their start time, else their competition's last day)
    with entries of the coach's athletes that have no result, with how many: one query."""
    rows = db.session.execute(
        _results_to_enter(), {"user_id": user.id, "now": now, "today": today}
    ).all()
    return [(event, count) for event, count in rows]


def coach_board(user, today: date, now: datetime) -> CoachBoard:
    athletes = athlete_queries.my_athletes(user)
    return CoachBoard(
        athletes=athletes[:LIST_LIMIT],
        athlete_count=len(athletes),
        competitions=upcoming_competitions(user, today),
        reviews=athlete_queries.reviews_due(user, today)[:LIST_LIMIT],
        results_due=results_to_enter(user, now, today),
    )


# --- organiser ----------------------------------------------------------------------------


@dataclass
class OrganiserBoard:
    upcoming: list[Performance]
    more_upcoming: bool
    overrides: list[ClashOverride]
    awaiting_audience: list[Performance]


def _organised_by(user):
    return Performance.programme_id.in_(
        sa.select(programme_organisers.c.programme_id).where(
            programme_organisers.c.user_id == user.id
        )
    )


def clash_overrides(user, now: datetime) -> list[ClashOverride]:
    """Clashes the organiser's coming performances were saved over (with the reason)."""
    return list(
        db.session.scalars(
            sa.select(ClashOverride)
            .join(Performance, Performance.id == ClashOverride.performance_id)
            .where(
                _organised_by(user),
                Performance.ends_at >= now,
                Performance.status != PerformanceStatus.CANCELLED,
            )
            .options(joinedload(ClashOverride.performance))
            .order_by(Performance.starts_at, ClashOverride.id)
            .limit(LIST_LIMIT)
        )
    )


def awaiting_audience(user, now: datetime) -> list[Performance]:
    """The organiser's shows that are over (confirmed or done) with no audience count yet."""
    return list(
        db.session.scalars(
            sa.select(Performance)
            .where(
                _organised_by(user),
                Performance.ends_at <= now,
                Performance.status.in_((PerformanceStatus.CONFIRMED, PerformanceStatus.DONE)),
                Performance.audience.is_(None),
            )
            .order_by(Performance.starts_at.desc(), Performance.id.desc())
            .limit(LIST_LIMIT)
        )
    )


def organiser_board(user, today: date, now: datetime) -> OrganiserBoard:
    upcoming, more = performance_queries.agenda(
        performance_queries.AgendaFilters(organiser_id=user.id, date_from=today),
        user,
        frozenset(),
        limit=LIST_LIMIT,
    )
    return OrganiserBoard(upcoming, more, clash_overrides(user, now), awaiting_audience(user, now))


# --- home staff ---------------------------------------------------------------------------


def staff_board(user, today: date, now: datetime) -> home_queries.Dashboard:
    """The homes staff dashboard's data (app/homes/queries.dashboard), for the user's homes."""
    return home_queries.dashboard(home_access.managed_home_ids(user), today, now)


# --- participant: my next events ------------------------------------------------------------


@dataclass(frozen=True)
class NextEvent:
    start: datetime | date  # naive local wall-clock time, or a day for all-day items
    end: datetime | date | None
    title: str
    location: str
    url: str
    all_day: bool


def _local_path(url: str) -> str:
    """The calendar stores absolute links (RONGHE_BASE_URL); the page links within the site."""
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment)) if parts.path else ""


def _parse_local(text: str, all_day: bool):
    return date.fromisoformat(text) if all_day else datetime.fromisoformat(text)


def _item_events(fields: dict, lang: str, now: datetime, until: datetime) -> list[NextEvent]:
    """The item's events (a recurring one's sessions) ending after ``now``, before ``until``
    (naive local times), from the fields the calendar rendered it from."""
    if fields.get("status") == "CANCELLED":
        return []
    text = fields.get("text", {}).get(lang) or fields.get("text", {}).get("zh", {})
    all_day = bool(fields.get("all_day"))
    start = _parse_local(fields["start"], all_day)
    end = _parse_local(fields["end"], all_day) if fields.get("end") else None
    if all_day and end is not None:
        # The calendar stores an all-day end as exclusive (DTEND): the page shows, and
        # filters by, the last day itself (issue 12 item 12).
        end = max(start, end - timedelta(days=1))

    def make(s, e, location=None):
        return NextEvent(
            s, e, text.get("summary", ""), location or text.get("location", ""),
            _local_path(fields.get("url", "")), all_day,
        )  # fmt: skip

    if all_day:
        last = end or start
        return [make(start, end)] if last >= now.date() and start <= until.date() else []
    length = (end - start) if end else timedelta(0)
    if not fields.get("rrule"):
        return [make(start, end)] if (end or start) > now and start < until else []
    out = []
    exdates = set(fields.get("exdates", []))
    overrides = {o["recurrence_id"]: o for o in fields.get("overrides", [])}
    zone = clock.zone()

    def utc(local: datetime) -> datetime:
        return local.replace(tzinfo=zone).astimezone(UTC)

    for instant in recurrence.rule_starts(
        utc(start), fields["rrule"], utc(now - length), utc(until)
    ):
        s = instant.astimezone(zone).replace(tzinfo=None)
        key = s.isoformat()
        if key in exdates:
            continue
        moved = overrides.get(key)
        if moved:
            location = (moved.get("location") or {}).get(lang)
            out.append(
                make(
                    _parse_local(moved["start"], False), _parse_local(moved["end"], False), location
                )
            )
        else:
            out.append(make(s, s + length))
    return [e for e in out if (e.end or e.start) > now and e.start < until]


def next_events(user, lang: str, now_local: datetime, limit: int = 8) -> list[NextEvent]:
    """The user's next events from the calendar's rendered items of their personal feed keys
    (app/calendars/routes.personal_keys): one query for the items, whatever their number."""
    from app.calendars.routes import personal_keys

    keys = personal_keys(user.id, user.person_id)
    today = now_local.date()
    until = now_local + timedelta(days=NEXT_EVENTS_DAYS)
    fields = db.session.scalars(
        sa.select(CalendarItem.fields)
        .where(
            CalendarItem.id.in_(
                sa.select(CalendarItemFeed.item_id).where(CalendarItemFeed.feed_key.in_(keys))
            ),
            CalendarItem.ends_on >= today,
            CalendarItem.starts_on <= until.date(),
            CalendarItem.cancelled_at.is_(None),
        )
        .order_by(CalendarItem.starts_on, CalendarItem.id)
        .limit(200)
    ).all()
    events = []
    for f in fields:
        events.extend(_item_events(f, lang, now_local, until))

    def sort_key(e: NextEvent):
        moment = (
            e.start
            if isinstance(e.start, datetime)
            else datetime.combine(e.start, datetime.min.time())
        )
        return (moment, e.title)

    return sorted(events, key=sort_key)[:limit]


# --- admin --------------------------------------------------------------------------------


@dataclass
class Headline:
    people: int
    athletes: int
    coming_competitions: int
    performances_this_year: int
    homes: int
    members: int
    venues: int
    users: int


def headline(today: date) -> Headline:
    """The register's headline figures: one query of scalar subqueries."""

    def count(query):
        return query.scalar_subquery()

    year_start = date(today.year, 1, 1)
    row = db.session.execute(
        sa.select(
            count(sa.select(sa.func.count(Person.id)).where(Person.is_archived.is_(False))),
            count(sa.select(sa.func.count(AthleteProfile.id))),
            count(
                sa.select(sa.func.count(Competition.id)).where(
                    Competition.end_on >= today, Competition.status != CompetitionStatus.CANCELLED
                )
            ),
            count(
                sa.select(sa.func.count(Performance.id)).where(
                    Performance.status == PerformanceStatus.DONE,
                    Performance.held_on >= year_start,
                    Performance.held_on <= today,
                )
            ),
            count(sa.select(sa.func.count(Home.id)).where(Home.is_archived.is_(False))),
            count(
                sa.select(sa.func.count(sa.distinct(Membership.person_id))).where(
                    Membership.joined_on <= today,
                    sa.or_(Membership.left_on.is_(None), Membership.left_on > today),
                )
            ),
            count(sa.select(sa.func.count(Venue.id)).where(Venue.is_archived.is_(False))),
            count(sa.select(sa.func.count(User.id)).where(User.is_active_account.is_(True))),
        )
    ).one()
    return Headline(*row)


def recent_audit(limit: int = LIST_LIMIT) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


@dataclass
class AdminBoard:
    figures: Headline
    audit: list[AuditEvent] = field(default_factory=list)


def admin_board(today: date) -> AdminBoard:
    return AdminBoard(headline(today), recent_audit())


# --- the page -----------------------------------------------------------------------------


@dataclass
class Boards:
    admin: AdminBoard | None = None
    coach: CoachBoard | None = None
    organiser: OrganiserBoard | None = None
    staff: home_queries.Dashboard | None = None
    next_events: list[NextEvent] | None = None

    @property
    def any(self) -> bool:
        return any(
            b is not None
            for b in (self.admin, self.coach, self.organiser, self.staff, self.next_events)
        )


def boards_for(user, *, today: date, now: datetime, now_local: datetime, lang: str) -> Boards:
    """The widgets of every role ``user`` holds (held, not implied: an admin is not shown
    every coach's athletes)."""
    roles = user.roles
    boards = Boards()
    if Role.ADMIN in roles:
        boards.admin = admin_board(today)
    if Role.COACH in roles:
        boards.coach = coach_board(user, today, now)
    if Role.ORGANISER in roles:
        boards.organiser = organiser_board(user, today, now)
    if Role.HOME_STAFF in roles:
        boards.staff = staff_board(user, today, now)
    if Role.PARTICIPANT in roles or user.person_id is not None:
        boards.next_events = next_events(user, lang, now_local)
    return boards
