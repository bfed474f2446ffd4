"""Business rules without a database: who may see and edit an athlete, which stage moves are
allowed, what a sport class code and a measured value must look like."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

from app.athletes.enums import Stage
from app.core.errors import DomainError
from app.core.forms import normalise_text
from app.core.numbers import parse_decimal

# Permissions ---------------------------------------------------------------------------


def can_view(user, athlete) -> bool:
    """Admins see every athlete; a coach or home staff member the athletes they coach or
    identified; a participant their own athlete page. Everyone else gets 404."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    if user.has_role("coach") and user.id in athlete.coach_ids():
        return True
    if athlete.identified_by_id is not None and athlete.identified_by_id == user.id:
        return True
    return user.person_id is not None and user.person_id == athlete.person_id


def can_see_category(user, athlete) -> bool:
    """The disability category (sensitive, PIPL art. 28) on athlete pages: admins; the person
    themself; the athlete's coaches once the person has consented to share it with them
    (ConsentKind.SCOUTING). Not the identifier as such, nor a coach who only identified them
    (issue 13 item 2)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    if user.person_id is not None and user.person_id == athlete.person_id:
        return True
    return (
        user.has_role("coach")
        and user.id in athlete.coach_ids()
        and athlete.person.has_scouting_consent
    )


def can_edit(user, athlete) -> bool:
    """Admins, and coaches who coach or identified the athlete."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_admin:
        return True
    if not user.has_role("coach"):
        return False
    return user.id in athlete.coach_ids() or athlete.identified_by_id == user.id


# Stages -------------------------------------------------------------------------------


def is_regular_move(current: Stage, target: Stage) -> bool:
    """Forward one step, back to any earlier active stage, or retire from any active stage."""
    if current is Stage.RETIRED or current is target:
        return False
    if target is Stage.RETIRED:
        return True
    return target.order == current.order + 1 or target.order < current.order


def check_stage_change(current: Stage, target: Stage, *, is_admin: bool, reason: str) -> None:
    """Raise DomainError unless moving from ``current`` to ``target`` is allowed. Any other
    move (a jump such as identified → squad, or a return from retirement) needs an admin and
    a reason."""
    if current is target:
        raise DomainError(
            _l("The athlete is already at the stage %(stage)s.", stage=target.label),
            field="to_stage",
        )
    if is_regular_move(current, target):
        return
    if not is_admin:
        raise DomainError(
            _l(
                "Only an administrator can move an athlete from %(from)s to %(to)s. "
                "Choose the next stage, an earlier one, or Retired.",
                **{"from": current.label, "to": target.label},
            ),
            field="to_stage",
        )
    if not (reason or "").strip():
        raise DomainError(
            _l(
                "Give the reason for moving the athlete from %(from)s to %(to)s.",
                **{"from": current.label, "to": target.label},
            ),
            field="reason",
        )


# Sport classes -------------------------------------------------------------------------

ATHLETICS_CLASS = re.compile(r"^[TF](1[1-3]|20|3[1-8]|4[0-7]|5[1-7]|6[1-4])$")
SWIMMING_CLASS = re.compile(r"^(S|SB|SM)([1-9]|1[0-4])$")
ARCHERY_CLASSES = {"OPEN": "Open", "W1": "W1", "VI": "VI", "VI1": "VI 1", "VI2/3": "VI 2/3"}


def clean_class_code(sport_code: str, text: str) -> str:
    """The class code as stored: checked for archery, athletics and swimming, free text
    (up to 20 characters) for other sports."""
    code = normalise_text(text or "")
    if not code:
        raise DomainError(_l("Enter the sport class."), field="class_code")
    compact = code.replace(" ", "").upper()
    if sport_code == "archery":
        if compact not in ARCHERY_CLASSES:
            raise DomainError(
                _l("Enter a para archery class: Open, W1, VI 1 or VI 2/3."), field="class_code"
            )
        return ARCHERY_CLASSES[compact]
    if sport_code == "athletics":
        if not ATHLETICS_CLASS.match(compact):
            raise DomainError(
                _l("Enter an athletics class: T or F and a class number, for example T46 or F57."),
                field="class_code",
            )
        return compact
    if sport_code == "swimming":
        if not SWIMMING_CLASS.match(compact):
            raise DomainError(
                _l(
                    "Enter a swimming class: S, SB or SM and a number from 1 to 14, "
                    "for example S9 or SB8."
                ),
                field="class_code",
            )
        return compact
    if len(code) > 20:
        raise DomainError(
            _l("The sport class must have at most %(max)d characters.", max=20),
            field="class_code",
        )
    return code


# Measured values -----------------------------------------------------------------------


def format_value(value: Decimal | None, decimals: int) -> str:
    if value is None:
        return ""
    return f"{value:.{decimals}f}"


def parse_measure_value(measure, text) -> Decimal | None:
    """A measured value typed by a person, read with core.numbers (full-width digits, spaces
    and thousands commas accepted). Empty means "not measured" (None). Raises DomainError
    naming the measure, its unit and its range."""
    unit = measure.unit
    decimals = unit.decimals
    low, high = format_value(measure.min_value, decimals), format_value(measure.max_value, decimals)
    try:
        value = parse_decimal(text)
    except ValueError:
        raise DomainError(
            _l(
                "Enter %(measure)s as a number in %(unit)s, for example %(example)s.",
                measure=measure.display_name,
                unit=unit.label,
                example=high,
            ),
        ) from None
    if value is None:
        return None
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > decimals:
        if decimals == 0:
            raise DomainError(
                _l(
                    "Enter %(measure)s as a whole number of %(unit)s.",
                    measure=measure.display_name,
                    unit=unit.label,
                )
            )
        raise DomainError(
            _l(
                "Enter %(measure)s with at most %(places)d decimal places.",
                measure=measure.display_name,
                places=decimals,
            )
        )
    if not measure.min_value <= value <= measure.max_value:
        raise DomainError(
            _l(
                "%(measure)s must be between %(min)s and %(max)s %(unit)s.",
                measure=measure.display_name,
                min=low,
                max=high,
                unit=unit.label,
            )
        )
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
