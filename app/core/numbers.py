"""The one reader of numbers typed by people (forms, imports, measurements, capacities).

What Chinese users type, accepted the same way everywhere:

- full-width digits and signs (１２００, －３) and the full-width or ideographic full stop
  between digits (３６．２, 36。2 from a Chinese input method) — read as 1200, -3, 36.2;
- spaces, including thin and ideographic ones, anywhere (1 200);
- commas only as thousands separators in groups of three (1,200 and 1，234，567): China writes
  no decimal comma, so "1,20" or "1,2" is refused rather than read as 1.2 or 120.

Anything else (letters, two decimal points, "1e5", "∞", "²") is refused with ValueError, so the
caller gives its own message naming the field. ``Decimal`` keeps what was typed ("36.20" keeps
its two places), and a result is always finite.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u3000]+")
_IDEOGRAPHIC_POINT = re.compile(r"(?<=[0-9])。(?=[0-9])")
_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")


def _clean(text) -> str:
    if text is None:
        return ""
    text = unicodedata.normalize("NFKC", str(text))
    text = _IDEOGRAPHIC_POINT.sub(".", text)
    return _SPACES.sub("", text)


def parse_decimal(text, *, limit: Decimal | int | None = None) -> Decimal | None:
    """The number in ``text`` as a Decimal; None when empty. ValueError when it is not a
    number as described above, or its magnitude reaches ``limit``."""
    raw = _clean(text)
    if not raw:
        return None
    if _GROUPED.fullmatch(raw):
        raw = raw.replace(",", "")
    elif not _PLAIN.fullmatch(raw):
        raise ValueError(f"not a number: {text!r}")
    try:
        value = Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the patterns above admit only numbers
        raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite() or (limit is not None and abs(value) >= limit):
        raise ValueError(f"out of range: {text!r}")
    return value


def parse_whole(text, *, limit: int = 10**15) -> int | None:
    """A whole number (``1,200`` -> 1200); None when empty; ValueError otherwise, including
    for a decimal part other than zeros (``12.5``)."""
    value = parse_decimal(text, limit=limit)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise ValueError(f"not a whole number: {text!r}")
    return int(value)
