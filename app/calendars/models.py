"""Calendar items rendered once, the feeds they belong to, per-feed change marks and the
personal-feed tokens.

A feed request never builds iCalendar objects. Each published thing (a competition, a
scheduled competition event, a performance, a home activity) is one ``CalendarItem`` whose
VEVENT text is rendered when its visible fields change (app/calendars/sync.py keeps it in step
from SQLAlchemy session events on the source models) and stored per language. A feed is the
join of the ``ics_<lang>`` bytes of the items filed under its feed keys
(``CalendarItemFeed``), within the subscription window.

Feed keys are short strings, one table for every kind of feed, so "items of this feed" is one
indexed lookup whatever the feed: ``public``, ``competition:7``, ``venue:3``, ``programme:2``,
``troupe:4``, ``home:5`` (its public activities), ``home-members:5`` (all its activities, for
the people who belong to it), ``person:12`` (an athlete, support person or performer),
``user:9`` (a coach).

``CalendarFeedMark`` holds one revision per feed key, raised whenever an item filed under the
key changes, is cancelled, is removed or leaves the key: the ETag and Last-Modified of a feed
come from its keys' marks, so a 304 needs no feed to be built and removals move them too."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import clock
from app.core.db import Base, UTCDateTime, foreign_key

# Far enough for "no end" (an open-ended weekly activity) and still a valid DATE everywhere.
OPEN_END = date(9999, 12, 31)


class CalendarItem(Base):
    __tablename__ = "calendar_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The source: e.g. ("competition_event", 42). The UID is derived once and never changes.
    kind: Mapped[str] = mapped_column(sa.String(30))
    source_id: Mapped[int] = mapped_column(sa.Integer)
    uid: Mapped[str] = mapped_column(sa.String(200), unique=True)
    # Local (Beijing) dates the item covers, for the subscription window; a recurring master
    # covers its first to its last occurrence (OPEN_END when it has no end).
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    sequence: Mapped[int] = mapped_column(sa.Integer, default=0)
    # sha256 of the visible fields: SEQUENCE rises only when it changes.
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    # DTSTAMP and LAST-MODIFIED: the last visible change.
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Set when the source was cancelled or deleted; the item stays in feeds with
    # STATUS:CANCELLED for CANCELLED_KEEP_DAYS, then leaves them.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The visible fields the text was rendered from (JSON), so a deleted source can still be
    # published as cancelled and a rebuild can re-render without the source.
    fields: Mapped[dict] = mapped_column(sa.JSON)
    # The VEVENT block(s) as UTF-8 bytes with CRLF, ready to send: a feed is their join,
    # with no decoding or encoding per request.
    ics_zh: Mapped[bytes] = mapped_column(sa.LargeBinary)
    ics_en: Mapped[bytes] = mapped_column(sa.LargeBinary)

    feeds: Mapped[list[CalendarItemFeed]] = relationship(
        back_populates="item", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        sa.UniqueConstraint("kind", "source_id", name="uq_calendar_items_kind_source"),
        sa.CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        sa.Index("ix_calendar_items_window", "ends_on", "starts_on"),
    )

    def ics(self, lang: str) -> bytes:
        return self.ics_en if lang == "en" else self.ics_zh


class CalendarItemFeed(Base):
    __tablename__ = "calendar_item_feeds"

    # The primary key (feed_key, item_id) is the feed query's index.
    feed_key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    item_id: Mapped[int] = foreign_key(
        "calendar_items.id", ondelete="CASCADE", primary_key=True, index=True
    )

    item: Mapped[CalendarItem] = relationship(back_populates="feeds")


class CalendarFeedMark(Base):
    __tablename__ = "calendar_feed_marks"

    feed_key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    revision: Mapped[int] = mapped_column(sa.Integer, default=1)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class CalendarToken(Base):
    """A user's personal feed: a random token (256 bits) in the path, stored as its SHA-256
    only. Rotating replaces it (the old one answers 404 at once); turning the feed off deletes
    the row."""

    __tablename__ = "calendar_tokens"

    user_id: Mapped[int] = foreign_key("users.id", ondelete="CASCADE", primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    user = relationship("User")
