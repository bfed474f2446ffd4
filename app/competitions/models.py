"""Competitions, their events (``CompetitionEvent``), entries, support people and results.

Rules kept in the schema: a competition ends on or after its start; an event's scheduled end
is after its start; an entry's support person is a Person or a written name; a result holds a
medal only with status OK and a rank only with status OK. Deliberately *no* uniqueness on
(event, rank) or (event, medal): ties share a rank and an event may award two bronzes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.athletes.models import AthleteProfile, Sport
from app.competitions.enums import (
    CompetitionStatus,
    EntryStatus,
    EventGender,
    Level,
    Medal,
    ResultStatus,
    SupportRole,
)
from app.core import clock
from app.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_column, foreign_key

competition_sports = Base.link_table(
    "competition_sports",
    ("competition_id", "competitions.id"),
    ("sport_id", "sports.id"),
    ondelete="RESTRICT",
)

# Every athlete of an entry: one row for an individual entry, two or more for a team entry
# (the services enforce the count from the event's ``is_team``). Medal tallies count results,
# so a team medal counts once; an athlete's own page joins through this table, so each member
# is credited with it.
entry_members = Base.link_table(
    "entry_members",
    ("entry_id", "entries.id"),
    ("athlete_id", "athlete_profiles.id"),
    ondelete="RESTRICT",
)


class Competition(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "competitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    level: Mapped[Level] = mapped_column(enum_column(Level, "competition_level"), index=True)
    # e.g. "National Games for Persons with Disabilities" and 10.
    series: Mapped[str] = mapped_column(sa.String(160), default="")
    edition: Mapped[int | None] = mapped_column(sa.Integer)
    host_city: Mapped[str] = mapped_column(sa.String(80), default="")
    venue_id: Mapped[int | None] = foreign_key("venues.id", ondelete="SET NULL", index=True)
    start_on: Mapped[date] = mapped_column(sa.Date, index=True)
    end_on: Mapped[date] = mapped_column(sa.Date)
    # Whom the district's athletes represent: China, Zhejiang, Ningbo, the district, a club.
    delegation: Mapped[str] = mapped_column(sa.String(80), default="")
    status: Mapped[CompetitionStatus] = mapped_column(
        enum_column(CompetitionStatus, "competition_status"), default=CompetitionStatus.PLANNED
    )
    # A coach who manages the competition records every result in it.
    manager_id: Mapped[int | None] = foreign_key("users.id", ondelete="SET NULL", index=True)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    venue = relationship("Venue")
    manager = relationship("User")
    sports: Mapped[list[Sport]] = relationship(
        secondary=competition_sports, order_by=(Sport.sort_order, Sport.id)
    )
    events: Mapped[list[CompetitionEvent]] = relationship(
        back_populates="competition",
        cascade="all, delete-orphan",
        order_by="(CompetitionEvent.starts_at, CompetitionEvent.id)",
    )

    __table_args__ = (
        sa.CheckConstraint("end_on >= start_on", name="dates_in_order"),
        sa.CheckConstraint("edition IS NULL OR edition >= 1", name="edition_positive"),
    )

    @property
    def year(self) -> int:
        return self.start_on.year

    def is_on(self, day: date) -> bool:
        """Whether ``day`` is one of the competition's days."""
        return self.start_on <= day <= self.end_on

    def __str__(self) -> str:
        return self.name


class CompetitionEvent(VersionedMixin, Base):
    """One discipline of a competition (e.g. women's individual compound open). Its scheduled
    start/end and venue feed the calendars and the clash query (app/competitions/busy.py)."""

    __tablename__ = "competition_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = foreign_key("competitions.id", ondelete="CASCADE", index=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    sport_id: Mapped[int] = foreign_key("sports.id", ondelete="RESTRICT", index=True)
    gender: Mapped[EventGender] = mapped_column(enum_column(EventGender, "event_gender"))
    sport_class: Mapped[str] = mapped_column(sa.String(40), default="")
    is_team: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A day and no time (issue 19 item 10): ``starts_at`` is the day's local 00:00 (so the
    # event sorts and is found by day like the others), ``ends_at`` is None, and pages, the API
    # and the calendars show the day, not 00:00.
    all_day: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    venue_id: Mapped[int | None] = foreign_key("venues.id", ondelete="SET NULL", index=True)
    # Publishing makes the event's results official (app/competitions/official.py): who and
    # when. Before it the event's results are provisional; after it a change needs a reason.
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    results_published_by_id: Mapped[int | None] = foreign_key(
        "users.id", ondelete="SET NULL", index=True
    )

    competition: Mapped[Competition] = relationship(back_populates="events")
    sport: Mapped[Sport] = relationship()
    venue = relationship("Venue")
    results_published_by = relationship("User", foreign_keys=[results_published_by_id])
    entries: Mapped[list[Entry]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Entry.id"
    )

    __table_args__ = (
        sa.CheckConstraint(
            "starts_at IS NULL OR ends_at IS NULL OR ends_at >= starts_at",
            name="times_in_order",
        ),
        # The busy query: events overlapping a window (starts_at < end AND ends_at > start).
        sa.Index("ix_competition_events_starts_at_ends_at", "starts_at", "ends_at"),
    )

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None

    @property
    def day(self) -> date | None:
        """The local day the event is on (None without a schedule)."""
        return clock.local_date(self.starts_at) if self.starts_at is not None else None

    def __str__(self) -> str:
        return self.name


