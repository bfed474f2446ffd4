"""Cultural programmes, troupes and touring performances.

- ``Programme`` ("Five Ones", "Six Into"): responsible organisers are user accounts
  (``programme_organisers``); they manage the programme's performances.
- ``Troupe`` and ``TroupeMember``: people of the register with a role in the troupe.
- ``Performance``: one show at a venue from ``starts_at`` to ``ends_at`` (UTC instants,
  entered and shown in Beijing time). ``held_on`` is the Beijing day it starts on, kept by
  the services so statistics group by day, month and year in portable SQL.
- ``PerformancePerson``: who is booked — performers (troupe members or guests) and support
  people (interpreters, caregivers, drivers). A guest without a register record has a name
  and no person (and so cannot be clash-checked).
- ``PerformanceNeed``: the accessibility a performance promises (one row per need).
- ``PerformanceReschedule``: every change of time (postponement) with old and new times.
- ``ClashOverride``: a save that went ahead despite clashes, with the reason and the clashes.
- ``PerformancePhoto``: a re-encoded image under the instance folder with its alt text.

The clash query (busy.py) reads ``performances`` by (starts_at, ends_at) and venue, and
``performance_people`` by person; both have indexes for it."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.core import clock
from app.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_column, foreign_key
from app.performances.enums import (
    AccessNeed,
    BookingRole,
    PerformanceStatus,
    Setting,
    TroupeRole,
)

programme_organisers = Base.link_table(
    "programme_organisers",
    ("programme_id", "programmes.id"),
    ("user_id", "users.id"),
    ondelete="CASCADE",
)


class Programme(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    first_year: Mapped[int] = mapped_column(sa.Integer)
    last_year: Mapped[int | None] = mapped_column(sa.Integer)  # None: still running
    description: Mapped[str] = mapped_column(sa.Text, default="")

    organisers = relationship(
        "User", secondary=programme_organisers, order_by="User.display_name", lazy="selectin"
    )

    __table_args__ = (
        sa.CheckConstraint("first_year BETWEEN 1949 AND 2100", name="first_year_range"),
        sa.CheckConstraint(
            "last_year IS NULL OR (last_year >= first_year AND last_year <= 2100)",
            name="years_in_order",
        ),
    )

    @property
    def years_text(self) -> str:
        if self.last_year is None:
            return f"{self.first_year}–"
        if self.last_year == self.first_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    def __str__(self) -> str:
        return self.name


class Troupe(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "troupes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    members: Mapped[list[TroupeMember]] = relationship(
        back_populates="troupe",
        cascade="all, delete-orphan",
        order_by="(TroupeMember.role, TroupeMember.id)",
    )

    def __str__(self) -> str:
        return self.name


class TroupeMember(Base):
    __tablename__ = "troupe_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    troupe_id: Mapped[int] = foreign_key("troupes.id", ondelete="CASCADE")
    person_id: Mapped[int] = foreign_key("people.id", ondelete="RESTRICT", index=True)
    role: Mapped[TroupeRole] = mapped_column(enum_column(TroupeRole, "troupe_role"))
    joined_on: Mapped[date | None] = mapped_column(sa.Date)

    troupe: Mapped[Troupe] = relationship(back_populates="members")
    person = relationship("Person")

    __table_args__ = (
        sa.UniqueConstraint("troupe_id", "person_id", name="uq_troupe_members_troupe_person"),
    )


class Performance(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "performances"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = foreign_key("programmes.id", ondelete="RESTRICT", index=True)
    troupe_id: Mapped[int | None] = foreign_key("troupes.id", ondelete="RESTRICT", index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    setting: Mapped[Setting] = mapped_column(enum_column(Setting, "performance_setting"))
    venue_id: Mapped[int] = foreign_key("venues.id", ondelete="RESTRICT")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The Beijing day the performance starts on (kept by services.py from starts_at).
    held_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[PerformanceStatus] = mapped_column(
        enum_column(PerformanceStatus, "performance_status"), default=PerformanceStatus.PLANNED
    )
    is_public: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # After the show (None: not recorded yet).
    audience: Mapped[int | None] = mapped_column(sa.Integer)
    audience_disabled: Mapped[int | None] = mapped_column(sa.Integer)
    beneficiaries: Mapped[int | None] = mapped_column(sa.Integer)  # person-times
    report: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = foreign_key("users.id", ondelete="SET NULL", index=True)

    programme: Mapped[Programme] = relationship()
    troupe: Mapped[Troupe | None] = relationship()
    venue = relationship("Venue")
    created_by = relationship("User", foreign_keys=[created_by_id])
    people: Mapped[list[PerformancePerson]] = relationship(
        back_populates="performance",
        cascade="all, delete-orphan",
        order_by="(PerformancePerson.role, PerformancePerson.id)",
    )
    need_rows: Mapped[list[PerformanceNeed]] = relationship(
        back_populates="performance", cascade="all, delete-orphan", passive_deletes=True
    )
    reschedules: Mapped[list[PerformanceReschedule]] = relationship(
        back_populates="performance",
        cascade="all, delete-orphan",
        order_by="PerformanceReschedule.recorded_at",
    )
    overrides: Mapped[list[ClashOverride]] = relationship(
        back_populates="performance",
        cascade="all, delete-orphan",
        order_by="ClashOverride.recorded_at",
    )
    photos: Mapped[list[PerformancePhoto]] = relationship(
        back_populates="performance",
        cascade="all, delete-orphan",
        order_by="PerformancePhoto.id",
    )

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="times_in_order"),
        sa.CheckConstraint("audience IS NULL OR audience >= 0", name="audience_not_negative"),
        sa.CheckConstraint(
            "audience_disabled IS NULL OR audience_disabled >= 0",
            name="audience_disabled_not_negative",
        ),
        sa.CheckConstraint(
            "audience_disabled IS NULL OR audience IS NULL OR audience_disabled <= audience",
            name="disabled_within_audience",
        ),
        sa.CheckConstraint(
            "beneficiaries IS NULL OR beneficiaries >= 0", name="beneficiaries_not_negative"
        ),
        # The clash query: overlapping intervals at a venue, and overlapping intervals overall.
        sa.Index("ix_performances_venue_starts_at", "venue_id", "starts_at"),
        sa.Index("ix_performances_starts_at_ends_at", "starts_at", "ends_at"),
        # Agenda and statistics: by day, by status.
        sa.Index("ix_performances_held_on", "held_on"),
        sa.Index("ix_performances_status_held_on", "status", "held_on"),
    )

    @validates("starts_at")
    def _keep_held_on(self, _key, value):
        """``held_on`` follows ``starts_at`` (the Beijing day), whoever sets the time."""
        if value is not None:
            self.held_on = clock.local_date(value)
        return value

    @property
    def needs(self) -> list[AccessNeed]:
        order = list(AccessNeed)
        return sorted((row.need for row in self.need_rows), key=order.index)

    @property
    def need_set(self) -> frozenset[AccessNeed]:
        return frozenset(row.need for row in self.need_rows)

    @property
    def performers(self) -> list[PerformancePerson]:
        return [p for p in self.people if p.role is BookingRole.PERFORMER]

    @property
    def person_ids(self) -> frozenset[int]:
        return frozenset(p.person_id for p in self.people if p.person_id is not None)

    def __str__(self) -> str:
        return self.title


class PerformancePerson(Base):
    """A person booked for a performance: a register Person, or a guest by name only."""

    __tablename__ = "performance_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    performance_id: Mapped[int] = foreign_key("performances.id", ondelete="CASCADE", index=True)
    person_id: Mapped[int | None] = foreign_key("people.id", ondelete="RESTRICT")
    name: Mapped[str] = mapped_column(sa.String(100), default="")  # a guest without a record
    role: Mapped[BookingRole] = mapped_column(enum_column(BookingRole, "booking_role"))
    is_guest: Mapped[bool] = mapped_column(sa.Boolean, default=False)  # not a troupe member
    # The people register records no mobility needs, so the booking carries this one.
    uses_wheelchair: Mapped[bool] = mapped_column(sa.Boolean, default=False)

    performance: Mapped[Performance] = relationship(back_populates="people")
    person = relationship("Person")

    __table_args__ = (
        sa.CheckConstraint("person_id IS NOT NULL OR name <> ''", name="person_or_name"),
        sa.UniqueConstraint(
            "performance_id", "person_id", name="uq_performance_people_performance_person"
        ),
        # "Which performances is this person booked for" (the clash query, my bookings).
        sa.Index("ix_performance_people_person_performance", "person_id", "performance_id"),
    )

    @property
    def display_name(self) -> str:
        return self.person.name if self.person is not None else self.name


class PerformanceNeed(Base):
    __tablename__ = "performance_needs"

    performance_id: Mapped[int] = foreign_key(
        "performances.id", ondelete="CASCADE", primary_key=True
    )
    need: Mapped[AccessNeed] = mapped_column(
        enum_column(AccessNeed, "performance_need"), primary_key=True
    )

    performance: Mapped[Performance] = relationship(back_populates="need_rows")


class PerformanceReschedule(Base):
    """A change of a performance's time, kept so the page shows the history."""

    __tablename__ = "performance_reschedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    performance_id: Mapped[int] = foreign_key("performances.id", ondelete="CASCADE", index=True)
    old_starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    old_ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    new_starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    new_ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    recorded_by_id: Mapped[int | None] = foreign_key("users.id", ondelete="SET NULL", index=True)

    performance: Mapped[Performance] = relationship(back_populates="reschedules")
    recorded_by = relationship("User")


