"""Source adapters: how each domain's records become calendar items.

An adapter (one per item kind) reads another domain's models, read-only, and answers two
questions for app/calendars/sync.py:

- ``touched(obj, deleted)``: which items (and which whole feeds, e.g. every item at a venue)
  a changed source object affects;
- ``load(session, ids)``: for those items, their visible fields, feed keys and window, in a
  bounded number of queries whatever the number of ids. An id missing from the answer means
  the source is gone (deleted, or no longer scheduled): the item is published as cancelled.

Text is built here once per language (``text["zh"]``, ``text["en"]``) with the app's own
catalogue, so a feed in either language is a plain select."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.calendars.ics import LANGS, to_local_iso
from app.venues.models import Venue

BABEL_LOCALE = {"zh": "zh_Hans", "en": "en"}


def venue_options(attr):
    """Load the venue relationship ``attr`` with the town and features an item's location
    shows (selectin: a fixed number of queries whatever the number of items)."""
    return selectinload(attr).options(selectinload(Venue.town), selectinload(Venue.feature_rows))


@dataclass
class ItemData:
    """What an adapter knows about one item."""

    starts_on: date
    ends_on: date
    fields: dict
    feed_keys: set[str] = field(default_factory=set)
    cancelled: bool = False


class Source:
    """Base class of an adapter. ``kind`` names the item kind; ``watched`` the model classes
    whose changes may affect its items."""

    kind: str = ""
    watched: tuple = ()

    def touched(self, session, obj, deleted: bool) -> tuple[set[tuple[str, int]], set[str]]:
        """((kind, source id) of the items ``obj`` affects, feed keys whose every item must be
        re-checked). Runs at commit time, outside the flush, so it may query."""
        return set(), set()

    def page_url(self, source_id: int) -> str | None:
        """The event's page in the app (the target of the stable URL in the feed)."""
        return None

    def personal_keys(self, session, person_ids: list[int]) -> set[str]:
        """Extra feed keys of a personal feed for these people (e.g. their homes)."""
        return set()

    def user_keys(self, session, user_id: int) -> set[str]:
        """Extra feed keys of a personal feed for the account itself (e.g. homes it staffs)."""
        return set()

    def load(self, session, ids: list[int]) -> dict[int, ItemData]:
        raise NotImplementedError

    def all_ids(self, session) -> list[int]:
        raise NotImplementedError

    def uid(self, source_id: int) -> str:
        return f"{self.kind.replace('_', '-')}-{source_id}@{uid_domain()}"

    def item(
        self,
        source_id: int,
        when: dict,
        *,
        days: tuple[date, date],
        status: str,
        venue: Venue | None,
        text: Callable[[str], dict],
        keys: set[str],
        **more: object,
    ) -> ItemData:
        """One record's item: its UID and stable URL, ``when`` (``timed`` or ``all_day``), the
        ICS ``status`` (cancelled when CANCELLED), the venue's GEO, any ``more`` fields (a
        series' RRULE, EXDATEs and overrides) and ``text(lang)`` in each language; ``days``
        the first and last local day it covers."""
        fields = {
            "uid": self.uid(source_id),
            **when,
            "status": status,
            "url": item_url(self.kind, source_id),
            "geo": venue_geo(venue),
            **more,
            "text": per_language(text),
        }
        starts_on, ends_on = days
        return ItemData(starts_on, ends_on, fields, keys, cancelled=status == "CANCELLED")


def timed(starts: datetime, ends: datetime) -> dict:
    """An item's time: from ``starts`` to ``ends`` (aware UTC), stored in local time."""
    return {"all_day": False, "start": to_local_iso(starts), "end": to_local_iso(ends)}


def all_day(first: date, last: date) -> dict:
    """An all-day item's days: DTEND is the day after the last (RFC 5545)."""
    return {
        "all_day": True,
        "start": first.isoformat(),
        "end": (last + timedelta(days=1)).isoformat(),
    }


