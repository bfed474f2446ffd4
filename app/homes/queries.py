"""Read queries of the homes pages. Each page runs a fixed number of queries whatever the
number of homes, members, activities or attendance rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from app.core.reference import Town
from app.extensions import db
from app.homes import recurrence
from app.homes.enums import AttendanceStatus, Service
from app.homes.models import (
    Activity,
    ActivityException,
    Attendance,
    Home,
    HomeStaff,
    Membership,
    MembershipService,
)
from app.people.models import Person
from app.replies import queries as reply_queries
from app.replies.enums import Answer
from app.replies.models import Reply

ABSENT_DAYS = 30
ABSENT_IN_A_ROW = 3
# How far back the absence alerts read attendance (keeps the dashboard's queries bounded).
HISTORY_DAYS = 180


def active_on(day: date):
    """A membership that runs on ``day`` (joined by then, not left before it)."""
    return sa.and_(
        Membership.joined_on <= day,
        sa.or_(Membership.left_on.is_(None), Membership.left_on >= day),
    )


# --- homes list and detail ----------------------------------------------------------------


@dataclass
class TownRow:
    town: Town
    homes: list[Home]


def homes_by_town(include_archived: bool = False) -> tuple[list[TownRow], dict[int, int]]:
    """Every town with its homes (the coverage view) and {home id: active members}."""
    towns = list(db.session.scalars(sa.select(Town).order_by(Town.sort_order, Town.id)))
    query = sa.select(Home).order_by(Home.name)
    if not include_archived:
        query = query.where(Home.is_archived.is_(False))
    by_town: dict[int, list[Home]] = defaultdict(list)
    for home in db.session.scalars(query):
        by_town[home.town_id].append(home)
    counts = dict(
        db.session.execute(
            sa.select(Membership.home_id, sa.func.count(Membership.id))
            .where(Membership.left_on.is_(None))
            .group_by(Membership.home_id)
        ).all()
    )
    return [TownRow(town, by_town.get(town.id, [])) for town in towns], counts


def home_service_counts(home_id: int) -> dict[Service, int]:
    """Active members by service (numbers only: public)."""
    rows = db.session.execute(
        sa.select(MembershipService.service, sa.func.count(MembershipService.membership_id))
        .join(Membership, Membership.id == MembershipService.membership_id)
        .where(Membership.home_id == home_id, Membership.left_on.is_(None))
        .group_by(MembershipService.service)
    )
    return {Service(service): count for service, count in rows}


def active_memberships(home_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .join(Person, Person.id == Membership.person_id)
            .where(Membership.home_id == home_id, Membership.left_on.is_(None))
            .options(selectinload(Membership.person).load_only(Person.id, Person.name))
            .order_by(Person.name_pinyin, Person.name, Membership.id)
        )
    )


def past_memberships(home_id: int, limit: int = 50) -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.home_id == home_id, Membership.left_on.is_not(None))
            .options(selectinload(Membership.person).load_only(Person.id, Person.name))
            .order_by(Membership.left_on.desc(), Membership.id.desc())
            .limit(limit)
        )
    )


def staff_of(home_id: int):
    from app.accounts.models import User

    return list(
        db.session.scalars(
            sa.select(User)
            .join(HomeStaff, HomeStaff.user_id == User.id)
            .where(HomeStaff.home_id == home_id)
            .order_by(User.display_name)
        )
    )


def week_occurrences(home_ids, day: date, *, public_only: bool):
    start, end = recurrence.local_week_window(day)
    return window_occurrences(home_ids, start, end, public_only=public_only)


def window_occurrences(home_ids, start: datetime, end: datetime, *, public_only: bool):
    where = []
    if home_ids is not None:
        where.append(Activity.home_id.in_(list(home_ids) or [-1]))
    if public_only:
        where.append(Activity.is_public.is_(True))
    return recurrence.load_occurrences(db.session, start, end, where=where)


def home_activities(home_id: int, *, public_only: bool) -> list[Activity]:
    query = sa.select(Activity).where(Activity.home_id == home_id, Activity.is_archived.is_(False))
    if public_only:
        query = query.where(Activity.is_public.is_(True))
    return list(db.session.scalars(query.order_by(Activity.starts_at, Activity.id)))


# --- roll-call ----------------------------------------------------------------------------


@dataclass
class RollCallLine:
    person_id: int
    name: str
    attendance: Attendance | None
    # The member's "I cannot come" reply (app.replies) for this session, if any: the line
    # opens pre-marked absent with its reason until staff save a mark.
    cannot_come: Reply | None = None

    @property
    def prefilled(self) -> bool:
        """Not marked yet, but the member said they cannot come."""
        return self.attendance is None and self.cannot_come is not None


def expected_members(home_id: int, day: date) -> list[tuple[int, str]]:
    """(person id, name) of the members of the home on ``day``, by pinyin (one query)."""
    return [
        (row.id, row.name)
        for row in db.session.execute(
            sa.select(Person.id, Person.name, Person.name_pinyin)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.home_id == home_id, active_on(day))
            .distinct()
            .order_by(Person.name_pinyin, Person.name, Person.id)
        )
    ]


@dataclass(frozen=True)
class SheetRow:
    """One person of a roll-call sync batch: expected at the session or not, and their saved
    mark of the occurrence (``status`` None: not marked yet)."""

    is_member: bool
    status: AttendanceStatus | None
    absence_reason: object
    recorded_by_id: int | None
    recorded_at: datetime | None


def sheet_rows(activity: Activity, original_start: datetime, day: date, person_ids) -> dict:
    """For each of ``person_ids`` that is a person: whether they are a member of the
    activity's home on ``day`` (expected at the session) and their saved mark of the
    occurrence starting at ``original_start`` (one query, for the roll-call sync: a batch reads
    only the members it marks, never the whole list with names)."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    member = (
        sa.exists()
        .where(
            Membership.person_id == Person.id,
            Membership.home_id == activity.home_id,
            active_on(day),
        )
        .label("is_member")
    )
    rows = db.session.execute(
        sa.select(
            Person.id,
            member,
            Attendance.status,
            Attendance.absence_reason,
            Attendance.recorded_by_id,
            Attendance.recorded_at,
        )
        .outerjoin(
            Attendance,
            sa.and_(
                Attendance.person_id == Person.id,
                Attendance.activity_id == activity.id,
                Attendance.occurrence_start == original_start,
            ),
        )
        .where(Person.id.in_(ids))
    )
    return {row.id: SheetRow(bool(row.is_member), *row[2:]) for row in rows}


