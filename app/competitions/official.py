"""Provisional and official results (issue 17): publishing an event's results, corrections
and protests. Services check the rules, flush and write the audit row; the caller commits.

- A result is *provisional* when entered (``services.save_result`` sets ``is_provisional``)
  and becomes *official* when the manager of the event's competition publishes the event's
  results: ``publish_results`` stamps who and when on the event and makes every result of the
  event official, in one audit row. Only official medals count in the ledger (standings.py).
- After that a change to a result is a *correction*: ``save_result`` refuses it without a
  reason, and stores when and why on the result (shown as "corrected on …: reason").
  Results saved before publishing existed are official too (migration e4b7d2a9c1f3).
- A *protest* is a note on an entry, lodged and edited while the event's results are
  provisional by those who may record the entry; an entry with a note is an open protest,
  and publishing with one asks for confirmation first (the route, app/core/confirm).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.competitions.models import CompetitionEvent, Entry, Result
from app.core import audit, clock
from app.core.errors import DomainError
from app.extensions import db

MAX_NOTE = 2000

REASON_NEEDED = _l(
    "These results are official: give the reason for the correction (it is shown with the result)."
)


def results_open_on(event: CompetitionEvent):
    """The first day (Beijing) results of the event may be entered: the event's day, or the
    competition's first day when the event has no time of its own."""
    if event.starts_at is not None:
        return clock.local_date(event.starts_at)
    return event.competition.start_on


def too_early(event: CompetitionEvent) -> bool:
    """Whether the event has not begun yet (Beijing date): no result can be entered."""
    return results_open_on(event) > clock.today()


def too_early_message(event: CompetitionEvent) -> str:
    from app.core.templating import fmt_date

    return str(
        _l(
            "This event has not taken place yet: results can be entered from %(day)s.",
            day=fmt_date(results_open_on(event)),
        )
    )


def is_official(result: Result | None) -> bool:
    return result is not None and not result.is_provisional


def needs_reason(event: CompetitionEvent, entries=None) -> bool:
    """Whether saving a change to the event's results needs a reason: the event is published,
    or one of its results (``entries``: those shown) is official already."""
    if event.results_published:
        return True
    return any(is_official(entry.result) for entry in (entries or event.entries))


def can_protest(entry: Entry) -> bool:
    """Whether the entry's result may be protested: it has one, and it is provisional."""
    return (
        entry.result is not None
        and not entry.event.results_published
        and not is_official(entry.result)
    )


def open_protests(event: CompetitionEvent) -> list[Entry]:
    """The event's entries that carry a protest note, in entry order."""
    return [entry for entry in event.entries if entry.protest_note]


def publish_results(event: CompetitionEvent, *, actor) -> int:
    """Make the event's results official: who and when on the event, every result of the
    event no longer provisional, one audit row (with how many results became official and
    the entries with an open protest). Returns how many results became official. Publishing
    twice, or an event without results, is refused."""
    if event.results_published:
        raise DomainError(_l("The results of this event are already official."))
    if not any(entry.result is not None for entry in event.entries):
        raise DomainError(_l("The event has no results to publish yet."))
    provisional = list(
        db.session.scalars(
            sa.select(Result)
            .join(Entry, Entry.id == Result.entry_id)
            .where(Entry.event_id == event.id, Result.is_provisional.is_(True))
            .order_by(Result.id)
        )
    )
    for result in provisional:
        result.is_provisional = False
    event.results_published_at = clock.now()
    event.results_published_by_id = actor.id if actor is not None else None
    audit.saved(
        event,
        "competition_event",
        ["results_published_at", "results_published_by_id"],
        actor=actor,
        details={
            "competition_id": event.competition_id,
            "results": [result.id for result in provisional],
            "open_protests": [entry.id for entry in open_protests(event)],
        },
        action="publish_results",
    )
    return len(provisional)


def set_protest(entry: Entry, note: str, *, version, actor=None) -> Entry:
    """Lodge, change or withdraw (an empty note) the entry's protest while the event's results
    are provisional. ``version`` is the entry's version the form was built from (a missing or
    older one raises EditConflict). Audit: old and new note."""
    from app.competitions.services import _check_version

    _check_version(entry, version)
    if entry.result is None and not entry.protest_note:
        raise DomainError(
            _l("There is no result to protest yet: a protest is lodged against a result."),
            field="protest_note",
        )
    if entry.event.results_published or is_official(entry.result):
        raise DomainError(
            _l(
                "The results are official: a protest can only be lodged while they are provisional."
            ),
            field="protest_note",
        )
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError(
            _l("Write the protest in at most %(max)d characters.", max=MAX_NOTE),
            field="protest_note",
        )
    old = entry.protest_note
    if note == old:
        return entry
    entry.protest_note = note
    audit.saved(
        entry,
        "entry",
        ["protest_note"],
        actor=actor,
        details={
            "event_id": entry.event_id,
            "old": {"protest_note": old},
            "new": {"protest_note": note},
        },
    )
    return entry
