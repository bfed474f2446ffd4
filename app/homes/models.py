"""Models of the homes domain.

- ``Home``: a sunshine home (阳光家园) or work-therapy institution (工疗机构) in a town, with
  the services it offers (child rows, one per service) and its staff (users who manage it).
- ``Membership``: a person attending a home from ``joined_on`` until ``left_on`` (with a
  reason), with the services they receive. At most one *active* membership (``left_on`` IS
  NULL) per person and home: a partial unique index, which SQLite and PostgreSQL both honour.
- ``Activity``: a weekly series. ``starts_at`` is the first occurrence's start (DTSTART, an
  instant; the rule is read in the federation's wall-clock time), ``duration_minutes`` its
  length and ``rrule`` the RFC 5545 RRULE value (``FREQ=WEEKLY;INTERVAL=n;BYDAY=..`` and
  either ``UNTIL=..Z`` or ``COUNT=n``, never both). ``series_end_at`` is the end of the last
  occurrence the rule produces, kept so "which series touch this window" is one indexed
  interval query. Occurrences are computed (app.homes.recurrence), never stored.
- ``ActivityException``: one row per changed occurrence, keyed by the occurrence's original
  start: cancelled, or moved to another time and/or venue.
- ``Attendance``: one row per (activity, original occurrence start, person): present, or
  absent with a reason; who recorded it and when. Written by per-member upserts, so two
  staff marking the same sheet never overwrite each other's members.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import clock
from app.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_column, foreign_key
from app.homes.enums import (
    AbsenceReason,
    ActivityKind,
    AttendanceStatus,
    ExceptionKind,
    HomeKind,
    LeftReason,
    Service,
)


class Home(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "homes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[HomeKind] = mapped_column(enum_column(HomeKind, "home_kind"))
    town_id: Mapped[int] = foreign_key("towns.id", ondelete="RESTRICT", index=True)
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    venue_id: Mapped[int | None] = foreign_key("venues.id", ondelete="SET NULL", index=True)
    operator: Mapped[str] = mapped_column(sa.String(120), default="")
    capacity: Mapped[int | None] = mapped_column(sa.Integer)
    opened_on: Mapped[date] = mapped_column(sa.Date)
    contact: Mapped[str] = mapped_column(sa.String(120), default="")
    is_archived: Mapped[bool] = mapped_column(sa.Boolean, default=False, index=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    town = relationship("Town")
    venue = relationship("Venue")
    service_rows: Mapped[list[HomeService]] = relationship(
        back_populates="home", cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    staff_rows: Mapped[list[HomeStaff]] = relationship(
        back_populates="home", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )

    @property
    def services(self) -> list[Service]:
        return sorted((row.service for row in self.service_rows), key=lambda s: s.order)

    def set_services(self, services) -> bool:
        wanted = {Service(s) for s in services}
        return self.sync_rows("service_rows", HomeService, "service", wanted)

    def __repr__(self) -> str:
        return f"<Home {self.id} {self.name!r}>"


class HomeService(Base):
    __tablename__ = "home_services"

    home_id: Mapped[int] = foreign_key("homes.id", ondelete="CASCADE", primary_key=True)
    service: Mapped[Service] = mapped_column(enum_column(Service, "home_service"), primary_key=True)

    home: Mapped[Home] = relationship(back_populates="service_rows")


class HomeStaff(Base):
    """A user who manages a home (role home_staff). The primary key serves "staff of this
    home"; the index serves "homes of this user" (every permission check)."""

    __tablename__ = "home_staff"

    home_id: Mapped[int] = foreign_key("homes.id", ondelete="CASCADE", primary_key=True)
    user_id: Mapped[int] = foreign_key("users.id", ondelete="CASCADE", primary_key=True)

    home: Mapped[Home] = relationship(back_populates="staff_rows")
    user = relationship("User")

    __table_args__ = (sa.Index("ix_home_staff_user_id", "user_id", "home_id"),)


