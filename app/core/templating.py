"""Template helpers: the page's language, dates in the configured zone, navigation."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_skeleton
from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

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
)


def nav_items():
    items = []
    for endpoint, label, roles in NAV:
        if roles is not None:
            if not current_user.is_authenticated or not current_user.has_any_role(*roles):
                continue
        items.append((url_for(endpoint), label, request.endpoint == endpoint))
    return items


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


def register(app: Flask) -> None:
    app.jinja_env.filters["date"] = fmt_date
    app.jinja_env.filters["datetime"] = fmt_datetime
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
            "other_locale": "en" if locale == "zh_Hans" else "zh_Hans",
        }
