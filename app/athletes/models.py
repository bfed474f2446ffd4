"""Athletes: a profile attached to a Person, its stage history, sport classifications and
screening assessments, with the reference tables admins extend (sports and the measures of
each sport's screening template).

A sport's screening template is its active measures plus the general ones (``sport_id``
NULL), in ``sort_order``: one table rather than template + item, since a template has no
properties of its own."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import get_locale
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.athletes.enums import (
    ClassificationStatus,
    DiscoverySource,
    MeasureUnit,
    Recommendation,
    ReviewWarning,
    SquadLevel,
    Stage,
)
from app.core import clock
from app.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_column, foreign_key

# The athlete page and the coach dashboard warn this many days before a review date.
REVIEW_WARNING_DAYS = 60
VALUE = sa.Numeric(10, 2)


def _in_reader_language(zh: str, en: str) -> str:
    return en if str(get_locale() or "") == "en" else zh


class Sport(Base):
    __tablename__ = "sports"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(80))
    # e.g. "Open, W1, VI" — shown as a hint on the classification form.
    class_hint: Mapped[str] = mapped_column(sa.String(120), default="")
    sort_order: Mapped[int] = mapped_column(sa.Integer, default=0)
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True)

    @property
    def display_name(self) -> str:
        return _in_reader_language(self.name, self.name_en)

    def __str__(self) -> str:
        return self.display_name


athlete_sports = Base.link_table(
    "athlete_sports",
    ("athlete_id", "athlete_profiles.id"),
    ("sport_id", "sports.id"),
    ondelete="RESTRICT",
)

athlete_coaches = Base.link_table(
    "athlete_coaches",
    ("athlete_id", "athlete_profiles.id"),
    ("user_id", "users.id"),
    ondelete="CASCADE",
)


class AthleteProfile(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "athlete_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = foreign_key("people.id", ondelete="RESTRICT", unique=True)
    primary_sport_id: Mapped[int] = foreign_key("sports.id", ondelete="RESTRICT", index=True)
    stage: Mapped[Stage] = mapped_column(enum_column(Stage, "athlete_stage"), index=True)
    stage_since: Mapped[date] = mapped_column(sa.Date)
    squad_level: Mapped[SquadLevel] = mapped_column(
        enum_column(SquadLevel, "squad_level"), default=SquadLevel.NONE
    )
    discovery_source: Mapped[DiscoverySource] = mapped_column(
        enum_column(DiscoverySource, "discovery_source")
    )
    discovered_on: Mapped[date] = mapped_column(sa.Date)
    # The coach who identified the athlete, or the home staff member who proposed them (the
    # source contact): they keep seeing the athlete even when not coaching them.
    identified_by_id: Mapped[int | None] = foreign_key("users.id", ondelete="SET NULL", index=True)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    person = relationship("Person")
    primary_sport: Mapped[Sport] = relationship()
    sports: Mapped[list[Sport]] = relationship(
        secondary=athlete_sports, order_by=(Sport.sort_order, Sport.id)
    )
    coaches = relationship("User", secondary=athlete_coaches, order_by="User.display_name")
    identified_by = relationship("User", foreign_keys=[identified_by_id])
    stage_changes: Mapped[list[StageChange]] = relationship(
        back_populates="athlete",
        cascade="all, delete-orphan",
        order_by="(StageChange.changed_on.desc(), StageChange.id.desc())",
    )
    classifications: Mapped[list[Classification]] = relationship(
        back_populates="athlete", cascade="all, delete-orphan"
    )
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="athlete",
        cascade="all, delete-orphan",
        order_by="(Assessment.assessed_on.desc(), Assessment.id.desc())",
    )

    def __str__(self) -> str:
        return self.person.name if self.person else f"#{self.id}"

    def coach_ids(self) -> set[int]:
        return {coach.id for coach in self.coaches}


class StageChange(Base):
    """One move along the pipeline: the first row (from_stage NULL) is the identification."""

    __tablename__ = "athlete_stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = foreign_key("athlete_profiles.id", ondelete="CASCADE", index=True)
    from_stage: Mapped[Stage | None] = mapped_column(enum_column(Stage, "stage_change_from"))
    to_stage: Mapped[Stage] = mapped_column(enum_column(Stage, "stage_change_to"))
    changed_on: Mapped[date] = mapped_column(sa.Date)
    changed_by_id: Mapped[int | None] = foreign_key("users.id", ondelete="SET NULL", index=True)
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    athlete: Mapped[AthleteProfile] = relationship(back_populates="stage_changes")
    changed_by = relationship("User")


class Classification(VersionedMixin, TimestampMixin, Base):
    """The athlete's sport class in one sport."""

    __tablename__ = "athlete_classifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = foreign_key("athlete_profiles.id", ondelete="CASCADE", index=True)
    sport_id: Mapped[int] = foreign_key("sports.id", ondelete="RESTRICT", index=True)
    class_code: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[ClassificationStatus] = mapped_column(
        enum_column(ClassificationStatus, "classification_status")
    )
    classified_on: Mapped[date | None] = mapped_column(sa.Date)
    review_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    athlete: Mapped[AthleteProfile] = relationship(back_populates="classifications")
    sport: Mapped[Sport] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("athlete_id", "sport_id", name="uq_athlete_classifications_sport"),
    )

    def review_warning(self, today: date) -> ReviewWarning | None:
        """OVERDUE when the review date has passed, DUE_SOON when it is within
        REVIEW_WARNING_DAYS; nothing for a confirmed class or without a review date."""
        if self.review_on is None or self.status == ClassificationStatus.CONFIRMED:
            return None
        if self.review_on < today:
            return ReviewWarning.OVERDUE
        if self.review_on <= today + timedelta(days=REVIEW_WARNING_DAYS):
            return ReviewWarning.DUE_SOON
        return None