class Entry(VersionedMixin, TimestampMixin, Base):
    """An athlete (or a team of two or more, named by ``team_name``) entered in an event."""

    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = foreign_key("competition_events.id", ondelete="CASCADE", index=True)
    team_name: Mapped[str] = mapped_column(sa.String(80), default="")
    status: Mapped[EntryStatus] = mapped_column(
        enum_column(EntryStatus, "entry_status"), default=EntryStatus.NOMINATED
    )
    # A protest lodged against the entry's result while the event's results are provisional
    # (app/competitions/official.py): open while not empty; publishing with one asks first.
    protest_note: Mapped[str] = mapped_column(sa.Text, default="")
    # Where the entry starts (issue 17), all optional: the bib ("105", "A-12"; one bib names
    # one athlete or team within a competition, so the same athlete keeps theirs in every
    # event: a rule of app/competitions/startlists.py, not a constraint), the heat (a whole
    # number) and the lane or target ("4", "12B": a target and the archer's place on it).
    bib: Mapped[str] = mapped_column(sa.String(8), default="")
    heat: Mapped[int | None] = mapped_column(sa.Integer)
    lane: Mapped[str] = mapped_column(sa.String(4), default="")

    event: Mapped[CompetitionEvent] = relationship(back_populates="entries")
    athletes: Mapped[list[AthleteProfile]] = relationship(
        secondary=entry_members, order_by=AthleteProfile.id
    )
    support: Mapped[list[EntrySupport]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="EntrySupport.id"
    )
    result: Mapped[Result | None] = relationship(
        back_populates="entry", cascade="all, delete-orphan", uselist=False
    )

    __table_args__ = (sa.CheckConstraint("heat IS NULL OR heat >= 1", name="heat_positive"),)

    @property
    def is_team(self) -> bool:
        return len(self.athletes) > 1


class EntrySupport(Base):
    """A guide, assistant, companion or coach going with an entry: a Person or a name."""

    __tablename__ = "entry_support"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = foreign_key("entries.id", ondelete="CASCADE", index=True)
    role: Mapped[SupportRole] = mapped_column(enum_column(SupportRole, "support_role"))
    person_id: Mapped[int | None] = foreign_key("people.id", ondelete="RESTRICT", index=True)
    name: Mapped[str] = mapped_column(sa.String(100), default="")

    entry: Mapped[Entry] = relationship(back_populates="support")
    person = relationship("Person")

    __table_args__ = (
        sa.CheckConstraint("person_id IS NOT NULL OR name <> ''", name="person_or_name"),
    )

    @property
    def display_name(self) -> str:
        return self.person.name if self.person is not None else self.name


class Result(VersionedMixin, TimestampMixin, Base):
    """The result of one entry. ``mark`` is as written ("652", "12.31 s"); ``mark_value`` an
    optional number for sorting. No uniqueness on rank or medal within an event: ties share a
    rank and two bronzes are normal in some sports."""

    __tablename__ = "results"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = foreign_key("entries.id", ondelete="CASCADE", unique=True)
    rank: Mapped[int | None] = mapped_column(sa.Integer)
    mark: Mapped[str] = mapped_column(sa.String(40), default="")
    mark_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 3))
    status: Mapped[ResultStatus] = mapped_column(
        enum_column(ResultStatus, "result_status"), default=ResultStatus.OK
    )
    medal: Mapped[Medal] = mapped_column(enum_column(Medal, "medal"), default=Medal.NONE)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # Provisional when entered (services.save_result sets it) until the event's manager
    # publishes the event's results; rows written before publishing existed, or in bulk, are
    # official (False). Only official medals count in the ledger (standings.py).
    is_provisional: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    # The latest change to an official result: when and why ("corrected on …: reason").
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    correction_reason: Mapped[str] = mapped_column(sa.Text, default="")

    entry: Mapped[Entry] = relationship(back_populates="result")

    __table_args__ = (
        sa.CheckConstraint("medal = 'none' OR status = 'OK'", name="medal_needs_ok"),
        sa.CheckConstraint("rank IS NULL OR status = 'OK'", name="rank_needs_ok"),
        sa.CheckConstraint("rank IS NULL OR rank >= 1", name="rank_positive"),
        sa.Index("ix_results_medal", "medal"),
    )
