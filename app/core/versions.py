"""Data versions: one row per topic of public pages, moved by every write that can change them.

A topic names what a group of public pages shows (the medal table, live results, the agenda,
the statistics, the term report, the venues, the homes' statistics, the public calendar).
``watch(model, *topics)`` (called by the top layer, app/caching.py) says which topics a model's
rows feed. Session events do the rest, the way app/calendars/sync.py keeps calendar items in
step:

- ``after_flush`` notes the topics of every new, changed or deleted object of a watched class,
  and ``do_orm_execute`` those of the tables an INSERT, UPDATE or DELETE statement run through
  the session writes (the roll-call's upserts);
- at the outer commit (the last commit hook of app/core/commit_hooks.py; never at a
  savepoint's release) one statement writes a new version for those topics in the same
  transaction, so a page cached under the old version can never be served once the change
  is committed, and a rolled-back change (or savepoint) moves nothing.

A version is a random token, not a counter: a database restored from a backup or emptied by
the tests brings back old tokens only together with the data they described. SQL run on
a bare connection bypasses the events: call ``bump(session, TOPICS)`` after
it (``flask stats rebuild`` does).

The versions are mirrored in the cache backend (``read``: one ``get_many``, the database only
for a missing key): a bump deletes its topics' keys in the transaction and, after the outer
commit only, writes the new numbers; the keys expire after ``VERSION_MIRROR_SECONDS``, the
bound on staleness when a publish is lost (docs/architecture.md, "The versions' mirror")."""

from __future__ import annotations

import logging
import secrets

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core import commit_hooks
from app.core.db import Base

log = logging.getLogger(__name__)

MEDALS = "medals"
LIVE = "live"
AGENDA = "agenda"
STATISTICS = "statistics"
REPORT = "report"
VENUES = "venues"
HOMES_STATS = "homes_stats"
CALENDAR = "calendar"
# Not a page: the forms' choice lists of towns, sports and coaches (app/core/choices.py).
REFERENCE = "reference"
TOPICS = (MEDALS, LIVE, AGENDA, STATISTICS, REPORT, VENUES, HOMES_STATS, CALENDAR, REFERENCE)
INITIAL = "0"

NAME = "versions"
PUBLISH = "versions_publish"

# model class -> the topics its rows feed
WATCHED: dict[type, frozenset[str]] = {}


class DataVersion(Base):
    __tablename__ = "data_versions"

    topic: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    version: Mapped[str] = mapped_column(sa.String(32))


def watch(model: type, *topics: str) -> None:
    unknown = set(topics) - set(TOPICS)
    if unknown:
        raise ValueError(f"unknown topics: {sorted(unknown)}")
    WATCHED[model] = WATCHED.get(model, frozenset()) | frozenset(topics)


def new_token() -> str:
    return secrets.token_hex(8)


def current(session, topics) -> dict[str, str]:
    """The versions of ``topics`` (one query; a topic never bumped is at INITIAL)."""
    topics = sorted(set(topics))
    rows = session.execute(
        sa.select(DataVersion.topic, DataVersion.version).where(DataVersion.topic.in_(topics))
    ).all()
    found = dict(rows)
    return {topic: found.get(topic, INITIAL) for topic in topics}


def bump(session, topics) -> str | None:
    """Give ``topics`` a new version in the session's transaction (one statement); answer it."""
    topics = sorted(set(topics))
    if not topics:
        return None
    token = new_token()
    values = [{"topic": topic, "version": token} for topic in topics]
    dialect = session.get_bind().dialect.name
    from sqlalchemy.dialects import postgresql, sqlite

    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(DataVersion).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=[DataVersion.topic], set_={"version": statement.excluded.version}
    )
    session.execute(statement)
    # Published to the mirror once the transaction commits (never for a rolled-back one or
    # savepoint); meanwhile the mirror forgets the old numbers (a crash after the commit then
    # leaves the keys missing, read from the database, not stale).
    commit_hooks.pending(session, PUBLISH).update({topic: token for topic in topics})
    _forget_mirror(topics)
    return token


# --- the mirror: the versions in the cache backend, read by the page cache ------------------


def _mirror():
    if not has_app_context():
        return None
    from app.extensions import cache

    try:
        return cache.cache
    except (AttributeError, KeyError, RuntimeError):  # the cache not initialised (scripts)
        return None


