"""Reads of the athletes domain. Every page's reads run a fixed number of queries whatever
the number of athletes; the pipeline's counts come from one grouped query."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.enums import Role
from app.accounts.models import User
from app.accounts.queries import active_users_with
from app.athletes.enums import ClassificationStatus, DiscoverySource, SquadLevel, Stage
from app.athletes.models import (
    REVIEW_WARNING_DAYS,
    Assessment,
    AssessmentMeasure,
    AssessmentValue,
    AthleteProfile,
    Classification,
    Sport,
    StageChange,
    athlete_coaches,
    athlete_sports,
)
from app.athletes.rules import format_value
from app.core import charts, choices, params
from app.core.templating import fmt_date
from app.extensions import db
from app.people.enums import DisabilityCategory
from app.people.models import Person

# "No assessment in six months" on the coach dashboard.
ASSESSMENT_DUE_DAYS = 183


@dataclass
class AthleteFilters:
    text: str = ""
    sport_id: int | None = None
    stage: Stage | None = None
    coach_id: int | None = None
    town_id: int | None = None
    category: DisabilityCategory | None = None
    squad_level: SquadLevel | None = None

    def args(self) -> dict:
        """The filters as list URL parameters (for links from the pipeline and pagination)."""
        values = {
            "q": self.text or None,
            "sport": self.sport_id,
            "stage": self.stage.value if self.stage else None,
            "coach": self.coach_id,
            "town": self.town_id,
            "category": self.category.value if self.category else None,
            "squad": self.squad_level.value if self.squad_level else None,
        }
        return {key: value for key, value in values.items() if value not in (None, "")}


def visible_to(user) -> sa.ColumnElement[bool]:
    """The SQL form of rules.can_view: admins all; coaches the athletes they coach; anyone the
    athletes they identified; a participant their own profile."""
    if user.is_admin:
        return sa.true()
    sources = [_identified_by(user.id)]
    if user.has_role("coach"):
        sources.append(_coaching(user.id))
    if user.person_id is not None:
        sources.append(sa.select(_PROFILE.c.id).where(_PROFILE.c.person_id == user.person_id))
    return AthleteProfile.id.in_(sa.union(*sources))


def mine(user) -> sa.ColumnElement[bool]:
    """The athletes a coach coaches or identified (the dashboard's "my athletes")."""
    return coached_by(user.id)


def coached_by(user_id) -> sa.ColumnElement[bool]:
    """``mine`` for a user id, or for ``sa.bindparam("user_id")`` in a statement built once.

    One ``id IN (… UNION …)`` rather than ``identified_by_id = :u OR id IN (…)``: PostgreSQL
    answers an OR across two tables by reading every profile (7 ms at 6,000 athletes for a
    coach of none, on every dashboard), the union by two index lookups (0.15 ms)."""
    return AthleteProfile.id.in_(sa.union(_identified_by(user_id), _coaching(user_id)))


# An alias, so the subqueries stay whole inside statements that select from athlete_profiles
# (SQLAlchemy would otherwise correlate them to the outer table).
_PROFILE = sa.alias(AthleteProfile.__table__, "visible_profiles")


def _identified_by(user_id) -> sa.Select:
    return sa.select(_PROFILE.c.id).where(_PROFILE.c.identified_by_id == user_id)


def _coaching(user_id) -> sa.Select:
    return sa.select(athlete_coaches.c.athlete_id).where(athlete_coaches.c.user_id == user_id)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(query: sa.Select, filters: AthleteFilters, user) -> sa.Select:
    query = query.where(visible_to(user))
    text = (filters.text or "").strip()
    if text:
        compact = _like_escape(text.replace(" ", "").lower())
        query = query.where(
            sa.or_(
                Person.name.ilike(f"%{_like_escape(text)}%", escape="\\"),
                sa.func.replace(sa.func.lower(Person.name_pinyin), " ", "").like(
                    f"%{compact}%", escape="\\"
                ),
            )
        )
    if filters.sport_id is not None:
        query = query.where(_linked(athlete_sports.c.sport_id, filters.sport_id))
    if filters.stage is not None:
        query = query.where(AthleteProfile.stage == filters.stage)
    if filters.coach_id is not None:
        query = query.where(_linked(athlete_coaches.c.user_id, filters.coach_id))
    if filters.town_id is not None:
        query = query.where(Person.town_id == filters.town_id)
    if filters.category is not None:
        query = query.where(Person.disability_category == filters.category)
    if filters.squad_level is not None:
        query = query.where(AthleteProfile.squad_level == filters.squad_level)
    return query


def _linked(column, value):
    """Athletes with a row of ``column``'s link table (their sports, their coaches) holding
    ``value``."""
    return AthleteProfile.id.in_(sa.select(column.table.c.athlete_id).where(column == value))


def athletes_query(filters: AthleteFilters, user) -> sa.Select:
    """Athletes the user may see matching the filters, by pinyin, name, id. ``text`` matches
    part of the name or of the pinyin (case and spaces ignored)."""
    query = (
        sa.select(AthleteProfile)
        .join(AthleteProfile.person)
        .options(
            joinedload(AthleteProfile.person).joinedload(Person.town),
            joinedload(AthleteProfile.primary_sport),
            selectinload(AthleteProfile.coaches),
        )
    )
    return _filtered(query, filters, user).order_by(
        Person.name_pinyin, Person.name, AthleteProfile.id
    )


def search_athletes(filters: AthleteFilters, user, page: int = 1, per_page: int = 25):
    """One page of athletes: one SELECT with person, town and primary sport joined,
    one for the coaches of the page, and a COUNT when the first page is full."""
    return params.paginate(athletes_query(filters, user), page, per_page)


def pipeline_counts(filters: AthleteFilters, user) -> dict[tuple[int, Stage], int]:
    """{(sport id, stage): number of athletes}, from ONE grouped query. An athlete is counted
    in every sport they practise, so a row adds up to the athletes of that sport."""
    query = (
        sa.select(
            athlete_sports.c.sport_id,
            AthleteProfile.stage,
            sa.func.count(sa.distinct(AthleteProfile.id)),
        )
        .select_from(AthleteProfile)
        .join(Person, Person.id == AthleteProfile.person_id)
        .join(athlete_sports, athlete_sports.c.athlete_id == AthleteProfile.id)
        .group_by(athlete_sports.c.sport_id, AthleteProfile.stage)
    )
    no_sport = AthleteFilters(**{**filters.__dict__, "sport_id": None})
    query = _filtered(query, no_sport, user)
    if filters.sport_id is not None:
        query = query.where(athlete_sports.c.sport_id == filters.sport_id)
    return {(sport_id, Stage(stage)): count for sport_id, stage, count in db.session.execute(query)}


def stage_totals() -> dict[Stage, int]:
    """{stage: athletes} over every athlete, today (counts only, no visibility rule: the
    term report's public figure). One grouped query."""
    counts = dict(
        db.session.execute(
            sa.select(AthleteProfile.stage, sa.func.count(AthleteProfile.id)).group_by(
                AthleteProfile.stage
            )
        ).all()
    )
    return {stage: int(counts.get(stage, 0)) for stage in Stage}


def identified_by_source(first: date, last: date) -> dict[DiscoverySource, int]:
    """{how found: athletes} found (``discovered_on``) between ``first`` and ``last``, both
    inclusive: the new talents of a period. One grouped query."""
    counts = dict(
        db.session.execute(
            sa.select(AthleteProfile.discovery_source, sa.func.count(AthleteProfile.id))
            .where(AthleteProfile.discovered_on >= first, AthleteProfile.discovered_on <= last)
            .group_by(AthleteProfile.discovery_source)
        ).all()
    )
    return {source: int(counts.get(source, 0)) for source in DiscoverySource}


def classifications_due_by_sport(first: date, last: date) -> list[tuple[Sport, int]]:
    """Classifications not confirmed whose review date falls between ``first`` and ``last``
    (athletes not retired), counted by sport in sport order. One grouped query."""
    rows = db.session.execute(
        sa.select(Sport, sa.func.count(Classification.id))
        .join(Classification, Classification.sport_id == Sport.id)
        .join(AthleteProfile, AthleteProfile.id == Classification.athlete_id)
        .where(
            AthleteProfile.stage != Stage.RETIRED,
            Classification.status != ClassificationStatus.CONFIRMED,
            Classification.review_on >= first,
            Classification.review_on <= last,
        )
        .group_by(Sport.id)
        .order_by(Sport.sort_order, Sport.id)
    ).all()
    return [(sport, int(count)) for sport, count in rows]


def sports(include_inactive: bool = False) -> list[Sport]:
    query = sa.select(Sport).order_by(Sport.sort_order, Sport.id)
    if not include_inactive:
        query = query.where(Sport.is_active.is_(True))
    return list(db.session.scalars(query))


def coaches() -> list[User]:
    """Active users holding the coach role, by name."""
    return active_users_with(Role.COACH)


def sport_choices() -> list[tuple[str, str]]:
    """(id, name) of every sport, inactive ones too (the filters'); kept per worker."""
    return choices.kept(
        "sports", lambda: [(str(s.id), s.display_name) for s in sports(include_inactive=True)]
    )


def coach_choices() -> list[tuple[str, str]]:
    """(id, name) of the active coaches (the filters'); kept per worker."""
    return choices.kept("coaches", lambda: [(str(c.id), c.display_name) for c in coaches()])


def people_without_profile() -> list[Person]:
    """Current people of the register who are not athletes yet (the create form's choices)."""
    return list(
        db.session.scalars(
            sa.select(Person)
            .where(
                Person.is_archived.is_(False),
                ~Person.id.in_(sa.select(AthleteProfile.person_id)),
            )
            .order_by(Person.name_pinyin, Person.name, Person.id)
        )
    )


def athlete_for_detail(athlete_id: int) -> AthleteProfile | None:
    """An athlete with everything the profile page shows, in a fixed number of queries."""
    return db.session.scalar(
        sa.select(AthleteProfile)
        .where(AthleteProfile.id == athlete_id)
        .options(
            joinedload(AthleteProfile.person).joinedload(Person.town),
            joinedload(AthleteProfile.primary_sport),
            joinedload(AthleteProfile.identified_by),
            selectinload(AthleteProfile.sports),
            selectinload(AthleteProfile.coaches),
            selectinload(AthleteProfile.stage_changes).joinedload(StageChange.changed_by),
            selectinload(AthleteProfile.classifications).joinedload(Classification.sport),
            selectinload(AthleteProfile.assessments).options(
                joinedload(Assessment.sport),
                joinedload(Assessment.assessor),
                selectinload(Assessment.values).joinedload(AssessmentValue.measure),
            ),
        )
    )


@dataclass
class Series:
    """One measure's values over time, oldest first, for the table and the chart."""

    measure: object
    points: list[tuple[date, object]] = field(default_factory=list)

    def _value(self, value) -> str:
        return format_value(value, self.measure.unit.decimals)

    def summary(self) -> str:
        """One sentence: first and latest value with dates, and the best."""
        measure = self.measure
        unit = str(measure.unit.label)
        (first_on, first), (last_on, last) = self.points[0], self.points[-1]
        if len(self.points) == 1:
            return _(
                "%(measure)s: one assessment, %(value)s %(unit)s on %(date)s.",
                measure=measure.display_name,
                value=self._value(first),
                unit=unit,
                date=fmt_date(first_on),
            )
        values = [value for _on, value in self.points]
        best = min(values) if measure.lower_is_better else max(values)
        return _(
            "%(measure)s: %(count)d assessments, from %(first)s %(unit)s on %(first_on)s to "
            "%(last)s %(unit)s on %(last_on)s; best %(best)s %(unit)s.",
            measure=measure.display_name,
            count=len(values),
            first=self._value(first),
            first_on=fmt_date(first_on),
            last=self._value(last),
            last_on=fmt_date(last_on),
            best=self._value(best),
            unit=unit,
        )

    def chart(self) -> charts.Chart | None:
        """The line of the values over time (None for a single value: the summary says it)."""
        return charts.line(
            f"chart-{self.measure.id}",
            _(
                "%(measure)s over time (%(unit)s)",
                measure=self.measure.display_name,
                unit=self.measure.unit.label,
            ),
            self.summary(),
            self.points,
            self._value,
            lambda on, value: f"{fmt_date(on)}: {self._value(value)}",
        )


def measurement_series(athlete: AthleteProfile) -> list[Series]:
    """Every measure the athlete has values for, in template order, from the loaded
    assessments (no query)."""
    by_measure: dict[int, Series] = {}
    for assessment in sorted(athlete.assessments, key=lambda a: (a.assessed_on, a.id)):
        for value in assessment.values:
            series = by_measure.setdefault(value.measure_id, Series(value.measure))
            series.points.append((assessment.assessed_on, value.value))
    return sorted(
        by_measure.values(),
        key=lambda s: (s.measure.sport_id is None, s.measure.sort_order, s.measure.id),
    )


# Coach dashboard ------------------------------------------------------------------------


# The dashboard's statements are built once and run with their parameters: building and
# keying a statement of this size costs more of a signed-in page than running it.


@cache
def _my_athletes() -> sa.Select:
    return (
        sa.select(AthleteProfile)
        .join(AthleteProfile.person)
        .where(coached_by(sa.bindparam("user_id")))
        .options(joinedload(AthleteProfile.person), joinedload(AthleteProfile.primary_sport))
        .order_by(Person.name_pinyin, Person.name, AthleteProfile.id)
    )


def my_athletes(user) -> list[AthleteProfile]:
    """The coach's athletes with person and primary sport, by stage then pinyin."""
    return list(db.session.scalars(_my_athletes(), {"user_id": user.id}))


@cache
def _reviews_due() -> sa.Select:
    return (
        sa.select(Classification)
        .join(Classification.athlete)
        .where(
            coached_by(sa.bindparam("user_id")),
            AthleteProfile.stage != Stage.RETIRED,
            Classification.status != ClassificationStatus.CONFIRMED,
            Classification.review_on.is_not(None),
            Classification.review_on <= sa.bindparam("until", type_=sa.Date),
        )
        .options(
            joinedload(Classification.athlete).joinedload(AthleteProfile.person),
            joinedload(Classification.sport),
        )
        .order_by(Classification.review_on, Classification.id)
    )


def reviews_due(user, today: date) -> list[Classification]:
    """Classifications of the coach's athletes (not retired) that are not confirmed and
    whose review date has passed or falls within REVIEW_WARNING_DAYS, soonest first."""
    until = today + timedelta(days=REVIEW_WARNING_DAYS)
    return list(db.session.scalars(_reviews_due(), {"user_id": user.id, "until": until}))


def latest_assessments(user, limit: int = 10) -> list[Assessment]:
    """The coach's athletes' most recent assessments."""
    return list(
        db.session.scalars(
            sa.select(Assessment)
            .join(Assessment.athlete)
            .where(mine(user))
            .options(
                joinedload(Assessment.athlete).joinedload(AthleteProfile.person),
                joinedload(Assessment.sport),
                joinedload(Assessment.assessor),
            )
            .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
            .limit(limit)
        )
    )


def not_assessed_since(user, today: date) -> list[tuple[AthleteProfile, date | None]]:
    """The coach's active athletes with no assessment in ASSESSMENT_DUE_DAYS:
    (athlete, date of the last assessment or None), longest wait first."""
    last = (
        sa.select(Assessment.athlete_id, sa.func.max(Assessment.assessed_on).label("last_on"))
        .group_by(Assessment.athlete_id)
        .subquery()
    )
    cutoff = today - timedelta(days=ASSESSMENT_DUE_DAYS)
    rows = db.session.execute(
        sa.select(AthleteProfile, last.c.last_on)
        .join(AthleteProfile.person)
        .outerjoin(last, last.c.athlete_id == AthleteProfile.id)
        .where(
            mine(user),
            AthleteProfile.stage != Stage.RETIRED,
            sa.or_(last.c.last_on.is_(None), last.c.last_on < cutoff),
        )
        .options(joinedload(AthleteProfile.person))
        .order_by(
            last.c.last_on.is_not(None), last.c.last_on, Person.name_pinyin, AthleteProfile.id
        )
    ).all()
    return [(athlete, last_on) for athlete, last_on in rows]


def templates(all_sports: list[Sport]) -> list[tuple[Sport | None, list[AssessmentMeasure]]]:
    """Every screening template: (sport or None for the general one, its measures, active
    first), in sport order; sports without measures are left out. One query."""
    measures = list(
        db.session.scalars(
            sa.select(AssessmentMeasure).order_by(
                AssessmentMeasure.is_active.desc(),
                AssessmentMeasure.sort_order,
                AssessmentMeasure.id,
            )
        )
    )
    result: list[tuple[Sport | None, list[AssessmentMeasure]]] = []
    for sport in [None, *all_sports]:
        found = [m for m in measures if m.sport_id == (sport.id if sport else None)]
        if found:
            result.append((sport, found))
    return result
