"""Work done once per transaction, at its outer commit, whatever savepoints it held.

SQLAlchemy's ``before_commit``, ``after_commit`` and ``after_rollback`` session events fire for
a savepoint (``session.begin_nested()``) as well as for the transaction itself: a hook written
for "the commit" then runs at every savepoint release (once per row of a sync batch), and one
that forgets its notes on ``after_rollback`` forgets the outer transaction's notes too when a
savepoint is rolled back (a venue changed before the savepoint lost its version bump). So the
domains do not listen to those events themselves; they register here:

    register(name, order=…, before=fn, after=fn, merge=fn, new=factory)

and note what a change touched with ``pending(session, name)`` (from their ``after_flush`` or
``do_orm_execute`` listeners, which are per statement and need no care). Notes are kept per
level: the transaction and each open savepoint. A savepoint released hands its notes to the
level around it (``merge``); a savepoint rolled back drops its own notes only; the outer
rollback drops all. At the outer commit only, inside the transaction, the session is flushed
and each hook's ``before(session, notes)`` runs, lowest ``order`` first, with a flush after
each (so a later hook sees what an earlier one wrote: the versions see the calendar items and
the attendance rows); a hook whose notes are empty is not called. After the database commit,
``after(session, result)`` gets what its ``before`` answered (the versions publish their new
numbers to the cache then: never for a transaction that did not commit). ``end(session)``
runs when the outer transaction ends either way.

``install()`` (called once by create_app) listens to the session events; it is idempotent.
Hooks run only inside an application context (a bare session in a script keeps none).

``session.commit()`` inside an open savepoint is fine: SQLAlchemy commits the savepoint
first (a release), then the outer transaction (the hooks run). One case is not told apart:
committing the outer ``SessionTransaction`` object itself (``session.get_transaction()
.commit()``) while a savepoint is open fires its ``before_commit`` while the savepoint is
still the innermost, exactly as at a release; the hooks then do not run and a warning is
logged at the commit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, scoped_session

log = logging.getLogger(__name__)

LEVELS = "commit_hooks_levels"
RESULTS = "commit_hooks_results"
RUNNING = "commit_hooks_running"
OUTER = "outer"
MAX_ROUNDS = 5


@dataclass(frozen=True)
class Hook:
    name: str
    order: int
    before: Callable[[Session, Any], Any] | None
    after: Callable[[Session, Any], None] | None
    end: Callable[[Session], None] | None
    merge: Callable[[Any, Any], Any]
    new: Callable[[], Any]


HOOKS: dict[str, Hook] = {}


def _merge_default(into, notes):
    into.update(notes)
    return into


def register(
    name: str,
    *,
    order: int,
    before: Callable[[Session, Any], Any] | None = None,
    after: Callable[[Session, Any], None] | None = None,
    end: Callable[[Session], None] | None = None,
    merge: Callable[[Any, Any], Any] = _merge_default,
    new: Callable[[], Any] = set,
) -> None:
    """Register (or replace) the hook ``name``. ``new`` makes an empty container of notes,
    ``merge(into, notes)`` answers ``into`` holding both (default: ``into.update(notes)``)."""
    for other in HOOKS.values():
        if other.name != name and other.order == order:
            raise ValueError(f"commit hooks {other.name} and {name} share order {order}")
    HOOKS[name] = Hook(name, order, before, after, end, merge, new)


def _ordered() -> list[Hook]:
    return sorted(HOOKS.values(), key=lambda hook: hook.order)


def _boundary(transaction: SessionTransaction | None):
    """The level a transaction belongs to: its nearest savepoint, or OUTER."""
    while transaction is not None:
        if transaction.nested:
            return transaction
        transaction = transaction.parent
    return OUTER


def _levels(session) -> dict:
    return session.info.setdefault(LEVELS, {})


def pending(session, name: str):
    """The notes of hook ``name`` at the session's current level (created empty)."""
    if isinstance(session, scoped_session):
        session = session()
    level = session.get_nested_transaction() or OUTER
    notes = _levels(session).setdefault(level, {})
    if name not in notes:
        notes[name] = HOOKS[name].new()
    return notes[name]


def _take(session, name: str):
    """Every level's notes of ``name``, merged (outer first), removed from the session."""
    levels = session.info.get(LEVELS)
    if not levels:
        return None
    taken = None
    for level in [OUTER, *[key for key in levels if key is not OUTER]]:
        notes = levels.get(level, {}).pop(name, None)
        if notes:
            taken = notes if taken is None else HOOKS[name].merge(taken, notes)
    return taken


def _has_notes(session) -> bool:
    return any(any(notes.values()) for notes in session.info.get(LEVELS, {}).values())


def _before_commit(session):
    if session.get_nested_transaction() is not None:
        return  # a savepoint released (its notes move up in _after_commit)
    if session.info.get(RUNNING) or not has_app_context():
        return
    session.info[RUNNING] = True
    results: dict[str, Any] = {}
    try:
        session.flush()
        for _round in range(MAX_ROUNDS):
            ran = False
            for hook in _ordered():
                notes = _take(session, hook.name)
                if not notes or hook.before is None:
                    continue
                ran = True
                result = hook.before(session, notes)
                if result is not None:
                    results[hook.name] = result
                session.flush()
            if not ran or not _has_notes(session):
                break
        else:
            raise RuntimeError("commit hooks kept noting changes of each other")
    finally:
        session.info.pop(RUNNING, None)
    session.info[RESULTS] = results


def _after_commit(session):
    nested = session.get_nested_transaction()
    if nested is not None:
        # A savepoint released: its notes join the level around it.
        levels = session.info.get(LEVELS, {})
        notes = levels.pop(nested, None)
        if notes:
            outer = levels.setdefault(_boundary(nested.parent), {})
            for name, value in notes.items():
                if name in outer:
                    outer[name] = HOOKS[name].merge(outer[name], value)
                else:
                    outer[name] = value
        return
    results = session.info.pop(RESULTS, None) or {}
    if _has_notes(session) and has_app_context():
        log.warning("commit hooks skipped: the outer transaction committed over an open savepoint")
    session.info.pop(LEVELS, None)
    for hook in _ordered():
        if hook.after is not None and hook.name in results:
            try:
                hook.after(session, results[hook.name])
            except Exception:  # committed already: a failing follower must not fail the request
                log.exception("commit hook %s failed after the commit", hook.name)


def _after_soft_rollback(session, previous_transaction):
    level = _boundary(previous_transaction)
    levels = session.info.get(LEVELS)
    if level is OUTER or not levels:
        return  # the outer transaction's end drops everything (_after_transaction_end)
    # The savepoint's notes go, and those of any savepoint opened inside it.
    for key in list(levels):
        if key is not OUTER and _inside(key, level):
            del levels[key]


def _inside(transaction, level) -> bool:
    while transaction is not None:
        if transaction is level:
            return True
        transaction = transaction.parent
    return False


def _after_transaction_end(session, transaction):
    # The outer transaction ended: committed, rolled back or closed (session.close() ends it
    # with no rollback event). Nothing noted in it survives into the next one.
    if transaction.parent is not None:
        return
    session.info.pop(LEVELS, None)
    session.info.pop(RESULTS, None)
    for hook in _ordered():
        if hook.end is not None:
            hook.end(session)


def install() -> None:
    """Listen to the session events (idempotent)."""
    for name, fn in (
        ("before_commit", _before_commit),
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_soft_rollback),
        ("after_transaction_end", _after_transaction_end),
    ):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)
