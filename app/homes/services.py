"""Business rules of the homes domain: homes and their staff, memberships, activities and
their exceptions, and roll-call attendance. Services flush; the caller commits."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.core import audit, clock
from app.core.editing import check_version
from app.core.errors import DomainError
from app.core.params import MAX_ID
from app.extensions import db
from app.homes import aggregates, recurrence
from app.homes.enums import AbsenceReason, AttendanceStatus, ExceptionKind, LeftReason, Service
from app.homes.models import (
    Activity,
    ActivityException,
    Attendance,
    Home,
    HomeStaff,
    Membership,
)
from app.homes.queries import cannot_come_replies

HOME_FIELDS = (
    "name",
    "kind",
    "town_id",
    "address",
    "venue_id",
    "operator",
    "capacity",
    "opened_on",
    "contact",
)
ACTIVITY_FIELDS = (
    "title",
    "kind",
    "venue_id",
    "uses_home_venue",
    "leader_person_id",
    "starts_at",
    "duration_minutes",
    "rrule",
    "capacity",
    "is_public",
    "description",
)
# A mark saved this long after the occurrence ended is a late correction (audit-logged).
LATE_AFTER = timedelta(days=1)
# Roll-call opens this long before a session starts (on the morning of its day), and stays open.
ROLL_CALL_OPENS_BEFORE = timedelta(hours=12)


def roll_call_open(occ, now: datetime | None = None) -> bool:
    """Whether the roll-call of occurrence ``occ`` can be taken at ``now``: not cancelled, and
    starting within ROLL_CALL_OPENS_BEFORE (or already started or over). The one rule the
    services enforce and the pages (the roll-call's notice, the occurrence's button) show."""
    now = now or clock.now()
    return not occ.cancelled and occ.start <= now + ROLL_CALL_OPENS_BEFORE


def valid_id(value) -> bool:
    """An int that can be a row's id (core.params.MAX_ID: larger numbers match nothing)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


# --- choices the forms offer, and the services check -------------------------------------


def check_venue(venue_id, current_ids=(), field: str = "venue_id") -> None:
    """DomainError naming ``field`` unless ``venue_id`` is None, one of ``current_ids`` (the
    venue kept as it is) or a venue that is not archived."""
    from app.venues.models import Venue

    if venue_id is None or venue_id in {c for c in current_ids if c is not None}:
        return
    if not valid_id(venue_id) or not db.session.scalar(
        sa.select(Venue.id).where(Venue.id == venue_id, Venue.is_archived.is_(False))
    ):
        raise DomainError(_l("Choose a venue from the list."), field)


def leader_person_ids(home_id: int) -> set[int]:
    """The people who may lead the home's activities: its staff who have a person record."""
    from app.accounts.models import User

    return set(
        db.session.scalars(
            sa.select(User.person_id)
            .join(HomeStaff, HomeStaff.user_id == User.id)
            .where(HomeStaff.home_id == home_id, User.person_id.is_not(None))
        )
    )


def check_leader(home_id: int, person_id) -> None:
    if person_id is None:
        return
    if not valid_id(person_id) or person_id not in leader_person_ids(home_id):
        raise DomainError(
            _l("Choose a leader from the list: a member of the home's staff."),
            "leader_person_id",
        )


# --- homes --------------------------------------------------------------------------------


def create_home(data: dict, services=(), staff_user_ids=()) -> Home:
    if db.session.scalar(sa.select(Home.id).where(Home.name == data["name"])):
        raise DomainError(_l("A home with this name already exists."), field="name")
    check_venue(data.get("venue_id"))
    home = Home(**{k: data.get(k) for k in HOME_FIELDS if k in data})
    home.set_services(services)
    db.session.add(home)
    db.session.flush()
    set_staff(home, staff_user_ids)
    audit.record("create", "home", home.id, [k for k in HOME_FIELDS if k in data])
    return home