def mirror_key(topic: str) -> str:
    return f"{current_app.config.get('PAGE_CACHE_PREFIX', 'page')}-version:{topic}"


def _mirror_seconds() -> int:
    """How long a mirrored number lives (the longest a page can stay stale when a publish is
    lost: a crash between the commit and the publish, two publishes crossing): 30 s on Redis;
    2 s in-process, where each worker has its own mirror and sees only its own publishes."""
    seconds = current_app.config.get("VERSION_MIRROR_SECONDS")
    if seconds:
        return int(seconds)
    return 30 if current_app.config.get("CACHE_TYPE") == "RedisCache" else 2


def _forget_mirror(topics) -> None:
    backend = _mirror()
    if backend is None:
        return
    try:
        backend.delete_many(*[mirror_key(topic) for topic in topics])
    except Exception:
        log.warning("version mirror unreachable", exc_info=True)


def _publish(session, published: dict[str, str]) -> None:
    backend = _mirror()
    if backend is None or not published:
        return
    try:
        backend.set_many(
            {mirror_key(topic): token for topic, token in published.items()},
            timeout=_mirror_seconds(),
        )
    except Exception:
        log.warning("version mirror unreachable", exc_info=True)


def read(session, topics, also=()) -> tuple[dict[str, str], list]:
    """The versions of ``topics`` as the page cache reads them, and the values of the cache
    keys ``also`` fetched in the same round trip: from the mirror in the cache backend (one
    ``get_many``: one MGET on Redis, no database), the database for the topics the mirror
    lacks (then written there with ``add``, which never overwrites a newer number published
    meanwhile)."""
    topics = sorted(set(topics))
    also = list(also)
    backend = _mirror()
    values: list = [None] * (len(topics) + len(also))
    if backend is not None and values:
        try:
            values = list(backend.get_many(*[mirror_key(topic) for topic in topics], *also))
        except Exception:
            log.warning("version mirror unreachable", exc_info=True)
            backend = None
    found = {topic: value for topic, value in zip(topics, values, strict=False) if value}
    missing = [topic for topic in topics if topic not in found]
    if missing:
        fresh = current(session, missing)
        found.update(fresh)
        if backend is not None:
            seconds = _mirror_seconds()
            try:
                for topic, version in fresh.items():
                    backend.add(mirror_key(topic), version, timeout=seconds)
            except Exception:
                log.warning("version mirror unreachable", exc_info=True)
    return {topic: found[topic] for topic in topics}, values[len(topics) :]


def topics_of(obj) -> frozenset[str]:
    return WATCHED.get(type(obj), frozenset())


def _note(session, flush_context):
    if not WATCHED:
        return
    topics: set[str] = set()
    for obj in session.new:
        topics |= topics_of(obj)
    for obj in session.deleted:
        topics |= topics_of(obj)
    for obj in session.dirty:
        found = topics_of(obj)
        if found and session.is_modified(obj, include_collections=False):
            topics |= found
    if topics:
        commit_hooks.pending(session, NAME).update(topics)


def _note_statement(state):
    # ORM-enabled bulk statements run through the session (an upsert of roll-call marks, the
    # demo's inserts): no objects to flush, so the statement's tables are noted here.
    if not (state.is_insert or state.is_update or state.is_delete) or not WATCHED:
        return
    topics: set[str] = set()
    for mapper in state.all_mappers:
        topics |= WATCHED.get(mapper.class_, frozenset())
    if topics:
        commit_hooks.pending(state.session, NAME).update(topics)


def _bump_at_commit(session, topics) -> None:
    bump(session, topics)


def _published(session, published: dict[str, str]) -> dict[str, str]:
    return published


def listen() -> None:
    """Install the session events and the commit hook (idempotent). The versions' hook is the
    last commit hook (app/core/commit_hooks.py): what the others write is noted, and the
    version rows are the last rows the transaction locks."""
    for name, fn in (
        ("after_flush", _note),
        ("do_orm_execute", _note_statement),
    ):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)
    commit_hooks.register(NAME, order=90, before=_bump_at_commit)
    # Every bump of the transaction (the hook's, and ``bump()`` called by hand), written to
    # the mirror after the commit.
    commit_hooks.register(PUBLISH, order=95, before=_published, after=_publish, new=dict)
