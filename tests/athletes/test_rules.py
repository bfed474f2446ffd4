"""Rules without a database: stage moves, class codes, measured values, review warnings."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from app.athletes import rules
from app.athletes.enums import ClassificationStatus, MeasureUnit, ReviewWarning, Stage
from app.athletes.models import Classification
from app.core.errors import DomainError

S = Stage


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.IDENTIFIED, S.SCREENED),
        (S.SCREENED, S.TRIAL_TRAINING),
        (S.TRIAL_TRAINING, S.RESERVE),
        (S.RESERVE, S.SQUAD),
        (S.SQUAD, S.RESERVE),
        (S.SQUAD, S.IDENTIFIED),
        (S.IDENTIFIED, S.RETIRED),
        (S.SQUAD, S.RETIRED),
    ],
)
def test_regular_moves_need_no_admin_or_reason(current, target):
    assert rules.is_regular_move(current, target) is True
    rules.check_stage_change(current, target, is_admin=False, reason="")


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.IDENTIFIED, S.SQUAD),
        (S.IDENTIFIED, S.TRIAL_TRAINING),
        (S.SCREENED, S.RESERVE),
        (S.RETIRED, S.SQUAD),
        (S.RETIRED, S.IDENTIFIED),
    ],
)
def test_jumps_need_an_admin(current, target):
    assert rules.is_regular_move(current, target) is False
    with pytest.raises(DomainError) as error:
        rules.check_stage_change(current, target, is_admin=False, reason="talent")
    assert error.value.field == "to_stage"
    assert str(error.value.message) == (
        f"Only an administrator can move an athlete from {current.label} to {target.label}. "
        "Choose the next stage, an earlier one, or Retired."
    )


def test_an_admins_jump_needs_a_reason():
    with pytest.raises(DomainError) as error:
        rules.check_stage_change(S.IDENTIFIED, S.SQUAD, is_admin=True, reason="  ")
    assert error.value.field == "reason"
    assert str(error.value.message) == (
        "Give the reason for moving the athlete from Identified to Squad."
    )
    rules.check_stage_change(S.IDENTIFIED, S.SQUAD, is_admin=True, reason="省队直接选调")


def test_same_stage_is_refused_even_for_an_admin():
    with pytest.raises(DomainError) as error:
        rules.check_stage_change(S.RESERVE, S.RESERVE, is_admin=True, reason="x")
    assert str(error.value.message) == "The athlete is already at the stage Reserve."


@pytest.mark.parametrize(
    ("sport", "typed", "stored"),
    [
        ("archery", "open", "Open"),
        ("archery", "w1", "W1"),
        ("archery", "VI 2/3", "VI 2/3"),
        ("athletics", "t46", "T46"),
        ("athletics", "F 57", "F57"),
        ("swimming", "sb8", "SB8"),
        ("swimming", "ＳＭ１４", "SM14"),
        ("boccia", "BC2", "BC2"),
    ],
)
def test_class_codes_are_normalised(sport, typed, stored):
    assert rules.clean_class_code(sport, typed) == stored


@pytest.mark.parametrize(
    ("sport", "typed", "message"),
    [
        ("archery", "W2", "Enter a para archery class: Open, W1, VI 1 or VI 2/3."),
        (
            "athletics",
            "T99",
            "Enter an athletics class: T or F and a class number, for example T46 or F57.",
        ),
        (
            "swimming",
            "S15",
            "Enter a swimming class: S, SB or SM and a number from 1 to 14, for example S9 or SB8.",
        ),
        ("boccia", "", "Enter the sport class."),
        ("boccia", "x" * 21, "The sport class must have at most 20 characters."),
    ],
)
def test_bad_class_codes(sport, typed, message):
    with pytest.raises(DomainError) as error:
        rules.clean_class_code(sport, typed)
    assert str(error.value.message) == message
    assert error.value.field == "class_code"


def measure(unit=MeasureUnit.KILOGRAM, low="5", high="30", name="Draw weight held"):
    return SimpleNamespace(
        unit=unit, min_value=Decimal(low), max_value=Decimal(high), display_name=name
    )


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12.5", Decimal("12.5")),
        ("１２．５", Decimal("12.5")),
        (" 12。5 ", Decimal("12.5")),
        ("30", Decimal("30.0")),
        ("5", Decimal("5.0")),
        ("", None),
        (None, None),
    ],
)
def test_measured_values_are_read_as_people_type_them(typed, value):
    assert rules.parse_measure_value(measure(), typed) == value


@pytest.mark.parametrize(
    ("m", "typed", "message"),
    [
        (measure(), "31", "Draw weight held must be between 5.0 and 30.0 kg."),
        (measure(), "4.9", "Draw weight held must be between 5.0 and 30.0 kg."),
        (measure(), "abc", "Enter Draw weight held as a number in kg, for example 30.0."),
        (measure(), "12,5", "Enter Draw weight held as a number in kg, for example 30.0."),
        (measure(), "12.55", "Enter Draw weight held with at most 1 decimal places."),
        (
            measure(MeasureUnit.POINTS, "0", "300", "18 m score"),
            "250.5",
            "Enter 18 m score as a whole number of points.",
        ),
        (
            measure(MeasureUnit.SECOND, "3", "30", "30 m sprint"),
            "2.99",
            "30 m sprint must be between 3.00 and 30.00 seconds.",
        ),
        (measure(), "NaN", "Enter Draw weight held as a number in kg, for example 30.0."),
    ],
)
def test_measured_values_outside_the_rules_name_the_range(m, typed, message):
    with pytest.raises(DomainError) as error:
        rules.parse_measure_value(m, typed)
    assert str(error.value.message) == message


TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("status", "review_on", "warning"),
    [
        (ClassificationStatus.REVIEW_BY_DATE, date(2026, 5, 31), ReviewWarning.OVERDUE),
        (ClassificationStatus.REVIEW_BY_DATE, date(2026, 6, 1), ReviewWarning.DUE_SOON),
        (ClassificationStatus.REVIEW, date(2026, 7, 31), ReviewWarning.DUE_SOON),
        (ClassificationStatus.REVIEW, date(2026, 8, 1), None),
        (ClassificationStatus.NEW, None, None),
        (ClassificationStatus.CONFIRMED, date(2026, 5, 1), None),
    ],
)
def test_review_warning(status, review_on, warning):
    c = SimpleNamespace(status=status, review_on=review_on)
    assert Classification.review_warning(c, TODAY) == warning
