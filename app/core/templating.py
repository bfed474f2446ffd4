"""Template helpers: the page's language, dates in the configured zone, navigation."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_skeleton
from flask import Flask, get_template_attribute, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from app.core import choices, clock
from app.core.i18n import html_lang

# (endpoint, label, roles or None for everyone). The crawl test follows these links.
NAV = (
    ("core.home", _l("Home"), None),
    ("people.index", _l("People"), ("admin",)),
    ("venues.index", _l("Venues"), None),
    ("athletes.index", _l("Athletes"), ("coach", "home_staff")),
    ("competitions.index", _l("Competitions"), None),
    ("performances.index", _l("Performances"), None),
    ("homes.index", _l("Sunshine homes"), None),
    ("calendars.index", _l("Calendars"), None),
    ("reports.index", _l("Term report"), None),
    ("accounts.users", _l("Accounts"), ("admin",)),
    ("notices.index", _l("Notices"), ("admin",)),
)


def _nav_links() -> list[tuple[str, str, str]]:
    """(endpoint, href, label) of the main navigation for the reader, in their language."""
    signed_in = current_user.is_authenticated
    return [
        (endpoint, url_for(endpoint), str(label))
        for endpoint, label, roles in NAV
        if roles is None or (signed_in and current_user.has_any_role(*roles))
    ]


def nav_items() -> list[tuple[str, str, bool]]:
    """(href, label, is this page) of the main navigation: the links kept per worker for each
    language and set of roles (what ``_nav_links`` depends on), this page marked on every
    request."""
    roles = sorted(r.value for r in current_user.roles) if current_user.is_authenticated else "-"
    links = choices.kept(f"nav:{','.join(roles)}", _nav_links, versioned=False)
    here = request.endpoint
    return [(href, label, endpoint == here) for endpoint, href, label in links]


def layout_part(name: str) -> Markup:
    """A part of base.html that depends on the language alone (a macro of
    _macros/layout.html), rendered once per worker and language: 22 of a page's 24 links and
    most of its words were built again for every page (docs/benchmarks.md)."""
    return choices.kept(
        f"layout:{name}",
        lambda: get_template_attribute("_macros/layout.html", name)(),
        versioned=False,
    )


def fmt_date(value: date | None, style: str = "medium") -> str:
    if value is None:
        return ""
    return format_date(value, style)


def fmt_month(value: date) -> str:
    """A month as the reader's language writes it: "January 2017", "2017年1月"."""
    return format_skeleton("yMMMM", value, locale=str(get_locale() or "zh_Hans"))


def fmt_datetime(value: datetime | None, style: str = "medium") -> str:
    """An instant in the configured zone and the reader's locale, 24-hour form."""
    if value is None:
        return ""
    if style == "short":
        return format_datetime(value, "yyyy-MM-dd HH:mm")
    return format_datetime(value, style)


def fmt_span(start: datetime, end: datetime | None) -> str:
    """A stretch of time in the configured zone: "Sat 2026-12-12 15:00–17:00" within a day
    (the date once), both ends whole across days; the weekday in the reader's language."""
    first = format_datetime(start, "EEE yyyy-MM-dd HH:mm")
    if end is None:
        return first
    if clock.local_date(start) == clock.local_date(end):
        return f"{first}–{format_datetime(end, 'HH:mm')}"
    return f"{first}–{format_datetime(end, 'EEE yyyy-MM-dd HH:mm')}"


def page_numbers(current: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers a pagination shows: the first and the last, those within ``around``
    of the current one, and None for each gap ("…"); a gap of one page shows the page."""
    shown = {1, pages, *range(max(1, current - around), min(pages, current + around) + 1)}
    numbers: list[int | None] = []
    for number in sorted(shown):
        if numbers and number - numbers[-1] == 2:
            numbers.append(number - 1)
        elif numbers and number - numbers[-1] > 2:
            numbers.append(None)
        numbers.append(number)
    return numbers


def register(app: Flask) -> None:
    app.jinja_env.filters["date"] = fmt_date
    app.jinja_env.filters["datetime"] = fmt_datetime
    app.jinja_env.filters["month"] = fmt_month  # "February 2028", "2028年2月"
    app.jinja_env.filters["span"] = fmt_span  # start|span(end): "Sat 2026-12-12 15:00–17:00"
    app.jinja_env.globals["page_numbers"] = page_numbers
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject():
        locale = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        return {
            "current_locale": locale,
            "html_lang": html_lang(locale),
            "nav_items": nav_items,
            "layout_part": layout_part,
            "other_locale": "en" if locale == "zh_Hans" else "zh_Hans",
        }
