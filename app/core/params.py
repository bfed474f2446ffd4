"""Reading request parameters typed by people or put in URLs, without surprises: whole
numbers and ids, and periods (``period()``: ``from``/``to`` for the statistics pages, the
downloads and the API).

``int()`` alone is not enough for request data: "²" passes ``str.isdigit`` and then fails,
a string of more than 4,300 digits raises, and a 20-digit id overflows the database's
INTEGER. ``whole_number`` answers None for all of these, so callers give their own clear
message (or 404) instead of a 500."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

from app.core import clock
from app.core.forms import normalise_text

MAX_ID = 2**31 - 1  # INTEGER columns (PostgreSQL refuses anything larger)


def whole_number(text: str | None, low: int = 0, high: int = MAX_ID) -> int | None:
    """``text`` as an int when it is plain ASCII digits with a value in [low, high]."""
    if not text or len(text) > len(str(high)) or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if low <= value <= high else None


@dataclass
class ListPage:
    """One page of a list already in memory, with what ``_macros/pagination.html`` reads."""

    items: list
    page: int
    pages: int
    total: int
    per_page: int


def page_number(high: int = 99_999) -> int:
    """The request's ``?page=``: a whole number from 1 to ``high``; anything else is page 1."""
    return whole_number(request.args.get("page"), low=1, high=high) or 1


