"""Keeping calendar items in step with their sources.

Mechanism: SQLAlchemy session events on every session.

- ``after_flush`` notes the new, changed and deleted objects of the watched model classes
  (each adapter in app/calendars/adapters names its own) as the commit hook's notes
  (app/core/commit_hooks.py: kept per savepoint);
- at the outer commit (the first commit hook; never at a savepoint's release) the adapters
  say which items those objects touch, and ``sync()`` re-derives exactly those items in the
  same transaction: so an item can never be committed out of step with its source, and a
  rolled-back change (or savepoint) leaves no trace.

``sync()`` loads the touched items' visible fields from their adapters (a bounded number of
queries per kind), compares a fingerprint, and only when it differs raises SEQUENCE, stamps
the change time (DTSTAMP / LAST-MODIFIED) and renders the VEVENT text in both languages. Feed
membership changes (an entry withdrawn, a member joining a home) update the item's feed keys
without touching its text. Every feed key whose content changed gets its mark raised.
A source that disappears (deleted, unscheduled) leaves its item published as CANCELLED with a
higher SEQUENCE; feeds drop it CANCELLED_KEEP_DAYS later.

Bulk SQL (``session.execute(update(...))``) bypasses these events; ``rebuild()`` (the
``flask calendars rebuild`` command) re-derives everything and is idempotent."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import MANYTOONE, Mapper, Session, selectinload
from sqlalchemy.orm.exc import DetachedInstanceError, ObjectDeletedError

from app.calendars import adapters  # noqa: F401  (registers the sources)
from app.calendars.ics import render_item
from app.calendars.models import CalendarFeedMark, CalendarItem, CalendarItemFeed
from app.calendars.sources import SOURCES, WATCHED, ItemData
from app.core import clock, commit_hooks

log = logging.getLogger(__name__)

NAME = "calendars"
CHUNK = 500


def fingerprint(fields: dict) -> str:
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@event.listens_for(Session, "after_flush")
def _note_changes(session, flush_context):
    # Keyed by (object, deleted): an object flushed several times in one transaction is asked
    # about once at commit (``touched`` may query).
    noted = [(obj, False) for obj in session.new if type(obj) in WATCHED]
    noted += [
        (obj, False)
        for obj in session.dirty
        if type(obj) in WATCHED and session.is_modified(obj, include_collections=True)
    ]
    noted += [(obj, True) for obj in session.deleted if type(obj) in WATCHED]
    if noted:
        pending = commit_hooks.pending(session, NAME)
        for obj, deleted in noted:
            pending.setdefault((id(obj), deleted), (obj, deleted))


def _sync_at_commit(session, pending) -> None:
    # Everything is flushed here. A changed object may still hold a many-to-one loaded before
    # its foreign key changed (performance.venue after venue_id was set), and the adapters'
    # loads do not overwrite what the session already holds: those are read afresh. Only
    # they: expiring the whole object made every row read again (one SELECT per booked
    # person when a performance's people changed).
    item_keys: set[tuple[str, int]] = set()
    feed_keys: set[str] = set()
    for obj, deleted in pending.values():
        if not deleted and sa.inspect(obj).persistent:
            session.expire(obj, _many_to_one(type(obj)))
        for source in WATCHED.get(type(obj), ()):
            try:
                keys, feeds = source.touched(session, obj, deleted)
            except (ObjectDeletedError, DetachedInstanceError):
                continue
            item_keys |= keys
            feed_keys |= feeds
    sync(session, item_keys, feed_keys)


def _many_to_one(model: type) -> list[str]:
    mapper: Mapper = sa.inspect(model)
    return [rel.key for rel in mapper.relationships if rel.direction is MANYTOONE]


def _keep_first(into: dict, notes: dict) -> dict:
    for key, value in notes.items():
        into.setdefault(key, value)
    return into


# First of the commit hooks: the versions (last) see the items it writes.
commit_hooks.register(NAME, order=10, before=_sync_at_commit, merge=_keep_first, new=dict)


def _now() -> datetime:
    return clock.now().replace(microsecond=0)


def sync(session, item_keys, feed_keys=(), *, now: datetime | None = None) -> set[str]:
    """Re-derive the items ``item_keys`` ((kind, source id) pairs) and every item filed under
    ``feed_keys``; return the feed keys whose marks were raised."""
    now = now or _now()
    item_keys = set(item_keys)
    if feed_keys:
        rows = session.execute(
            sa.select(CalendarItem.kind, CalendarItem.source_id)
            .join(CalendarItemFeed, CalendarItemFeed.item_id == CalendarItem.id)
            .where(CalendarItemFeed.feed_key.in_(sorted(feed_keys)))
        ).all()
        item_keys |= {(kind, source_id) for kind, source_id in rows}
    by_kind: dict[str, set[int]] = {}
    for kind, source_id in item_keys:
        if source_id is not None:
            by_kind.setdefault(kind, set()).add(source_id)
    bumped: set[str] = set()
    for kind, ids in sorted(by_kind.items()):
        source = SOURCES.get(kind)
        if source is None:
            continue
        ordered = sorted(ids)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            data = source.load(session, chunk)
            # Locked (PostgreSQL) and re-read: two transactions changing one item take turns,
            # so the second raises SEQUENCE from the first's committed value.
            existing = {
                item.source_id: item
                for item in session.scalars(
                    sa.select(CalendarItem)
                    .where(CalendarItem.kind == kind, CalendarItem.source_id.in_(chunk))
                    .order_by(CalendarItem.source_id)
                    .options(selectinload(CalendarItem.feeds))
                    .with_for_update(of=CalendarItem)
                    .execution_options(populate_existing=True)
                )
            }
            for source_id in chunk:
                bumped |= _apply(
                    session, source, source_id, data.get(source_id), existing.get(source_id), now
                )
    bump_marks(session, bumped, now)
    return bumped


def _render(item: CalendarItem, fields: dict) -> None:
    item.fields = fields
    item.fingerprint = fingerprint(fields)
    for lang in ("zh", "en"):
        text = render_item(fields, lang, sequence=item.sequence, changed_at=item.changed_at)
        setattr(item, f"ics_{lang}", text.encode())


def _apply(session, source, source_id: int, data: ItemData | None, item, now) -> set[str]:
    if data is None:
        if item is None or item.cancelled_at is not None:
            return set()
        # Gone from the source: publish the last known fields as cancelled.
        item.cancelled_at = now
        item.sequence += 1
        item.changed_at = now
        _render(item, {**item.fields, "status": "CANCELLED"})
        return {row.feed_key for row in item.feeds}
    fields = dict(data.fields)
    if item is None:
        item = CalendarItem(
            kind=source.kind,
            source_id=source_id,
            uid=fields["uid"],
            sequence=0,
            changed_at=now,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            cancelled_at=now if data.cancelled else None,
        )
        _render(item, fields)
        item.feeds = [CalendarItemFeed(feed_key=key) for key in sorted(data.feed_keys)]
        session.add(item)
        return set(data.feed_keys)
    fields["uid"] = item.uid  # stable forever, whatever the UID domain says now
    bumped: set[str] = set()
    old_keys = {row.feed_key for row in item.feeds}
    if fingerprint(fields) != item.fingerprint:
        item.sequence += 1
        item.changed_at = now
        _render(item, fields)
        bumped |= old_keys | data.feed_keys
    item.starts_on, item.ends_on = data.starts_on, data.ends_on
    if data.cancelled and item.cancelled_at is None:
        item.cancelled_at = now
    elif not data.cancelled and item.cancelled_at is not None:
        item.cancelled_at = None
    if old_keys != data.feed_keys:
        item.feeds = [row for row in item.feeds if row.feed_key in data.feed_keys] + [
            CalendarItemFeed(feed_key=key) for key in sorted(data.feed_keys - old_keys)
        ]
        bumped |= old_keys ^ data.feed_keys
    return bumped


def bump_marks(session, keys, now: datetime | None = None) -> None:
    """Raise the revision of each feed key (creating its mark when new), in SQL: one
    ``INSERT … ON CONFLICT DO UPDATE SET revision = revision + 1`` per batch, so concurrent
    transactions each add their own step (a read-modify-write could lose one, and a client
    would then keep a stale feed on a 304)."""
    if not keys:
        return
    now = now or _now()
    keys = sorted(keys)
    dialect = session.get_bind().dialect.name
    if dialect in ("postgresql", "sqlite"):
        from sqlalchemy.dialects import postgresql, sqlite

        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            statement = insert(CalendarFeedMark).values(
                [{"feed_key": key, "revision": 1, "changed_at": now} for key in chunk]
            )
            statement = statement.on_conflict_do_update(
                index_elements=[CalendarFeedMark.feed_key],
                set_={
                    "revision": CalendarFeedMark.revision + 1,
                    "changed_at": statement.excluded.changed_at,
                },
            )
            session.execute(statement)
        return
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        marks = {
            mark.feed_key: mark
            for mark in session.scalars(
                sa.select(CalendarFeedMark).where(CalendarFeedMark.feed_key.in_(chunk))
            )
        }
        for key in chunk:
            mark = marks.get(key)
            if mark is None:
                session.add(CalendarFeedMark(feed_key=key, revision=1, changed_at=now))
            else:
                mark.revision += 1
                mark.changed_at = now


def rebuild(session, kinds=None, *, commit_every: int | None = None) -> int:
    """Re-derive every item of ``kinds`` (default all) from its source, including items whose
    source is gone. Idempotent: unchanged items keep their text and SEQUENCE. Returns the
    number of feed keys whose marks rose.

    With ``commit_every`` (the CLI, the benchmark) it commits and empties the session after
    each batch of that many items, so memory stays flat however many items there are."""
    keys: list[tuple[str, int]] = []
    for kind, source in SOURCES.items():
        if kinds and kind not in kinds:
            continue
        ids = set(source.all_ids(session)) | set(
            session.scalars(sa.select(CalendarItem.source_id).where(CalendarItem.kind == kind))
        )
        keys += [(kind, source_id) for source_id in sorted(ids)]
    step = commit_every or len(keys) or 1
    bumped: set[str] = set()
    for start in range(0, len(keys), step):
        bumped |= sync(session, keys[start : start + step])
        session.flush()
        if commit_every:
            session.commit()
            session.expunge_all()
    return len(bumped)
