"""Operations on athletes. Services check the rules (rules.py), flush and write an audit
row; the route, CLI command or demo loader commits once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.accounts.enums import Role
from app.accounts.models import User, UserRole
from app.athletes import rules
from app.athletes.enums import (
    ClassificationStatus,
    DiscoverySource,
    MeasureUnit,
    Recommendation,
    SquadLevel,
    Stage,
)
from app.athletes.models import (
    Assessment,
    AssessmentMeasure,
    AssessmentValue,
    AthleteProfile,
    Classification,
    Sport,
    StageChange,
)
from app.core import audit, clock, editing
from app.core.errors import DomainError
from app.core.params import whole_number
from app.extensions import db
from app.people import lookup
from app.people.models import Person

PROFILE_FIELDS = (
    "primary_sport_id",
    "squad_level",
    "discovery_source",
    "discovered_on",
    "notes",
)


def _enum(enum_cls, value, message, field):
    try:
        return enum_cls(value)
    except ValueError:
        raise DomainError(message, field=field) from None


def _row_id(value) -> int | None:
    """An id from request data (or an int); None when it is not one. core.params.whole_number:
    a number past an INTEGER column is no such row, not an overflow (a 500)."""
    return whole_number(str(value if value is not None else "").strip(), low=1)


def _sport(sport_id, field="primary_sport_id", message=None) -> Sport:
    number = _row_id(sport_id)
    sport = db.session.get(Sport, number) if number is not None else None
    if sport is None:
        raise DomainError(message or _l("Choose the sport."), field=field)
    return sport


def _coaches(coach_ids) -> list[User]:
    ids = set()
    for value in coach_ids or ():
        number = _row_id(value)
        if number is None:
            raise DomainError(_l("Choose coaches from the list."), field="coach_ids")
        ids.add(number)
    if not ids:
        return []
    coaches = list(
        db.session.scalars(
            sa.select(User).join(UserRole).where(User.id.in_(ids), UserRole.role == Role.COACH)
        ).unique()
    )
    if len(coaches) != len(ids):
        raise DomainError(_l("Choose coaches from the list."), field="coach_ids")
    return coaches


def _profile_values(
    *,
    primary_sport_id,
    discovery_source,
    discovered_on: date,
    sport_ids=(),
    squad_level=SquadLevel.NONE,
    notes: str = "",
) -> dict:
    """Check a profile's own values (the keywords of create_athlete and update_athlete beside
    their own) and return them in the types the model stores, ``sports`` included."""
    primary = _sport(primary_sport_id)
    sports = [primary]
    for sport_id in sport_ids or ():
        sport = _sport(sport_id, field="sport_ids", message=_l("Choose sports from the list."))
        if sport not in sports:
            sports.append(sport)
    if not isinstance(discovered_on, date):
        raise DomainError(_l("Enter the date the athlete was found."), field="discovered_on")
    if discovered_on > clock.today():
        raise DomainError(_l("The date found must not be in the future."), field="discovered_on")
    return {
        "primary_sport_id": primary.id,
        "sports": sports,
        "squad_level": _enum(
            SquadLevel, squad_level or SquadLevel.NONE, _l("Choose the squad level."), "squad_level"
        ),
        "discovery_source": _enum(
            DiscoverySource,
            discovery_source,
            _l("Choose how the athlete was found."),
            "discovery_source",
        ),
        "discovered_on": discovered_on,
        "notes": (notes or "").strip(),
    }


def _has_profile(person: Person) -> bool:
    return (
        db.session.scalar(sa.select(AthleteProfile.id).where(AthleteProfile.person_id == person.id))
        is not None
    )


NOT_PROPOSABLE = _l("No person with this register number and birth date can be proposed.")


def create_athlete(
    *,
    person_id,
    coach_ids=(),
    stage=Stage.IDENTIFIED,
    actor=None,
    birth_on: date | None = None,
    **profile,
) -> AthleteProfile:
    """Make ``person_id`` an athlete with ``profile`` (``_profile_values``' keywords), at
    ``stage`` (identified unless an admin or the demo says otherwise), with the first
    stage-history row. ``actor`` becomes the identifier.

    The people register is admin-only: a non-admin actor names the person by register
    number (``person_id``) and ``birth_on``, and gets one message whatever does not match
    (no such person, archived, other birth date, already an athlete)."""
    # The profile's own values first: a look-up that matched must not be told apart from
    # one that did not by which error comes back.
    values = _profile_values(**profile)
    coaches = _coaches(coach_ids)
    stage = _enum(Stage, stage, _l("Choose the stage."), "stage")
    if actor is not None and not actor.is_admin:
        # A birth date proves nothing: the look-up is rationed per user and per number,
        # logged, and answers the same whatever did not match (issue 13 item 2).
        person = lookup.find_person(
            person_id,
            birth_on,
            actor=actor,
            purpose="athlete_proposal",
            message=NOT_PROPOSABLE,
            field="register_number",
            refuse=_has_profile,
        )
    else:
        number = _row_id(person_id)
        person = db.session.get(Person, number) if number is not None else None
    if person is None or person.is_archived:
        raise DomainError(_l("Choose the person from the register."), field="person_id")
    if _has_profile(person):
        raise DomainError(
            _l("%(name)s already has an athlete profile.", name=person.name), field="person_id"
        )
    athlete = AthleteProfile(
        person=person,
        stage=stage,
        stage_since=values["discovered_on"],
        identified_by_id=getattr(actor, "id", None),
        coaches=coaches,
        **values,
    )
    athlete.stage_changes.append(
        StageChange(
            from_stage=None,
            to_stage=stage,
            changed_on=values["discovered_on"],
            changed_by_id=getattr(actor, "id", None),
            reason="",
        )
    )
    try:
        with db.session.begin_nested():  # a savepoint: a lost race leaves the session usable
            db.session.add(athlete)
            db.session.flush()
    except IntegrityError:
        # Another user made this person an athlete between the check above and this INSERT
        # (the unique person_id): the same answer as the check's, not a 500 — and for a
        # non-admin the look-up's one refusal, which names no one.
        if actor is not None and not actor.is_admin:
            raise DomainError(NOT_PROPOSABLE, field="register_number") from None
        raise DomainError(
            _l("%(name)s already has an athlete profile.", name=person.name), field="person_id"
        ) from None
    audit.record(
        "create",
        "athlete",
        athlete.id,
        [*PROFILE_FIELDS, "sports", "coaches", "stage"],
        actor=actor,
    )
    return athlete


def update_athlete(
    athlete: AthleteProfile,
    *,
    version: int | None,
    coach_ids=(),
    actor=None,
    **profile,
) -> AthleteProfile:
    """Save an edit of the profile (``_profile_values``' keywords; not the stage: change_stage
    records that). The date found
    cannot be after the stage history begins (it would count the athlete as newly found in
    the wrong year)."""
    editing.check_version(athlete, version)
    values = _profile_values(**profile)
    first = min((change.changed_on for change in athlete.stage_changes), default=None)
    if first is not None and values["discovered_on"] > first:
        raise DomainError(
            _l(
                "The date found cannot be after the stage history begins (%(date)s).",
                date=_ShownDate(first),
            ),
            field="discovered_on",
        )
    sports = values.pop("sports")
    coaches = _coaches(coach_ids)
    # Read the collections before changing anything, so loading them cannot autoflush a
    # half-made edit (which would raise the version twice).
    sports_changed = {s.id for s in athlete.sports} != {s.id for s in sports}
    coaches_changed = athlete.coach_ids() != {c.id for c in coaches}
    changed = audit.assign(athlete, values)
    if sports_changed:
        athlete.sports = sports
        changed.append("sports")
    if coaches_changed:
        athlete.coaches = coaches
        changed.append("coaches")
    if not changed:
        return athlete
    athlete.updated_at = clock.now()
    audit.saved(athlete, "athlete", changed, actor=actor)
    return athlete


def change_stage(
    athlete: AthleteProfile,
    *,
    to_stage,
    changed_on: date,
    version,
    reason: str = "",
    actor=None,
) -> StageChange:
    """Move the athlete along the pipeline (rules.check_stage_change) and record who, when
    and why. ``version`` is the profile's version the change was decided on (missing: stale)."""
    editing.check_version(athlete, version)
    target = _enum(Stage, to_stage, _l("Choose the new stage."), "to_stage")
    if not isinstance(changed_on, date):
        raise DomainError(_l("Enter the date of the change."), field="changed_on")
    if changed_on > clock.today():
        raise DomainError(
            _l("The date of the change must not be in the future."), field="changed_on"
        )
    if changed_on < athlete.stage_since:
        raise DomainError(
            _l("The date of the change cannot be before the current stage began."),
            field="changed_on",
        )
    reason = (reason or "").strip()
    rules.check_stage_change(
        athlete.stage,
        target,
        is_admin=bool(actor is not None and actor.is_admin),
        reason=reason,
    )
    change = StageChange(
        from_stage=athlete.stage,
        to_stage=target,
        changed_on=changed_on,
        changed_by_id=getattr(actor, "id", None),
        reason=reason,
    )
    athlete.stage_changes.append(change)
    athlete.stage = target
    athlete.stage_since = changed_on
    athlete.updated_at = clock.now()
    audit.saved(
        athlete,
        "athlete",
        ["stage"],
        actor=actor,
        details={"from": change.from_stage.value, "to": target.value},
        action="stage_change",
    )
    return change


def save_classification(
    athlete: AthleteProfile,
    *,
    sport_id,
    class_code: str,
    status,
    classified_on: date | None = None,
    review_on: date | None = None,
    notes: str = "",
    classification: Classification | None = None,
    version: int | None = None,
    actor=None,
) -> Classification:
    """Add the athlete's class in a sport, or save an edit of ``classification``. A class
    under review with a fixed date needs that date; a confirmed class needs none."""
    if classification is not None:
        editing.check_version(classification, version)
    sport = _sport(sport_id, field="sport_id")
    code = rules.clean_class_code(sport.code, class_code)
    status = _enum(ClassificationStatus, status, _l("Choose the classification status."), "status")
    if status is ClassificationStatus.REVIEW_BY_DATE and review_on is None:
        raise DomainError(_l("Enter the fixed review date."), field="review_on")
    if status is ClassificationStatus.CONFIRMED:
        review_on = None
    if classified_on is not None and classified_on > clock.today():
        raise DomainError(
            _l("The classification date must not be in the future."), field="classified_on"
        )
    if classified_on and review_on and review_on < classified_on:
        raise DomainError(
            _l("The review date must be after the classification date."), field="review_on"
        )
    other = db.session.scalar(
        sa.select(Classification.id).where(
            Classification.athlete_id == athlete.id, Classification.sport_id == sport.id
        )
    )
    if other is not None and (classification is None or other != classification.id):
        raise DomainError(
            _l(
                "This athlete already has a class in %(sport)s: edit that one instead.",
                sport=sport.display_name,
            ),
            field="sport_id",
        )
    values = {
        "sport_id": sport.id,
        "class_code": code,
        "status": status,
        "classified_on": classified_on,
        "review_on": review_on,
        "notes": (notes or "").strip(),
    }
    if classification is None:
        classification = Classification(athlete_id=athlete.id, **values)
        audit.created(
            classification,
            "classification",
            list(values),
            actor=actor,
            details={"athlete_id": athlete.id},
        )
        return classification
    changed = audit.assign(classification, values)
    if changed:
        audit.saved(
            classification,
            "classification",
            changed,
            actor=actor,
            details={"athlete_id": athlete.id},
        )
    return classification


def template_measures(sport_id: int) -> list[AssessmentMeasure]:
    """The screening template of a sport: its active measures, then the general ones."""
    return list(
        db.session.scalars(
            sa.select(AssessmentMeasure)
            .where(
                AssessmentMeasure.is_active.is_(True),
                sa.or_(
                    AssessmentMeasure.sport_id == sport_id, AssessmentMeasure.sport_id.is_(None)
                ),
            )
            .order_by(
                AssessmentMeasure.sport_id.is_(None),
                AssessmentMeasure.sort_order,
                AssessmentMeasure.id,
            )
        )
    )


def record_assessment(
    athlete: AthleteProfile,
    *,
    sport_id,
    assessed_on: date,
    rating,
    recommendation,
    values: dict,
    notes: str = "",
    assessor=None,
) -> Assessment:
    """Record a screening. ``values`` maps a measure id to the typed value (empty: not
    measured). Every value is checked against its measure's unit and range; at least one
    must be given."""
    sport = _sport(sport_id, field="sport_id")
    if not isinstance(assessed_on, date):
        raise DomainError(_l("Enter the date of the assessment."), field="assessed_on")
    if assessed_on > clock.today():
        raise DomainError(
            _l("The date of the assessment must not be in the future."), field="assessed_on"
        )
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise DomainError(_l("Choose a rating from 1 to 5."), field="rating")
    recommendation = _enum(
        Recommendation, recommendation, _l("Choose a recommendation."), "recommendation"
    )
    measures = {m.id: m for m in template_measures(sport.id)}
    rows = []
    for measure_id, text in (values or {}).items():
        measure = measures.get(int(measure_id))
        if measure is None:
            raise DomainError(_l("A measurement does not belong to this sport's template."))
        try:
            value = rules.parse_measure_value(measure, text)
        except DomainError as error:
            raise DomainError(error.message, field=f"value_{measure.id}") from None
        if value is not None:
            rows.append(AssessmentValue(measure_id=measure.id, value=value))
    if not rows:
        raise DomainError(_l("Enter at least one measurement."))
    assessment = Assessment(
        athlete_id=athlete.id,
        sport_id=sport.id,
        assessed_on=assessed_on,
        rating=rating,
        recommendation=recommendation,
        notes=(notes or "").strip(),
        assessor_id=getattr(assessor, "id", None),
        values=rows,
    )
    audit.created(
        assessment,
        "assessment",
        ["assessed_on", "rating", "recommendation", "values", "notes"],
        actor=assessor,
        details={"athlete_id": athlete.id},
    )
    return assessment


# Reference data (admins) ---------------------------------------------------------------


def create_sport(*, name: str, name_en: str, class_hint: str = "", actor=None) -> Sport:
    """Add a sport to the reference list (its code, used by the class rules, is derived from
    the English name and made unique)."""
    name, name_en = (name or "").strip(), (name_en or "").strip()
    if not name:
        raise DomainError(_l("Enter the sport's Chinese name."), field="name")
    if not name_en:
        raise DomainError(_l("Enter the sport's English name."), field="name_en")
    if (
        db.session.scalar(
            sa.select(Sport.id).where(
                sa.or_(Sport.name == name, sa.func.lower(Sport.name_en) == name_en.lower())
            )
        )
        is not None
    ):
        raise DomainError(_l("This sport is already in the list."), field="name")
    base = (
        "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in name_en.lower()).strip("_")[
            :30
        ]
        or "sport"
    )
    taken = set(db.session.scalars(sa.select(Sport.code).where(Sport.code.like(f"{base}%"))))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    order = db.session.scalar(sa.select(sa.func.max(Sport.sort_order))) or 0
    sport = Sport(
        code=code,
        name=name,
        name_en=name_en,
        class_hint=(class_hint or "").strip(),
        sort_order=order + 1,
    )
    audit.created(sport, "sport", ["name", "name_en", "class_hint"], actor=actor)
    return sport