def page_of(items: list, page_arg: str | None, per_page: int) -> ListPage:
    """The page ``page_arg`` (``?page=``) of ``items``; a page that is not a whole number, or
    past the end, is the nearest one."""
    pages = max(1, -(-len(items) // per_page))
    page = min(whole_number(page_arg, low=1) or 1, pages)
    start = (page - 1) * per_page
    return ListPage(items[start : start + per_page], page, pages, len(items), per_page)


def paginate(query, page: int, per_page: int, max_per_page: int = 100):
    """One page of a query, as Flask-SQLAlchemy's ``db.paginate`` answers it, without the
    COUNT when the first page is not full: the page is then the whole list (a coach's few
    athletes, a short filtered list: one statement, not two)."""
    import sqlalchemy as sa

    from app.extensions import db

    found = db.paginate(
        query,
        page=max(page, 1),
        per_page=per_page,
        max_per_page=max_per_page,
        error_out=False,
        count=False,
    )
    if found.page == 1 and len(found.items) < found.per_page:
        found.total = len(found.items)
    else:
        whole = query.order_by(None).subquery()
        found.total = db.session.scalar(sa.select(sa.func.count()).select_from(whole))
    return found


class IdConverter(IntegerConverter):
    """The app's ``<int:…>`` URL converter: as Werkzeug's, but no larger than an INTEGER
    column holds, so a 20-digit id in a URL is a 404 rather than an overflow (a 500)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


# --- periods: ?from=YYYY-MM-DD&to=YYYY-MM-DD ---------------------------------------------

# The days a page accepts (the date fields' years too, app/core/forms.py).
EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)
# Statistics pages without a period show everything recorded so far: this day to today.
RECORDS_BEGIN = date(2000, 1, 1)

NOT_A_DAY = _l("Write the date as year-month-day, for example 2026-12-03.")
LAST_BEFORE_FIRST = _l("The last day must be on or after the first day.")


@dataclass(frozen=True)
class PeriodProblem:
    """What is wrong with one parameter: ``message`` in the reader's language for a page,
    ``detail`` in English naming the parameter for the API's problem documents."""

    name: str  # "from" or "to"
    message: object
    detail: str


@dataclass(frozen=True)
class Period:
    """The first and last day (both inclusive; None where optional and not given) and what
    was wrong. With any problem the days are the caller's defaults."""

    first: date | None
    last: date | None
    problems: tuple[PeriodProblem, ...] = ()
    typed: dict = field(default_factory=dict)  # the text given, by parameter name

    @property
    def ok(self) -> bool:
        return not self.problems

    def bounds(self) -> tuple[date, date]:
        """(first, last) of a period whose caller gave both defaults (an open end is a
        programming error, not a user's: ValueError)."""
        if self.first is None or self.last is None:
            raise ValueError("the period has an open end; give first= and last= defaults")
        return self.first, self.last

    @property
    def errors(self) -> list[tuple[str, object]]:
        """(parameter, message) pairs, as the page templates and error summaries take them."""
        return [(p.name, p.message) for p in self.problems]

    def shown(self, name: str) -> str:
        """What the ``name`` input shows: the text given, else the day used (blank if none)."""
        if name in self.typed:
            return self.typed[name]
        day = self.first if name == "from" else self.last
        return day.isoformat() if day else ""

    @property
    def args(self) -> dict[str, str]:
        """The period as query parameters (for download links); empty parts left out."""
        found = {"from": self.first, "to": self.last}
        return {name: day.isoformat() for name, day in found.items() if day}


DAY_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def month(text: str | None) -> date | None:
    """``YYYY-MM`` (ASCII digits, years 1900-2100) as the month's first day, else None."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text or "", flags=re.ASCII)
    if not match:
        return None
    year, number = int(match.group(1)), int(match.group(2))
    if not (1900 <= year <= 2100 and 1 <= number <= 12):
        return None
    return date(year, number, 1)


def parse_day(text: str) -> date | None:
    """YYYY-MM-DD exactly (2026-12-03; not 2026-12-3, and not the week date 2026-W49-4 that
    ``date.fromisoformat`` also reads)."""
    if not DAY_PATTERN.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def period(
    args,
    *,
    first: date | None = None,
    last: date | Callable[[date | None], date] | None = None,
    earliest: date = EARLIEST,
    latest: date = LATEST,
    max_days: int | None = None,
    strict: bool = False,
) -> Period:
    """The ``from`` and ``to`` parameters of ``args`` under one set of rules:

    - a day is YYYY-MM-DD; a page (``strict=False``) trims and NFKC-normalises what was typed
      (full-width ２０２６－１２－０３ is accepted) and takes an empty field as not given; the
      API (``strict=True``) takes the text as sent, so ``from=`` is malformed;
    - a day not given is the caller's default: ``first``, ``last`` (a function of the first
      day when the default depends on it); None means the day stays open;
    - each day lies in [``earliest``, ``latest``] (pages: 1900 to 2100);
    - ``to`` is not before ``from`` and, with ``max_days``, less than that many days after.

    Every problem is reported (``from`` first); with any, the period is the defaults."""
    values: dict[str, date | None] = {}
    typed: dict[str, str] = {}
    problems: list[PeriodProblem] = []
    for name in ("from", "to"):
        values[name] = None
        if name not in args:
            continue
        text = args.get(name, "")
        typed[name] = text
        if not strict:
            text = normalise_text(text)
            if not text:
                continue
        day = parse_day(text)
        if day is None:
            problems.append(
                PeriodProblem(name, NOT_A_DAY, f"'{name}' must be a date as YYYY-MM-DD.")
            )
        elif not earliest <= day <= latest:
            problems.append(
                PeriodProblem(
                    name,
                    _l(
                        "Choose a date from %(first)d to %(last)d.",
                        first=earliest.year,
                        last=latest.year,
                    ),
                    f"'{name}' must be a date from {earliest} to {latest}.",
                )
            )
        else:
            values[name] = day
    chosen_first = values["from"] or first

    def default_last(start):
        return last(start) if callable(last) else last

    chosen_last = values["to"] or default_last(chosen_first)
    if not problems and chosen_first and chosen_last:
        if chosen_last < chosen_first:
            problems.append(
                PeriodProblem("to", LAST_BEFORE_FIRST, "'to' must be on or after 'from'.")
            )
        elif max_days is not None and (chosen_last - chosen_first).days >= max_days:
            problems.append(
                PeriodProblem(
                    "to",
                    _l(
                        "The last day must be less than %(days)d days after the first day.",
                        days=max_days,
                    ),
                    f"'to' must be less than {max_days} days after 'from'.",
                )
            )
    if problems:
        return Period(first, default_last(first), tuple(problems), typed)
    return Period(chosen_first, chosen_last, (), typed)


def statistics_period(args) -> Period:
    """The period of a statistics page (performances, sunshine homes) and its downloads:
    as chosen, else everything recorded so far (RECORDS_BEGIN to today)."""
    return period(args, first=RECORDS_BEGIN, last=clock.today())