def update_home(home: Home, version: int | None, data: dict, services=None) -> list[str]:
    check_version(home, version)
    if "venue_id" in data:
        check_venue(data["venue_id"], (home.venue_id,))
    for key in HOME_FIELDS:
        if key in data:
            setattr(home, key, data[key])
    changed = audit.changed_fields(home, HOME_FIELDS)
    if "venue_id" in changed:
        follow_home_venue(home)
    if services is not None and home.set_services(services):
        changed.append("services")
        home.updated_at = clock.now()  # the home's row changes, so its version rises
    if changed:
        db.session.flush()
        audit.record("update", "home", home.id, changed)
    return changed


def follow_home_venue(home: Home) -> None:
    """Activities held at "the home's own venue" move with the home (issue 19 item 11): the
    choice is kept (``uses_home_venue``) and their venue is the home's venue of now; series
    that have ended stay where they were held. Rows are changed through the ORM so the
    calendars re-sync them at commit."""
    for activity in db.session.scalars(
        sa.select(Activity).where(
            Activity.home_id == home.id,
            Activity.uses_home_venue.is_(True),
            # A finished series (or the ended half of a split one) keeps where it was held.
            Activity.is_archived.is_(False),
            Activity.series_end_at > clock.now(),
        )
    ):
        activity.venue_id = home.venue_id


def set_staff(home: Home, user_ids) -> None:
    wanted = {int(u) for u in user_ids}
    have = {row.user_id for row in home.staff_rows}
    if wanted == have:
        return
    home.staff_rows = [row for row in home.staff_rows if row.user_id in wanted]
    for user_id in sorted(wanted - have):
        home.staff_rows.append(HomeStaff(user_id=user_id))
    home.updated_at = clock.now()  # the home's version rises: a form opened before is stale
    db.session.flush()
    audit.record("update", "home", home.id, ["staff"])


# --- memberships --------------------------------------------------------------------------


def active_member_count(home_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(
            Membership.home_id == home_id, Membership.left_on.is_(None)
        )
    )


def is_active_member(home_id: int, person_id: int) -> bool:
    return bool(
        db.session.scalar(
            sa.select(Membership.id).where(
                Membership.person_id == person_id,
                Membership.home_id == home_id,
                Membership.left_on.is_(None),
            )
        )
    )


def add_member(home: Home, person_id: int, joined_on: date, services=()) -> tuple[Membership, list]:
    """Enrol a person; returns (membership, warnings). Over capacity is a warning, not a
    block; a second active membership in the same home is refused."""
    services = [Service(s) for s in services]
    if not services:
        raise DomainError(_l("Choose at least one service the member receives."), "services")
    if joined_on < home.opened_on:
        raise DomainError(_l("The home had not opened yet on that date."), "joined_on")
    exists = db.session.scalar(
        sa.select(Membership.id).where(
            Membership.person_id == person_id,
            Membership.home_id == home.id,
            Membership.left_on.is_(None),
        )
    )
    if exists:
        raise DomainError(_l("This person is already a member of this home."), "person")
    membership = Membership(person_id=person_id, home_id=home.id, joined_on=joined_on)
    membership.set_services(services)
    try:
        with db.session.begin_nested():
            db.session.add(membership)
            db.session.flush()
    except IntegrityError:
        raise DomainError(_l("This person is already a member of this home."), "person") from None
    warnings = []
    if home.capacity is not None:
        count = active_member_count(home.id)
        if count > home.capacity:
            warnings.append(
                _l(
                    "The home now has %(count)d members, more than its capacity of %(capacity)d.",
                    count=count,
                    capacity=home.capacity,
                )
            )
    audit.record("create", "membership", membership.id, ["person_id", "joined_on", "services"])
    return membership, warnings


def end_membership(
    membership: Membership,
    version: int | None,
    left_on: date,
    reason: LeftReason | str,
    note: str = "",
) -> None:
    check_version(membership, version)
    if membership.left_on is not None:
        raise DomainError(_l("This membership has already ended."))
    if left_on < membership.joined_on:
        raise DomainError(_l("The leaving date must not be before the joining date."), "left_on")
    membership.left_on = left_on
    membership.left_reason = LeftReason(reason)
    membership.left_note = note or ""
    db.session.flush()
    audit.record("update", "membership", membership.id, ["left_on", "left_reason", "left_note"])


