"""What the competition pages share: loading a competition the user manages (403 otherwise),
an event or an entry (404). Form pages render with core.editing.render."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.competitions import queries, rules
from app.competitions.models import Competition, CompetitionEvent, Entry
from app.core.auth import get_or_404
from app.extensions import db


def managed(competition_id: int) -> Competition:
    competition = get_or_404(Competition, competition_id)
    if not rules.can_manage(current_user, competition):
        abort(403)
    return competition


def found(record):
    """``record``, or 404 when there is none."""
    if record is None:
        abort(404)
    return record


def load_event(event_id: int) -> CompetitionEvent:
    return found(queries.event_for_results(event_id))


def load_entry(entry_id: int) -> Entry:
    return found(db.session.get(Entry, entry_id, populate_existing=True))


def recorded_entry(entry_id: int) -> Entry:
    """An entry with what its page shows, for someone who may record it (404, then 403)."""
    entry = found(queries.entry_for_page(entry_id))
    if not rules.can_record(current_user, entry, entry.event.competition):
        abort(403)
    return entry
