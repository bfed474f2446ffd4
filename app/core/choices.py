"""The choice lists of the forms (towns, sports, coaches), kept in the worker until the data
they come from changes.

The signed-in list pages offer these in their filters on every request: three queries and a
few dozen ORM objects each time, for lists that change a few times a year (on the coach's
athlete list they were a third of the request). ``kept(name, build)`` keeps ``build()``'s
answer, a list of (value, label) pairs in the reader's language, under the version of the
``reference`` data topic (app/core/versions.py), which every commit that adds, changes or
deletes a town, a sport, a user or a user's roles moves in the same transaction
(app/caching.py). The version is read once per request from the versions' mirror (one Redis
GET); a list kept under another version is built again.

What is rendered from these lists and the language alone is kept the same way: the athlete
list's filter form when nothing is filtered (app/athletes/views/_common.py ``filters_html``),
a quarter of that page's work; and, unversioned, the parts of the layout that depend on the
language alone and the main navigation's links for a set of roles (app/core/templating.py),
a third of the layout's work. Whatever is kept must depend on nothing its name does not say:
the filter form's name says whether it has the category select (admins only), the
navigation's names the roles.

Off where the page cache is off (``PAGE_CACHE_ENABLED``; the tests turn it off, and test this
with it on): there every call builds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g
from flask_babel import get_locale

from app.core import versions

Choices = list[tuple[str, str]]
T = TypeVar("T")

# (database, name, language) -> (reference version, what was built)
_KEPT: dict[tuple[str, str, str], tuple[str, Any]] = {}


def _version() -> str:
    version = g.get("_reference_version")
    if version is None:
        from app.extensions import db

        found, _ = versions.read(db.session, [versions.REFERENCE])
        version = g._reference_version = found[versions.REFERENCE]
    return version


def kept(name: str, build: Callable[[], T], *, versioned: bool = True) -> T:
    """``build()``'s answer for the reader's language, kept in the worker under the reference
    data version (``versioned=False``: for what depends on the language alone, the layout's
    parts in app/core/templating.py, kept for the worker's life)."""
    if not current_app.config.get("PAGE_CACHE_ENABLED"):
        return build()
    version = _version() if versioned else ""
    key = (current_app.config["SQLALCHEMY_DATABASE_URI"], name, str(get_locale()))
    found = _KEPT.get(key)
    if found is not None and found[0] == version:
        return found[1]
    built = build()
    _KEPT[key] = (version, built)
    return built