def record_contact(membership: Membership, user, now: datetime | None = None) -> None:
    """The staff reached the member or their caregiver about an absence alert."""
    membership.contacted_at = now or clock.now()
    membership.contacted_by_id = getattr(user, "id", None)
    db.session.flush()
    audit.record("update", "membership", membership.id, ["contacted_at"], actor=user)


# --- activities ---------------------------------------------------------------------------


@dataclass
class Schedule:
    """The schedule part of the activity form, in local (the federation's zone) terms."""

    first_day: date
    start_time: time
    end_time: time
    weekdays: tuple[int, ...]
    interval: int
    until_on: date | None
    count: int | None

    def compile(self) -> tuple[datetime, int, str, datetime]:
        """(starts_at, duration_minutes, rrule, series_end_at), or a DomainError."""
        if not self.weekdays:
            raise DomainError(_l("Choose at least one day of the week."), "weekdays")
        if not 1 <= self.interval <= 8:
            raise DomainError(_l("Repeat every 1 to 8 weeks."), "interval")
        minutes = (
            self.end_time.hour * 60
            + self.end_time.minute
            - self.start_time.hour * 60
            - self.start_time.minute
        )
        if minutes <= 0:
            raise DomainError(_l("The end time must be after the start time."), "end_time")
        if (self.until_on is None) == (self.count is None):
            raise DomainError(
                _l("Say when the series ends: a last date or a number of sessions."), "until_on"
            )
        if self.count is not None and not 1 <= self.count <= recurrence.MAX_OCCURRENCES:
            raise DomainError(
                _l(
                    "The number of sessions must be between 1 and %(most)d.",
                    most=recurrence.MAX_OCCURRENCES,
                ),
                "count",
            )
        if self.until_on is not None:
            if self.until_on < self.first_day:
                raise DomainError(_l("The last date must not be before the first."), "until_on")
            if (self.until_on - self.first_day).days > recurrence.MAX_SERIES_DAYS:
                raise DomainError(
                    _l("A series can run for at most three years; start a new one after."),
                    "until_on",
                )
        starts_at = recurrence.first_start_on_or_after(
            self.first_day, self.weekdays, self.start_time
        )
        rule = recurrence.build_rrule(
            self.weekdays, self.interval, until_on=self.until_on, count=self.count
        )
        try:
            end = recurrence.series_end(starts_at, rule, timedelta(minutes=minutes))
        except ValueError:
            raise DomainError(
                _l("No session falls between these dates on the chosen days."), "until_on"
            ) from None
        return starts_at, minutes, rule, end

    @classmethod
    def of(cls, activity: Activity) -> Schedule:
        parts = recurrence.parse_rrule(activity.rrule)
        start = activity.dtstart_local
        end = start + timedelta(minutes=activity.duration_minutes)
        return cls(
            first_day=start.date(),
            start_time=start.time().replace(tzinfo=None),
            end_time=end.time().replace(tzinfo=None),
            weekdays=parts.weekdays,
            interval=parts.interval,
            until_on=parts.until_on,
            count=parts.count,
        )


def create_activity(home: Home, data: dict, schedule: Schedule) -> Activity:
    check_venue(data.get("venue_id"))
    check_leader(home.id, data.get("leader_person_id"))
    starts_at, minutes, rule, series_end_at = schedule.compile()
    activity = Activity(
        home_id=home.id,
        title=data["title"],
        kind=data["kind"],
        venue_id=data.get("venue_id") or home.venue_id,
        uses_home_venue=not data.get("venue_id"),
        leader_person_id=data.get("leader_person_id"),
        starts_at=starts_at,
        duration_minutes=minutes,
        rrule=rule,
        series_end_at=series_end_at,
        capacity=data.get("capacity"),
        is_public=bool(data.get("is_public", True)),
        description=data.get("description") or "",
    )
    audit.created(activity, "activity", list(ACTIVITY_FIELDS))
    return activity