def roll_call(activity: Activity, occurrence) -> list[RollCallLine]:
    """One line per expected member with their mark so far and their "cannot come" reply
    (three queries)."""
    members = expected_members(activity.home_id, occurrence.local_start.date())
    marks = {
        row.person_id: row
        for row in db.session.scalars(
            sa.select(Attendance).where(
                Attendance.activity_id == activity.id,
                Attendance.occurrence_start == occurrence.original_start,
            )
        )
    }
    replies = cannot_come_replies(activity.id, occurrence.original_start)
    return [RollCallLine(pid, name, marks.get(pid), replies.get(pid)) for pid, name in members]


def cannot_come_replies(activity_id: int, original_start: datetime) -> dict[int, Reply]:
    """{person id: reply} of the members who said they cannot come to one session."""
    return {
        pid: reply
        for pid, reply in reply_queries.for_occurrence(
            "session", activity_id, original_start
        ).items()
        if reply.answer == Answer.NOT_COMING
    }


# --- staff dashboard ----------------------------------------------------------------------


@dataclass
class OccurrenceState:
    occurrence: recurrence.Occurrence
    activity: Activity
    expected: int
    marked: int

    @property
    def done(self) -> bool:
        return self.expected > 0 and self.marked >= self.expected


@dataclass
class Alert:
    person_id: int
    name: str
    home_id: int
    last_present: datetime | None
    long_absence: bool
    in_a_row: bool
    # How to reach them (shown to the home's staff only: the dashboard is theirs).
    membership_id: int = 0
    phone: str = ""
    caregiver: str = ""
    caregiver_phone: str = ""
    contacted_at: datetime | None = None


