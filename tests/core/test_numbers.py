"""core.numbers: the one reader of typed numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.numbers import parse_decimal, parse_whole


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1200", "1200"),
        ("1,200", "1200"),
        ("1，200", "1200"),
        ("1,234,567.5", "1234567.5"),
        ("１２００", "1200"),
        ("36.20", "36.20"),
        ("３６．２０", "36.20"),
        ("36。2", "36.2"),
        (" 1 200 ", "1200"),
        ("1\u3000200", "1200"),
        ("-3", "-3"),
        ("－３", "-3"),
        ("+0.5", "0.5"),
        (".5", "0.5"),
        ("0", "0"),
    ],
)
def test_numbers_people_type(text, expected):
    assert parse_decimal(text) == Decimal(expected)
    assert str(parse_decimal(text)) == str(Decimal(expected))


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_is_none(text):
    assert parse_decimal(text) is None
    assert parse_whole(text) is None


@pytest.mark.parametrize(
    "text",
    ["1,20", "1,2", "12,34,567", "1.2.3", "abc", "1e5", "NaN", "Infinity", "٣", "12a", "--1", ","],
)
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_the_limit_and_whole_numbers():
    assert parse_decimal("99999999", limit=10**8) == 99999999
    with pytest.raises(ValueError):
        parse_decimal("100000000", limit=10**8)
    assert parse_whole("1,234") == 1234
    assert parse_whole("12.00") == 12
    with pytest.raises(ValueError):
        parse_whole("12.5")
    with pytest.raises(ValueError):
        parse_whole("9" * 5000)


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9
    )
)
def test_any_decimal_written_plainly_reads_back(value):
    assert parse_decimal(format(value, "f")) == value