def update_activity(
    activity: Activity,
    version: int | None,
    data: dict,
    schedule: Schedule,
    change_from: date | None = None,
    drop_lapsed: str | None = None,
) -> Activity:
    """Save the form; EditConflict when someone saved since ``version``. A change of days or
    times applies from ``change_from`` (default: the next session) and never rewrites the
    past (app.homes.series); changes to single sessions follow their session, and those that
    could no longer apply are dropped only when ``drop_lapsed`` confirms them
    (series.LapsingChanges). Returns the activity holding the coming sessions (a new one
    when the series was split)."""
    from app.homes import series

    check_version(activity, version)
    check_venue(data.get("venue_id"), (activity.venue_id,))
    check_leader(activity.home_id, data.get("leader_person_id"))
    values = dict(
        title=data["title"],
        kind=data["kind"],
        venue_id=data.get("venue_id") or activity.home.venue_id,
        uses_home_venue=not data.get("venue_id"),
        leader_person_id=data.get("leader_person_id"),
        capacity=data.get("capacity"),
        is_public=bool(data.get("is_public", True)),
        description=data.get("description") or "",
    )
    plan = series.plan(activity, schedule, change_from)
    result = series.apply(activity, plan, values, drop_lapsed)
    if result is activity:
        changed = audit.changed_fields(activity, ACTIVITY_FIELDS)
        if changed:
            db.session.flush()
            audit.record("update", "activity", activity.id, changed)
    return result


def _occurrence_or_error(activity: Activity, original_start: datetime):
    occ = recurrence.occurrence_at(activity, original_start)
    if occ is None:
        raise DomainError(_l("This activity has no session at that time."))
    return occ


def _exception_row(activity: Activity, original_start: datetime) -> ActivityException | None:
    return next((e for e in activity.exceptions if e.original_start == original_start), None)


def _touch(activity: Activity) -> None:
    """A changed occurrence is a visible change of the series (calendar SEQUENCE)."""
    activity.updated_at = clock.now()


def _set_exception(
    activity: Activity, original_start: datetime, kind: ExceptionKind, moved_to: tuple, reason, user
) -> ActivityException:
    """Make the occurrence's exception row (created when missing) say ``kind``, with
    ``moved_to`` = (new start, new end, new venue id), all None for a cancellation."""
    row = _exception_row(activity, original_start)
    if row is None:
        row = ActivityException(activity=activity, original_start=original_start)
        db.session.add(row)
    row.kind = kind
    row.new_start, row.new_end, row.new_venue_id = moved_to
    row.reason = reason or ""
    row.created_by_id = getattr(user, "id", None)
    _touch(activity)
    db.session.flush()
    return row


def _audit_occurrence(action: str, activity: Activity, original_start: datetime, **details):
    audit.record(
        action,
        "activity",
        activity.id,
        ["exceptions"],
        details={"occurrence": recurrence.occurrence_key(original_start), **details},
    )


def cancel_occurrence(activity: Activity, original_start: datetime, reason: str, user=None):
    _occurrence_or_error(activity, original_start)
    moved_to = (None, None, None)
    row = _set_exception(activity, original_start, ExceptionKind.CANCELLED, moved_to, reason, user)
    _audit_occurrence("cancel_occurrence", activity, original_start)
    return row


def move_occurrence(
    activity: Activity,
    original_start: datetime,
    new_day: date,
    new_start_time: time,
    new_end_time: time,
    new_venue_id: int | None,
    reason: str,
    user=None,
):
    _occurrence_or_error(activity, original_start)
    existing = _exception_row(activity, original_start)
    check_venue(new_venue_id, (activity.venue_id, existing.new_venue_id if existing else None))
    new_start = recurrence.local_datetime(new_day, new_start_time)
    new_end = recurrence.local_datetime(new_day, new_end_time)
    if new_end <= new_start:
        raise DomainError(_l("The end time must be after the start time."), "end_time")
    if abs((new_start - original_start).days) > 366:
        raise DomainError(_l("Move a session by at most a year."), "new_day")
    venue_id = new_venue_id if new_venue_id and new_venue_id != activity.venue_id else None
    if (
        new_start == original_start
        and new_end == original_start + activity.duration
        and (venue_id is None)
    ):
        raise DomainError(_l("The new time and place are the same as the planned ones."))
    moved_to = (new_start, new_end, venue_id)
    row = _set_exception(activity, original_start, ExceptionKind.MOVED, moved_to, reason, user)
    _audit_occurrence(
        "move_occurrence",
        activity,
        original_start,
        new_start=new_start.astimezone(UTC).isoformat(),
        new_venue_id=venue_id,
    )
    return row