@dataclass
class Dashboard:
    homes: list[Home]
    today: list[OccurrenceState] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)


def dashboard(home_ids: set[int] | None, today: date, now: datetime) -> Dashboard:
    """Today's occurrences with their roll-call state, and the absence alerts, for the homes
    ``home_ids`` (None: all). A fixed number of queries."""
    query = sa.select(Home).where(Home.is_archived.is_(False)).order_by(Home.name)
    if home_ids is not None:
        query = query.where(Home.id.in_(list(home_ids) or [-1]))
    homes = list(db.session.scalars(query))
    ids = [h.id for h in homes]
    board = Dashboard(homes=homes)
    if not ids:
        return board
    start, end = recurrence.local_day_window(today)
    activities, occs = recurrence.load_occurrences(
        db.session, start, end, where=[Activity.home_id.in_(ids)]
    )
    expected = dict(
        db.session.execute(
            sa.select(Membership.home_id, sa.func.count(sa.distinct(Membership.person_id)))
            .where(Membership.home_id.in_(ids), active_on(today))
            .group_by(Membership.home_id)
        ).all()
    )
    marked: dict[tuple[int, datetime], int] = {}
    live = [o for o in occs if not o.cancelled]
    if live:
        rows = db.session.execute(
            sa.select(
                Attendance.activity_id, Attendance.occurrence_start, sa.func.count(Attendance.id)
            )
            .where(
                Attendance.activity_id.in_({o.activity_id for o in live}),
                Attendance.occurrence_start.in_({o.original_start for o in live}),
            )
            .group_by(Attendance.activity_id, Attendance.occurrence_start)
        )
        marked = {(a, s): c for a, s, c in rows}
    for occ in occs:
        activity = activities[occ.activity_id]
        board.today.append(
            OccurrenceState(
                occ,
                activity,
                expected.get(activity.home_id, 0),
                marked.get((occ.activity_id, occ.original_start), 0),
            )
        )
    board.alerts = absence_alerts(ids, today, now)
    return board


def absence_alerts(home_ids: list[int], today: date, now: datetime) -> list[Alert]:
    """Active members not present for ABSENT_DAYS days (in a home that took roll-call in
    that time), or marked absent at their last ABSENT_IN_A_ROW sessions, from the last
    HISTORY_DAYS days of attendance (``last_present`` is None when not present in that
    time). Three queries."""
    if not home_ids:
        return []
    cutoff = now - timedelta(days=ABSENT_DAYS)
    members = db.session.execute(
        sa.select(
            Membership.home_id,
            Membership.person_id,
            Membership.joined_on,
            Person.name,
            Membership.id,
            Person.phone,
            Person.guardian_name,
            Person.guardian_phone,
            Membership.contacted_at,
        )
        .join(Person, Person.id == Membership.person_id)
        .where(Membership.home_id.in_(home_ids), Membership.left_on.is_(None))
        .order_by(Person.name_pinyin, Person.name)
    ).all()
    if not members:
        return []
    since = now - timedelta(days=HISTORY_DAYS)
    # Per member and home, from the window's marks in one pass: the last time present and the
    # last mark. Only two statuses, so "absent at the last ABSENT_IN_A_ROW sessions" is "that
    # many marks after the last present one": counted (on the person's index) only for the
    # members whose last mark is an absence, not by numbering every mark of the window.
    per_member = (
        sa.select(
            Activity.home_id.label("home_id"),
            Attendance.person_id.label("person_id"),
            sa.func.max(
                sa.case(
                    (Attendance.status == AttendanceStatus.PRESENT, Attendance.occurrence_start)
                )
            ).label("last_present"),
            sa.func.max(Attendance.occurrence_start).label("last_mark"),
        )
        .join(Activity, Activity.id == Attendance.activity_id)
        .where(
            Activity.home_id.in_(home_ids),
            Attendance.occurrence_start >= since,
            Attendance.occurrence_start <= now,
        )
        .group_by(Activity.home_id, Attendance.person_id)
        .subquery()
    )
    later, later_activity = aliased(Attendance), aliased(Activity)
    absent_since = (
        sa.select(sa.func.count())
        .select_from(later)
        .join(later_activity, later_activity.id == later.activity_id)
        .where(
            later.person_id == per_member.c.person_id,
            later_activity.home_id == per_member.c.home_id,
            later.occurrence_start <= now,
            sa.or_(
                later.occurrence_start > per_member.c.last_present,
                sa.and_(per_member.c.last_present.is_(None), later.occurrence_start >= since),
            ),
        )
        .scalar_subquery()
    )
    last_present: dict[tuple[int, int], datetime] = {}
    absent_in_a_row: set[tuple[int, int]] = set()
    for home_id, person_id, at, absences in db.session.execute(
        sa.select(
            per_member.c.home_id,
            per_member.c.person_id,
            per_member.c.last_present,
            sa.case(
                (
                    sa.or_(
                        per_member.c.last_present.is_(None),
                        per_member.c.last_mark > per_member.c.last_present,
                    ),
                    absent_since,
                ),
                else_=0,
            ),
        )
    ):
        if at is not None:
            last_present[(home_id, person_id)] = at
        if absences >= ABSENT_IN_A_ROW:
            absent_in_a_row.add((home_id, person_id))
    active_homes = set(
        db.session.scalars(
            sa.select(Activity.home_id)
            .distinct()
            .join(Attendance, Attendance.activity_id == Activity.id)
            .where(
                Activity.home_id.in_(home_ids),
                Attendance.occurrence_start >= cutoff,
                Attendance.occurrence_start <= now,
            )
        )
    )
    alerts = []
    join_cutoff = today - timedelta(days=ABSENT_DAYS)
    for home_id, person_id, joined_on, name, *contact in members:
        key = (home_id, person_id)
        seen = last_present.get(key)
        long_absence = (
            home_id in active_homes and joined_on <= join_cutoff and (seen is None or seen < cutoff)
        )
        in_a_row = key in absent_in_a_row
        if long_absence or in_a_row:
            alerts.append(Alert(person_id, name, home_id, seen, long_absence, in_a_row, *contact))
    return alerts