class Membership(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = foreign_key("people.id", ondelete="RESTRICT")
    home_id: Mapped[int] = foreign_key("homes.id", ondelete="CASCADE")
    joined_on: Mapped[date] = mapped_column(sa.Date)
    left_on: Mapped[date | None] = mapped_column(sa.Date)
    left_reason: Mapped[LeftReason | None] = mapped_column(
        enum_column(LeftReason, "membership_left_reason")
    )
    left_note: Mapped[str] = mapped_column(sa.String(200), default="")
    # The last time the home's staff recorded reaching the member or their caregiver about an
    # absence alert (the dashboard's "Members to contact").
    contacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contacted_by_id: Mapped[int | None] = foreign_key("users.id", ondelete="SET NULL", index=True)

    person = relationship("Person")
    home: Mapped[Home] = relationship()
    service_rows: Mapped[list[MembershipService]] = relationship(
        back_populates="membership",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )

    __table_args__ = (
        sa.CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="left_after_joined"),
        sa.CheckConstraint(
            "(left_on IS NULL AND left_reason IS NULL) "
            "OR (left_on IS NOT NULL AND left_reason IS NOT NULL)",
            name="left_with_reason",
        ),
        # One active membership per person and home (SQLite and PostgreSQL partial index).
        sa.Index(
            "uq_memberships_active_person_home",
            "person_id",
            "home_id",
            unique=True,
            sqlite_where=sa.text("left_on IS NULL"),
            postgresql_where=sa.text("left_on IS NULL"),
        ),
        # Members of a home during a period; a person's memberships.
        sa.Index("ix_memberships_home_id_joined_on", "home_id", "joined_on", "left_on"),
        sa.Index("ix_memberships_person_id", "person_id", "joined_on"),
        sa.Index("ix_memberships_joined_on", "joined_on", "left_on"),
    )

    @property
    def is_active(self) -> bool:
        return self.left_on is None

    @property
    def services(self) -> list[Service]:
        return sorted((row.service for row in self.service_rows), key=lambda s: s.order)

    def set_services(self, services) -> bool:
        wanted = {Service(s) for s in services}
        return self.sync_rows("service_rows", MembershipService, "service", wanted)


class MembershipService(Base):
    __tablename__ = "membership_services"

    membership_id: Mapped[int] = foreign_key("memberships.id", ondelete="CASCADE", primary_key=True)
    service: Mapped[Service] = mapped_column(
        enum_column(Service, "membership_service"), primary_key=True
    )

    membership: Mapped[Membership] = relationship(back_populates="service_rows")

    # "members by service" groups on this.
    __table_args__ = (sa.Index("ix_membership_services_service", "service", "membership_id"),)


class Activity(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    home_id: Mapped[int] = foreign_key("homes.id", ondelete="CASCADE")
    title: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[ActivityKind] = mapped_column(enum_column(ActivityKind, "activity_kind"))
    venue_id: Mapped[int | None] = foreign_key("venues.id", ondelete="SET NULL", index=True)
    # "The home's own venue" chosen on the form: venue_id follows the home's venue (kept in
    # step by services.update_home) instead of being frozen at save time.
    uses_home_venue: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    # The series this one continues: a change of days or times from a date forward ends the
    # old series the day before and starts this one (app.homes.series).
    previous_activity_id: Mapped[int | None] = foreign_key(
        "activities.id", ondelete="SET NULL", index=True
    )
    leader_person_id: Mapped[int | None] = foreign_key("people.id", ondelete="SET NULL", index=True)
    # DTSTART: the first occurrence's start (read in the federation's wall-clock time).
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(sa.Integer)
    # The RRULE value without the "RRULE:" prefix.
    rrule: Mapped[str] = mapped_column(sa.String(200))
    # The end of the last occurrence the rule produces (derived on save).
    series_end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int | None] = mapped_column(sa.Integer)
    is_public: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    is_archived: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    home: Mapped[Home] = relationship()
    venue = relationship("Venue")
    leader = relationship("Person")
    previous_activity = relationship("Activity", remote_side="Activity.id")
    exceptions: Mapped[list[ActivityException]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ActivityException.original_start",
    )

    __table_args__ = (
        sa.CheckConstraint(
            "duration_minutes > 0 AND duration_minutes <= 1440", name="duration_range"
        ),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("series_end_at >= starts_at", name="series_end_after_start"),
        # Series overlapping a window: starts_at < window_end AND series_end_at > window_start.
        sa.Index("ix_activities_starts_at_series_end_at", "starts_at", "series_end_at"),
        sa.Index("ix_activities_home_id_starts_at", "home_id", "starts_at"),
    )

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def dtstart_local(self) -> datetime:
        """DTSTART as a wall-clock datetime in the federation's zone (aware)."""
        return clock.to_local(self.starts_at)

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.title!r}>"