def create_measure(
    *,
    sport_id,
    name: str,
    name_en: str,
    unit,
    min_value: Decimal,
    max_value: Decimal,
    lower_is_better: bool = False,
    actor=None,
) -> AssessmentMeasure:
    """Add a measure to a sport's screening template (``sport_id`` None or "": every sport)."""
    sport = _sport(sport_id, field="sport_id") if sport_id not in (None, "") else None
    name, name_en = (name or "").strip(), (name_en or "").strip()
    if not name:
        raise DomainError(_l("Enter the measurement's Chinese name."), field="name")
    if not name_en:
        raise DomainError(_l("Enter the measurement's English name."), field="name_en")
    unit = _enum(MeasureUnit, unit, _l("Choose the unit."), "unit")
    if min_value is None or max_value is None:
        raise DomainError(_l("Enter the lowest and highest accepted values."), field="min_value")
    if min_value > max_value:
        raise DomainError(_l("The lowest value must not be above the highest."), field="max_value")
    sport_id = sport.id if sport else None
    _check_measure_name(sport_id, name)
    order = db.session.scalar(sa.select(sa.func.max(AssessmentMeasure.sort_order))) or 0
    measure = AssessmentMeasure(
        sport_id=sport_id,
        name=name,
        name_en=name_en,
        unit=unit,
        min_value=min_value,
        max_value=max_value,
        lower_is_better=bool(lower_is_better),
        sort_order=order + 1,
    )
    audit.created(
        measure,
        "assessment_measure",
        ["sport_id", "name", "name_en", "unit", "min_value", "max_value"],
        actor=actor,
    )
    return measure