# --- own schedule (members and caregivers) ------------------------------------------------


@dataclass
class OwnSchedule:
    people: list[tuple[int, str]]
    memberships: list[Membership]
    occurrences: list
    activities: dict
    attendance: list[Attendance]


def own_schedule(person_ids: set[int], start: datetime, end: datetime, since: datetime):
    if not person_ids:
        return OwnSchedule([], [], [], {}, [])
    memberships = list(
        db.session.scalars(
            sa.select(Membership)
            .where(Membership.person_id.in_(person_ids), Membership.left_on.is_(None))
            .options(
                selectinload(Membership.person).load_only(Person.id, Person.name),
                selectinload(Membership.home),
            )
            .order_by(Membership.joined_on)
        )
    )
    home_ids = {m.home_id for m in memberships}
    activities, occs = window_occurrences(home_ids, start, end, public_only=False)
    attendance = list(
        db.session.scalars(
            sa.select(Attendance)
            .where(Attendance.person_id.in_(person_ids), Attendance.occurrence_start >= since)
            .options(selectinload(Attendance.activity).load_only(Activity.id, Activity.title))
            .order_by(Attendance.occurrence_start.desc())
            .limit(200)
        )
    )
    people = sorted({(m.person_id, m.person.name) for m in memberships}, key=lambda p: p[1])
    return OwnSchedule(people, memberships, occs, activities, attendance)


def continuation_of(activity_id: int) -> Activity | None:
    """The series that continues this one after a change of days or times (app.homes.series),
    when it is not archived."""
    return db.session.scalar(
        sa.select(Activity)
        .where(Activity.previous_activity_id == activity_id, Activity.is_archived.is_(False))
        .order_by(Activity.id)
        .limit(1)
    )


def exceptions_of(activity_id: int) -> list[ActivityException]:
    return list(
        db.session.scalars(
            sa.select(ActivityException)
            .where(ActivityException.activity_id == activity_id)
            .options(selectinload(ActivityException.new_venue))
            .order_by(ActivityException.original_start)
        )
    )