class ActivityException(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "activity_exceptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = foreign_key("activities.id", ondelete="CASCADE")
    # The occurrence's start as the rule produces it (RECURRENCE-ID / EXDATE).
    original_start: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[ExceptionKind] = mapped_column(enum_column(ExceptionKind, "exception_kind"))
    new_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    new_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # For a moved occurrence: the new venue (None keeps the activity's venue).
    new_venue_id: Mapped[int | None] = foreign_key("venues.id", ondelete="SET NULL", index=True)
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    created_by_id: Mapped[int | None] = foreign_key("users.id", ondelete="SET NULL", index=True)

    activity: Mapped[Activity] = relationship(back_populates="exceptions")
    new_venue = relationship("Venue")
    created_by = relationship("User")

    __table_args__ = (
        sa.UniqueConstraint(
            "activity_id", "original_start", name="uq_activity_exceptions_activity_id_original"
        ),
        sa.CheckConstraint(
            "(kind = 'cancelled' AND new_start IS NULL AND new_end IS NULL) "
            "OR (kind = 'moved' AND new_start IS NOT NULL AND new_end IS NOT NULL "
            "AND new_end > new_start)",
            name="moved_has_times",
        ),
        # Moved occurrences landing in a window (the busy source).
        sa.Index("ix_activity_exceptions_new_start", "new_start", "new_end"),
    )


class Attendance(Base):
    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = foreign_key("activities.id", ondelete="CASCADE")
    occurrence_start: Mapped[datetime] = mapped_column(UTCDateTime)  # the original start
    person_id: Mapped[int] = foreign_key("people.id", ondelete="CASCADE")
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_column(AttendanceStatus, "attendance_status")
    )
    absence_reason: Mapped[AbsenceReason | None] = mapped_column(
        enum_column(AbsenceReason, "absence_reason")
    )
    recorded_by_id: Mapped[int | None] = foreign_key("users.id", ondelete="SET NULL", index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    activity: Mapped[Activity] = relationship()
    person = relationship("Person")
    recorded_by = relationship("User")

    __table_args__ = (
        sa.UniqueConstraint(
            "activity_id",
            "occurrence_start",
            "person_id",
            name="uq_attendance_activity_id_occurrence_person",
        ),
        sa.CheckConstraint(
            "(status = 'present' AND absence_reason IS NULL) "
            "OR (status = 'absent' AND absence_reason IS NOT NULL)",
            name="absent_has_reason",
        ),
        # A member's history (absence alerts); person-times by period.
        sa.Index("ix_attendance_person_id_occurrence_start", "person_id", "occurrence_start"),
        sa.Index("ix_attendance_occurrence_start", "occurrence_start"),
    )


class AttendanceDay(Base):
    """Roll-call marks counted per activity and day (the occurrence's original start, in the
    federation's zone): what the statistics and the term report add up instead of the marks.
    Kept in the same transaction as every mark by app/homes/aggregates.py; the marks stay the
    truth and ``flask stats rebuild`` recomputes these rows from them."""

    __tablename__ = "attendance_days"

    activity_id: Mapped[int] = foreign_key("activities.id", ondelete="CASCADE", primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    present: Mapped[int] = mapped_column(sa.Integer)
    recorded: Mapped[int] = mapped_column(sa.Integer)

    __table_args__ = (sa.Index("ix_attendance_days_day", "day"),)