def restore_occurrence(activity: Activity, original_start: datetime) -> bool:
    row = _exception_row(activity, original_start)
    if row is None:
        return False
    activity.exceptions.remove(row)
    db.session.delete(row)
    _touch(activity)
    db.session.flush()
    _audit_occurrence("restore_occurrence", activity, original_start)
    return True


# --- attendance ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    person_id: int
    status: AttendanceStatus
    reason: AbsenceReason | None = None


def parse_mark(person_id, status: str, reason: str | None) -> Mark:
    try:
        status = AttendanceStatus(status)
    except ValueError:
        raise DomainError(_l("Choose present or absent.")) from None
    if status == AttendanceStatus.PRESENT:
        return Mark(int(person_id), status, None)
    try:
        return Mark(int(person_id), status, AbsenceReason(reason or ""))
    except ValueError:
        raise DomainError(_l("Choose the reason for the absence."), "reason") from None


def _insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


@functools.cache
def _mark_upsert(dialect: str):
    """INSERT … ON CONFLICT DO UPDATE of a member's mark, built once per dialect: building
    ``excluded`` (an alias of the table) took longer than the statement's execution."""
    statement = _insert(dialect)(Attendance)
    return statement.on_conflict_do_update(
        index_elements=["activity_id", "occurrence_start", "person_id"],
        set_={
            "status": statement.excluded.status,
            "absence_reason": statement.excluded.absence_reason,
            "recorded_by_id": statement.excluded.recorded_by_id,
            "recorded_at": statement.excluded.recorded_at,
        },
    )


def record_marks(
    activity: Activity,
    original_start: datetime,
    marks: list[Mark],
    expected_person_ids: set[int],
    user=None,
    now: datetime | None = None,
    *,
    saved: dict | None = None,
    audited: bool = True,
) -> int:
    """Save the roll-call marks of one occurrence: one upsert row per member, so two staff
    marking at once only ever write the members each of them touched. Unchanged marks are
    not written. A mark changing an earlier one, or saved after the occurrence's day, is
    audit-logged (which member and occurrence, never the health reason). Returns the number
    of rows written.

    ``saved``: the marks' saved (status, reason) by person, as the caller has just read them
    (they are not read again); ``audited=False``: the caller writes the audit row of each
    change itself (the offline sync writes one per change, with the time it was made)."""
    occ, now = _roll_call(activity, original_start, now)
    unknown = [m.person_id for m in marks if m.person_id not in expected_person_ids]
    if unknown:
        raise DomainError(_l("That person is not expected at this session."))
    if not marks:
        return 0
    ids = [m.person_id for m in marks]
    existing = saved
    if existing is None:
        existing = {
            row.person_id: (row.status, row.absence_reason)
            for row in db.session.execute(
                sa.select(Attendance.person_id, Attendance.status, Attendance.absence_reason).where(
                    Attendance.activity_id == activity.id,
                    Attendance.occurrence_start == original_start,
                    Attendance.person_id.in_(ids),
                )
            )
        }
    rows = []
    corrections = []
    late = now > occ.end + LATE_AFTER
    for mark in marks:
        before = existing.get(mark.person_id)
        if before == (mark.status, mark.reason):
            continue
        rows.append(
            _mark_row(
                activity, original_start, mark.person_id, (mark.status, mark.reason), user, now
            )
        )
        if audited and (before is not None or late):
            corrections.append(mark.person_id)
    if not rows:
        return 0
    db.session.execute(_mark_upsert(db.session.get_bind().dialect.name).values(rows))
    aggregates.touch(db.session, activity.id, original_start)
    for person_id in corrections:
        _audit_correction(
            activity, original_start, person_id, ["status", "absence_reason"], user, late
        )
    return len(rows)


def _roll_call(activity: Activity, original_start: datetime, now: datetime | None):
    """(the occurrence, now) when its roll-call is open; DomainError when it is cancelled or
    not yet open."""
    occ = _occurrence_or_error(activity, original_start)
    if occ.cancelled:
        raise DomainError(_l("This session was cancelled: there is no roll-call to take."))
    now = now or clock.now()
    if not roll_call_open(occ, now):
        raise DomainError(_l("Roll-call opens on the day of the session."))
    return occ, now