class ClashOverride(Base):
    """A save that went ahead despite clashes: who, when, why and which bookings
    (``clashes``: a list of {"kind", "id", "title", "start", "end", "url"})."""

    __tablename__ = "performance_clash_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    performance_id: Mapped[int] = foreign_key("performances.id", ondelete="CASCADE", index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    clashes: Mapped[list] = mapped_column(sa.JSON, default=list)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    recorded_by_id: Mapped[int | None] = foreign_key("users.id", ondelete="SET NULL", index=True)

    performance: Mapped[Performance] = relationship(back_populates="overrides")
    recorded_by = relationship("User")

    __table_args__ = (sa.CheckConstraint("reason <> ''", name="reason_given"),)


class PerformancePhoto(TimestampMixin, Base):
    """A photo re-encoded on upload (no EXIF), stored as ``stored_name`` under the instance
    folder's performance_photos/ and served only through the access-checked route."""

    __tablename__ = "performance_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    performance_id: Mapped[int] = foreign_key("performances.id", ondelete="CASCADE", index=True)
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(40))
    width: Mapped[int] = mapped_column(sa.Integer)
    height: Mapped[int] = mapped_column(sa.Integer)
    size_bytes: Mapped[int] = mapped_column(sa.Integer)
    alt_text: Mapped[str] = mapped_column(sa.String(300))
    uploaded_by_id: Mapped[int | None] = foreign_key("users.id", ondelete="SET NULL", index=True)

    performance: Mapped[Performance] = relationship(back_populates="photos")

    __table_args__ = (
        sa.CheckConstraint("alt_text <> ''", name="alt_text_given"),
        sa.CheckConstraint("content_type IN ('image/jpeg', 'image/png')", name="image_type"),
    )