class AssessmentMeasure(VersionedMixin, Base):
    """One measurement of a sport's screening template (``sport_id`` NULL: every sport). Its
    name is unique among the template's measures in use: a measure taken out leaves its name
    free for a new one (its recorded values stay with it)."""

    __tablename__ = "assessment_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    sport_id: Mapped[int | None] = foreign_key("sports.id", ondelete="RESTRICT", index=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    name_en: Mapped[str] = mapped_column(sa.String(80))
    unit: Mapped[MeasureUnit] = mapped_column(enum_column(MeasureUnit, "measure_unit"))
    min_value: Mapped[Decimal] = mapped_column(VALUE)
    max_value: Mapped[Decimal] = mapped_column(VALUE)
    # True when a smaller value is better (a sprint time): the text summary says so.
    lower_is_better: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(sa.Integer, default=0)
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True)

    sport: Mapped[Sport | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("min_value <= max_value", name="range_in_order"),
        sa.Index(
            "uq_assessment_measures_active_name",
            "sport_id",
            "name",
            unique=True,
            postgresql_where=sa.text("is_active"),
            sqlite_where=sa.text("is_active"),
        ),
    )

    @property
    def display_name(self) -> str:
        return _in_reader_language(self.name, self.name_en)

    @property
    def min_text(self) -> str:
        return f"{self.min_value:.{self.unit.decimals}f}"

    @property
    def max_text(self) -> str:
        return f"{self.max_value:.{self.unit.decimals}f}"


class Assessment(TimestampMixin, Base):
    """One screening: who assessed, in which sport, the measured values, a rating and a
    recommendation."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = foreign_key("athlete_profiles.id", ondelete="CASCADE", index=True)
    sport_id: Mapped[int] = foreign_key("sports.id", ondelete="RESTRICT", index=True)
    assessed_on: Mapped[date] = mapped_column(sa.Date, index=True)
    assessor_id: Mapped[int | None] = foreign_key("users.id", ondelete="SET NULL", index=True)
    rating: Mapped[int] = mapped_column(sa.SmallInteger)
    recommendation: Mapped[Recommendation] = mapped_column(
        enum_column(Recommendation, "recommendation")
    )
    notes: Mapped[str] = mapped_column(sa.Text, default="")

    athlete: Mapped[AthleteProfile] = relationship(back_populates="assessments")
    sport: Mapped[Sport] = relationship()
    assessor = relationship("User")
    values: Mapped[list[AssessmentValue]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_1_to_5"),)


class AssessmentValue(Base):
    __tablename__ = "assessment_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = foreign_key("assessments.id", ondelete="CASCADE", index=True)
    measure_id: Mapped[int] = foreign_key("assessment_measures.id", ondelete="RESTRICT", index=True)
    value: Mapped[Decimal] = mapped_column(VALUE)

    assessment: Mapped[Assessment] = relationship(back_populates="values")
    measure: Mapped[AssessmentMeasure] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "measure_id", name="uq_assessment_values_measure"),
    )