def _mark_row(activity, original_start, person_id, mark: tuple, user, now) -> dict:
    """One attendance row as the roll-call's INSERTs write it; ``mark``: (status, reason)."""
    status, reason = mark
    return {
        "activity_id": activity.id,
        "occurrence_start": original_start,
        "person_id": person_id,
        "status": status,
        "absence_reason": reason,
        "recorded_by_id": getattr(user, "id", None),
        "recorded_at": now,
    }


def _audit_correction(activity, original_start, person_id, fields, user, late: bool) -> None:
    """The audit row of a mark changed, or written long after the session."""
    audit.record(
        "correct_attendance",
        "activity",
        activity.id,
        fields,
        actor=user,
        details={
            "occurrence": recurrence.occurrence_key(original_start),
            "person_id": person_id,
            "late": late,
        },
    )


def mark_rest_present(
    activity: Activity,
    original_start: datetime,
    expected_person_ids: set[int],
    user=None,
    now: datetime | None = None,
) -> int:
    """ "Mark the rest present": one INSERT .. ON CONFLICT DO NOTHING of a present row for
    every expected member, so a mark saved by someone else at the same moment (an absence
    and its reason) is never overwritten, whatever the order the two statements run in
    (issue 13 item 8). A member who replied "I cannot come" (app.replies) is marked absent
    with the reason "other" instead, as the roll-call showed them. Returns the number of rows
    inserted."""
    occ, now = _roll_call(activity, original_start, now)
    if not expected_person_ids:
        return 0
    said_no = cannot_come_replies(activity.id, original_start)
    present = (AttendanceStatus.PRESENT, None)
    cannot_come = (AttendanceStatus.ABSENT, AbsenceReason.OTHER)
    rows = [
        _mark_row(
            activity,
            original_start,
            person_id,
            cannot_come if person_id in said_no else present,
            user,
            now,
        )
        for person_id in sorted(expected_person_ids)
    ]
    insert = _insert(db.session.get_bind().dialect.name)
    statement = (
        insert(Attendance)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["activity_id", "occurrence_start", "person_id"])
        .returning(Attendance.person_id)
    )
    inserted = sorted(db.session.execute(statement).scalars())
    aggregates.touch(db.session, activity.id, original_start)
    if now > occ.end + LATE_AFTER:
        # Marks written long after the session are audited, as record_marks does for each.
        for person_id in inserted:
            _audit_correction(activity, original_start, person_id, ["status"], user, True)
    return len(inserted)


CLASH_WEEKS = 8


def clashing_sessions(activity: Activity, now: datetime | None = None):
    """Sessions of ``activity`` in the next CLASH_WEEKS weeks that overlap another booking
    of its venue or leader (performances, competition events, other activities), as
    (occurrence, booking) pairs: one shared busy query over the span, matched in Python."""
    from app.scheduling.busy import find_clashes

    now = now or clock.now()
    start, end = (
        max(now, activity.starts_at),
        max(now, activity.starts_at) + timedelta(weeks=CLASH_WEEKS),
    )
    occs = recurrence.occurrences(activity, start, end, include_cancelled=False)
    if not occs:
        return []
    people = [activity.leader_person_id] if activity.leader_person_id else []
    pairs = []
    venue_ids = {o.venue_id for o in occs if o.venue_id is not None}
    clashes = []
    for venue_id in sorted(venue_ids) or [None]:
        clashes += find_clashes(
            occs[0].start,
            occs[-1].end,
            venue_id=venue_id,
            person_ids=people,
            exclude=("activity", activity.id),
        )
    seen = set()
    for occ in occs:
        for clash in clashes:
            booking = clash.booking
            same_place = booking.venue_id is not None and booking.venue_id == occ.venue_id
            if (same_place or clash.person_ids) and booking.overlaps(occ.start, occ.end):
                key = (occ.original_start, booking.kind, booking.id, booking.start)
                if key not in seen:
                    seen.add(key)
                    pairs.append((occ, booking))
    return pairs