MEASURE_FIELDS = ("name", "name_en", "min_value", "max_value", "lower_is_better")


def _check_measure_name(sport_id, name: str, *, other_than=None, message=None) -> None:
    """A name is unique among the measures in use of one template; a measure taken out
    leaves its name free."""
    query = sa.select(AssessmentMeasure.id).where(
        AssessmentMeasure.sport_id.is_(None)
        if sport_id is None
        else AssessmentMeasure.sport_id == sport_id,
        AssessmentMeasure.name == name,
        AssessmentMeasure.is_active.is_(True),
    )
    if other_than is not None:
        query = query.where(AssessmentMeasure.id != other_than)
    if db.session.scalar(query) is not None:
        raise DomainError(
            message or _l("This template already has a measurement of that name."), field="name"
        )


def update_measure(
    measure: AssessmentMeasure,
    *,
    version,
    name: str,
    name_en: str,
    min_value: Decimal | None,
    max_value: Decimal | None,
    lower_is_better: bool = False,
    actor=None,
) -> AssessmentMeasure:
    """Save an edit of a measure: its names, accepted range and direction. The template and
    the unit stay (values already recorded are in that unit)."""
    editing.check_version(measure, version)
    name, name_en = (name or "").strip(), (name_en or "").strip()
    if not name:
        raise DomainError(_l("Enter the measurement's Chinese name."), field="name")
    if not name_en:
        raise DomainError(_l("Enter the measurement's English name."), field="name_en")
    if min_value is None or max_value is None:
        raise DomainError(_l("Enter the lowest and highest accepted values."), field="min_value")
    if min_value > max_value:
        raise DomainError(_l("The lowest value must not be above the highest."), field="max_value")
    if measure.is_active:
        _check_measure_name(measure.sport_id, name, other_than=measure.id)
    measure.name, measure.name_en = name, name_en
    measure.min_value, measure.max_value = min_value, max_value
    measure.lower_is_better = bool(lower_is_better)
    changed = audit.changed_fields(measure, MEASURE_FIELDS)
    if changed:
        audit.saved(measure, "assessment_measure", changed, actor=actor)
    return measure


def set_measure_active(measure: AssessmentMeasure, active: bool, *, actor=None) -> None:
    """Take a measure out of the template (its recorded values stay) or put it back (not
    beside a measure in use of the same name)."""
    if measure.is_active == active:
        return
    if active:
        _check_measure_name(
            measure.sport_id,
            measure.name,
            other_than=measure.id,
            message=_l(
                "This template already has a measurement of that name. Rename one of them first."
            ),
        )
    measure.is_active = active
    audit.saved(measure, "assessment_measure", ["is_active"], actor=actor)


class _ShownDate:
    """A date in a lazily translated message, written in the reader's language when shown."""

    def __init__(self, day: date):
        self.day = day

    def __str__(self) -> str:
        from app.core.templating import fmt_date

        return fmt_date(self.day)
