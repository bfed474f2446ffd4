"""Subscribe links for a feed address: webcal:// (one tap), the https address to copy,
Google's add-by-URL link and a QR code (inline SVG with a text alternative); and the lists
of public feeds on the calendar page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import segno
import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.calendars.feeds import Window
from app.calendars.models import CalendarItem, CalendarItemFeed
from app.core import clock
from app.extensions import db

# Google refuses add-by-URL links longer than this.
GOOGLE_URL_LIMIT = 256


@dataclass
class SubscribeLinks:
    name: str
    https: str
    webcal: str
    google: str | None
    qr_svg: Markup

    @property
    def webcal_breakable(self) -> Markup:
        return breakable(self.webcal)


def subscribe_links(feed_url: str, name: str) -> SubscribeLinks:
    webcal = "webcal://" + feed_url.split("://", 1)[1]
    google = "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe="")
    return SubscribeLinks(
        name=name,
        https=feed_url,
        webcal=webcal,
        google=google if len(google) <= GOOGLE_URL_LIMIT else None,
        qr_svg=qr_svg(webcal, _("QR code of the address %(url)s", url=webcal)),
    )


def breakable(text: str, every: int = 16) -> Markup:
    """A long address that may wrap at 320 px: <wbr> after each slash and every ``every``
    characters of a long run (the token)."""
    pieces = []
    for part in text.split("/"):
        chunks = [part[i : i + every] for i in range(0, len(part), every)] or [""]
        pieces.append(Markup("<wbr>").join(escape(chunk) for chunk in chunks))
    return Markup("/<wbr>").join(pieces)


def qr_svg(data: str, title: str) -> Markup:
    """An inline SVG QR code with role=img and a <title>; the address is also printed next to
    it, which is the text alternative a screen-reader user needs."""
    code = segno.make(data, error="m")
    svg = code.svg_inline(scale=4, border=2, dark="#000", light="#fff", title=title, svgclass="qr")
    # segno escapes the title and the rest is its own markup (no user text).
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704  # nosec B704


@dataclass
class FeedLink:
    name: str
    feed_url: str
    subscribe_url: str


def feed_groups() -> list[tuple[str, list[FeedLink]]]:
    """Every public feed with something in the window, grouped by kind: one query for the
    keys and one per kind for the names."""
    from app.competitions.models import Competition
    from app.homes.models import Home
    from app.performances.models import Programme, Troupe
    from app.venues.models import Venue

    window = Window.around(clock.today())
    rows = db.session.scalars(
        sa.select(CalendarItemFeed.feed_key)
        .join(CalendarItem, CalendarItem.id == CalendarItemFeed.item_id)
        .where(
            CalendarItem.ends_on >= window.first,
            CalendarItem.starts_on <= window.last,
            CalendarItem.cancelled_at.is_(None),
        )
        .distinct()
    ).all()
    wanted: dict[str, set[int]] = {}
    for key in rows:
        kind, _sep, ident = key.partition(":")
        if kind in ("competition", "programme", "troupe", "home", "venue") and ident.isdigit():
            wanted.setdefault(kind, set()).add(int(ident))
    plan = (
        ("competition", _("Competitions"), Competition),
        ("programme", _("Cultural programmes"), Programme),
        ("troupe", _("Troupes"), Troupe),
        ("home", _("Sunshine homes"), Home),
        ("venue", _("Venues"), Venue),
    )
    groups = []
    for kind, title, model in plan:
        ids = wanted.get(kind)
        if not ids:
            continue
        found = db.session.execute(
            sa.select(model.id, model.name).where(model.id.in_(ids)).order_by(model.name)
        ).all()
        groups.append(
            (
                title,
                [
                    FeedLink(
                        name=name,
                        feed_url=url_for(
                            "calendars.entity_ics", kind=kind, entity_id=ident, _external=True
                        ),
                        subscribe_url=url_for("calendars.subscribe", kind=kind, entity_id=ident),
                    )
                    for ident, name in found
                ],
            )
        )
    return groups
