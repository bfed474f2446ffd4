"""The one way someone who may not browse the register names a person in it: by the register
number and the date of birth shown on the person's record (a coach proposing a talent, home
staff adding a member, an organiser adding a troupe member, a support person of an entry).

A birth date is not a secret, so the look-up is rationed and watched (issue 13 item 2):

- at most FAILED_PER_DAY failed look-ups per user and per register number in 24 hours; past
  that every look-up by that user, or of that number, fails whatever is typed;
- a failure says the same thing whatever the cause (no such number, archived, another birth
  date, the limit, and any reason of the caller's), so an answer confirms nothing;
- every look-up is in the audit log (``register_lookup`` or ``register_lookup_failed``, with
  its purpose). A failed one travels with the DomainError (``keep``): core.editing.save adds it
  again after rolling the rest back and commits it, so the refusal is counted and kept (on
  PostgreSQL it is committed at once, under a lock per user and per number, so parallel
  look-ups are judged one by one: tests/security/test_concurrent_lookups.py). A
  matching one is remembered for the request (``g``): when the rest of the request is refused
  and rolled back (a joining date before the home opened, a conflict), ``keep_found`` writes
  it again after the response is made, so a look-up that matched never goes unlogged.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import g, has_request_context

from app.core import audit, clock
from app.core.audit import AuditEvent
from app.core.db import advisory_xact_locks
from app.core.errors import DomainError
from app.core.params import MAX_ID
from app.extensions import db
from app.people.models import Person

FAILED_PER_DAY = 5
FOUND = "register_lookup"
FAILED = "register_lookup_failed"
# The results import names athletes by name and birth date (app.competitions.imports): its
# failed rows count in the same ration (details "failed" for the user, "people" for each
# person, once per failed row), so one route does not give a second one.
IMPORTED = "results_import_lookup"
# Advisory lock key spaces (pg_advisory_xact_lock(kind, id)): "LU" a user's look-ups, "LP"
# the look-ups of a register number.
USER_LOCK, NUMBER_LOCK = 0x4C55, 0x4C50


def serialise(actor_id: int | None, *numbers: int | None) -> None:
    """On PostgreSQL, one look-up at a time per user and per number (until the transaction
    ends), and a failure committed before its lock is released (``log_now``): a burst of
    parallel guesses is judged one by one, each counting the failures before it. The user
    first, then the numbers in order, so two look-ups never wait for each other in a circle
    (the results import names several people at once: app.competitions.imports). SQLite
    has a single writer; the failure travels in ``keep`` as before."""
    keys = [(USER_LOCK, actor_id)] if actor_id is not None else []
    keys += [(NUMBER_LOCK, n) for n in sorted({n for n in numbers if n is not None})]
    advisory_xact_locks(keys)


def log_now(event: AuditEvent) -> bool:
    """Commit a failed look-up's audit row at once through a connection of its own (while
    this transaction still holds the look-up locks). PostgreSQL only; False elsewhere."""
    if db.session.get_bind().dialect.name != "postgresql":
        return False
    values = {
        column.key: getattr(event, column.key)
        for column in AuditEvent.__table__.columns
        if column.key != "id" and getattr(event, column.key) is not None
    }
    with db.engine.begin() as connection:
        connection.execute(sa.insert(AuditEvent.__table__).values(**values))
    return True


def _number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        return None
    return int(text) if 0 < int(text) <= MAX_ID else None


def _failures_since(since, *, actor_id: int | None, number: int | None) -> tuple[int, int]:
    by_actor = by_target = 0
    for action, actor, entity_id, details in db.session.execute(
        sa.select(
            AuditEvent.action, AuditEvent.actor_id, AuditEvent.entity_id, AuditEvent.details
        ).where(AuditEvent.action.in_((FAILED, IMPORTED)), AuditEvent.occurred_at >= since)
    ):
        if action == FAILED:
            by_actor += actor_id is not None and actor == actor_id
            by_target += number is not None and entity_id == number
            continue
        details = details or {}
        if actor_id is not None and actor == actor_id:
            by_actor += int(details.get("failed", 0))
        if number is not None:
            by_target += list(details.get("people", ())).count(number)
    return by_actor, by_target


def find_person(
    register_number,
    birth_on: date | None,
    *,
    actor,
    purpose: str,
    message,
    field: str,
    refuse=None,
) -> Person:
    """The current person with this register number and birth date, or DomainError(message,
    field) — the same whatever went wrong. ``refuse(person)`` lets the caller turn a match
    down (already an athlete, already a member) with that same answer."""
    number = _number(register_number)
    actor_id = getattr(actor, "id", None)
    serialise(actor_id, number)
    by_actor, by_target = _failures_since(
        clock.now() - timedelta(days=1), actor_id=actor_id, number=number
    )
    person = db.session.get(Person, number) if number is not None else None
    found = (
        by_actor < FAILED_PER_DAY
        and by_target < FAILED_PER_DAY
        and person is not None
        and not person.is_archived
        and birth_on is not None
        and person.birth_on == birth_on
        and not (refuse is not None and refuse(person))
    )
    if not found:
        failure = audit.record(FAILED, "person", number, actor=actor, details={"purpose": purpose})
        db.session.expunge(failure)  # kept apart from the work the caller will roll back
        if log_now(failure):
            raise DomainError(message, field=field)
        raise DomainError(message, field=field, keep=[failure])
    event = audit.record(FOUND, "person", person.id, actor=actor, details={"purpose": purpose})
    if has_request_context():
        g.setdefault("register_lookups", []).append(event)
    return person


def keep_found() -> None:
    """After the response: write again the matching look-ups of this request that a rollback
    took away (the audit row was never committed)."""
    events = g.pop("register_lookups", None) or []
    lost = [event for event in events if sa.inspect(event).transient]
    if not lost:
        return
    db.session.rollback()  # whatever the request left unfinished is not ours to commit
    for event in lost:
        db.session.add(
            AuditEvent(
                actor_id=event.actor_id,
                actor_name=event.actor_name,
                action=event.action,
                entity=event.entity,
                entity_id=event.entity_id,
                fields=event.fields,
                details=event.details,
                ip_address=event.ip_address,
            )
        )
    db.session.commit()