SOURCES: dict[str, Source] = {}
# The sources each watched model class feeds, kept with SOURCES so the flush hook in
# app/calendars/sync.py looks a class up instead of rebuilding this table on every flush.
WATCHED: dict[type, list[Source]] = {}


def register(source: Source) -> Source:
    old = SOURCES.get(source.kind)
    if old is not None:
        for cls in old.watched:
            WATCHED[cls].remove(old)
    SOURCES[source.kind] = source
    for cls in source.watched:
        WATCHED.setdefault(cls, []).append(source)
    return source


def uid_domain() -> str:
    """The right-hand side of every UID. Stored with each item when it is first made, so a
    later change of this setting never changes an existing UID."""
    return current_app.config.get("CALENDAR_UID_DOMAIN") or "calendar.ronghe.local"


def base_url() -> str:
    """Where event pages live, for the links stored in calendar items and notices. Without
    RONGHE_BASE_URL (required in production) or SERVER_NAME: the host serving the request
    that made the change (``PORT=5001 make run``), else a guess."""
    configured = current_app.config.get("RONGHE_BASE_URL")
    if configured:
        return configured.rstrip("/")
    server = current_app.config.get("SERVER_NAME")
    if server:
        return f"http://{server}"
    if has_request_context():
        return request.host_url.rstrip("/")
    return "http://127.0.0.1:5000"


def absolute_url(endpoint: str, anchor: str = "", **values) -> str:
    adapter = current_app.url_map.bind("localhost")
    path = adapter.build(endpoint, values)
    return base_url() + path + (f"#{anchor}" if anchor else "")


def item_url(kind: str, source_id: int) -> str:
    """The URL property: a stable address of ours that redirects to the event's page, so a
    feed never holds a link that breaks when a domain's pages move."""
    return absolute_url("calendars.go", kind=kind, source_id=source_id)


def first_url(candidates) -> str | None:
    """url_for of the first (endpoint, values) the app knows."""
    from flask import url_for
    from werkzeug.routing import BuildError

    for endpoint, values in candidates:
        try:
            return url_for(endpoint, **values)
        except BuildError:
            continue
    return None


def per_language(build) -> dict:
    """``{"zh": build("zh"), "en": build("en")}`` with the app's catalogue in each language."""
    out = {}
    for lang in LANGS:
        with force_locale(BABEL_LOCALE[lang]):
            out[lang] = build(lang)
    return out


def venue_location(venue, lang: str, fallback: str = "") -> str:
    """LOCATION: the venue's name and full address."""
    if venue is None:
        return fallback
    town = venue.town
    if lang == "en":
        parts = [venue.name, venue.address, town.name_en if town else ""]
        return ", ".join(p for p in parts if p)
    address = (town.name if town else "") + (venue.address or "")
    return "，".join(p for p in (venue.name, address) if p)


def venue_lines(venue, lang: str, interpretation: str | None = None) -> list[str]:
    """DESCRIPTION lines about the venue: its accessibility features and interpretation."""
    from app.venues.enums import AccessibilityFeature

    if venue is None:
        return [_("Venue: to be announced")]
    joiner = "、" if lang == "zh" else ", "
    features = venue.features
    lines = [_("Venue: %(venue)s", venue=venue_location(venue, lang))]
    if features:
        labels = joiner.join(str(f.label) for f in features)
        lines.append(_("Accessibility: %(features)s", features=labels))
    else:
        lines.append(_("Accessibility: no features recorded for this venue"))
    if interpretation:
        lines.append(_("Interpretation: %(what)s", what=interpretation))
    elif AccessibilityFeature.SIGN_LANGUAGE in venue.feature_set:
        lines.append(_("Interpretation: sign language on request at this venue"))
    else:
        lines.append(_("Interpretation: none announced; ask the organiser"))
    return lines


def venue_geo(venue) -> list[str] | None:
    if venue is None or not venue.has_coordinates:
        return None
    return [venue.latitude_text, venue.longitude_text]
