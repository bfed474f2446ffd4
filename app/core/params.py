"""Reading whole numbers typed by people or put in URLs, without surprises.

``int()`` alone is not enough for request data: "²" passes ``str.isdigit`` and then fails,
a string of more than 4,300 digits raises, and a 20-digit id overflows the database's
INTEGER. ``whole_number`` answers None for all of these, so callers give their own clear
message (or 404) instead of a 500."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # INTEGER columns (PostgreSQL refuses anything larger)


def whole_number(text: str | None, low: int = 0, high: int = MAX_ID) -> int | None:
    """``text`` as an int when it is plain ASCII digits with a value in [low, high]."""
    if not text or len(text) > len(str(high)) or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if low <= value <= high else None


class IdConverter(IntegerConverter):
    """The app's ``<int:…>`` URL converter: as Werkzeug's, but no larger than an INTEGER
    column holds, so a 20-digit id in a URL is a 404 rather than an overflow (a 500)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
