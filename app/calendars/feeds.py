"""Feeds: which items a feed holds, its validator (ETag / Last-Modified) and its body.

A feed is a list of feed keys and a name. Its ETag is a hash of the keys' marks
(app/calendars/models.CalendarFeedMark), the name, the language, the alarm option and the
local day (the window moves daily and cancelled items age out daily): one small query, so a
conditional request is answered without building anything. The body is the stored text of
the items filed under the keys, in the window, joined between a fixed head and tail.

Windows: subscriber feeds hold items that end at most WINDOW_BACK_DAYS ago and start at most
WINDOW_AHEAD_DAYS ahead; cancelled items stay CANCELLED_KEEP_DAYS after the cancellation.
A subscriber feed is kept under MAX_FEED_BYTES (Google ignores larger feeds) by leaving out
the items furthest in the future; the admin export has no window and no limit."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.calendars.ics import CALENDAR_TAIL, calendar_head, with_alarm
from app.calendars.models import CalendarFeedMark, CalendarItem, CalendarItemFeed
from app.core import clock

WINDOW_BACK_DAYS = 60
WINDOW_AHEAD_DAYS = 365
CANCELLED_KEEP_DAYS = 30
MAX_FEED_BYTES = 1_000_000


@dataclass
class Feed:
    keys: list[str] | None  # None: every item (the admin export)
    name: str
    filename: str
    personal: bool = False
    windowed: bool = True
    extra: list[str] = field(default_factory=list)  # more ETag input (e.g. the token)


@dataclass(frozen=True)
class Window:
    first: date  # items must end on or after this day
    last: date  # and start on or before this one
    cancelled_since: datetime  # cancelled items stay from this instant on

    @classmethod
    def around(cls, today: date) -> Window:
        cutoff = today - timedelta(days=CANCELLED_KEEP_DAYS)
        return cls(
            first=today - timedelta(days=WINDOW_BACK_DAYS),
            last=today + timedelta(days=WINDOW_AHEAD_DAYS),
            cancelled_since=clock.local_instant(cutoff),
        )


def validator(session, feed: Feed, lang: str, alarm: int | None, today: date | None = None):
    """(ETag value without quotes, Last-Modified) from the keys' marks: one query."""
    today = today or clock.today()
    query = sa.select(
        CalendarFeedMark.feed_key, CalendarFeedMark.revision, CalendarFeedMark.changed_at
    ).order_by(CalendarFeedMark.feed_key)
    if feed.keys is not None:
        query = query.where(CalendarFeedMark.feed_key.in_(feed.keys))
    marks = session.execute(query).all()
    digest = hashlib.sha256()
    day = today.isoformat() if feed.windowed else ""
    for part in (feed.name, lang, str(alarm or 0), day, *(feed.keys or ["*"]), *feed.extra):
        digest.update(part.encode() + b"\x00")
    for key, revision, _changed in marks:
        digest.update(f"{key}={revision}".encode() + b"\x00")
    # Without marks the feed is empty; its Last-Modified is the start of the day (the window).
    start_of_day = clock.local_instant(today)
    changed = [changed for _k, _r, changed in marks]
    last_modified = max(changed) if changed else start_of_day
    if feed.windowed:
        last_modified = max(last_modified, start_of_day)
    return digest.hexdigest()[:32], last_modified


def item_query(keys, window: Window | None, lang: str):
    text = CalendarItem.ics_en if lang == "en" else CalendarItem.ics_zh
    query = sa.select(text)
    if keys is not None:
        query = query.where(
            CalendarItem.id.in_(
                sa.select(CalendarItemFeed.item_id).where(CalendarItemFeed.feed_key.in_(keys))
            )
        )
    if window is not None:
        query = query.where(
            CalendarItem.ends_on >= window.first,
            CalendarItem.starts_on <= window.last,
            sa.or_(
                CalendarItem.cancelled_at.is_(None),
                CalendarItem.cancelled_at >= window.cancelled_since,
            ),
        )
    return query.order_by(CalendarItem.starts_on, CalendarItem.id)


def build(session, feed: Feed, lang: str, alarm: int | None = None, today=None) -> bytes:
    """The feed's bytes: one query for the items' stored text."""
    window = Window.around(today or clock.today()) if feed.windowed else None
    blocks = session.scalars(item_query(feed.keys, window, lang)).all()
    return assemble(feed.name, blocks, lang, alarm, limit=MAX_FEED_BYTES if feed.windowed else None)


def assemble(name: str, blocks, lang: str, alarm: int | None = None, limit=None) -> bytes:
    """Head, the stored blocks (UTF-8 bytes) and tail."""
    if alarm:
        blocks = [with_alarm(block.decode(), alarm, lang).encode() for block in blocks]
    head = calendar_head(name).encode()
    tail = CALENDAR_TAIL.encode()
    body = b"".join((head, *blocks, tail))
    if limit is None or len(body) <= limit:
        return body
    # Too big for some clients: keep the earliest items (the window starts 60 days back, so
    # these are the recent and coming ones) and leave out those furthest ahead.
    budget = limit - len(head) - len(tail)
    kept = []
    for block in blocks:
        if len(block) > budget:
            break
        kept.append(block)
        budget -= len(block)
    return b"".join((head, *kept, tail))
