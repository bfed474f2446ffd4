"""The results screen of one event: one row per entry, saved together (issue 12 items 1-3,
issue 13 item 10).

- A row is saved when any of its boxes differs from what the page showed when it was built
  (the ``was-<field>-<entry>`` hidden inputs): a DNS with rank and mark left blank, or a note
  alone, is a change. A row nobody touched is never saved, so it cannot conflict.
- Every row is checked before anything is written, and every problem of every row is
  reported at once, in row order and, within a row, in the order of its boxes.
- The version check is the one helper (services.check_result_version → core.editing): a
  missing or unreadable version is a stale one. A result saved meanwhile by someone else —
  found by the check, by the UPDATE (StaleDataError) or by the INSERT of a result that now
  exists (IntegrityError on its unique entry) — is a 409, never a 500: everything is rolled
  back and each conflicting row shows every field that differs. Boxes the user did not touch
  take the saved value (the other person's note stays); boxes the user changed keep the
  user's value; saving again is a deliberate choice made with both versions in view.
- Once results are official (issue 17, app/competitions/official.py) a save that changes
  any needs the screen's one reason box filled: its error is reported with the rows', and the
  reason is stored on every result it corrects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.competitions import official, queries, services, startlists
from app.competitions.enums import Medal, ResultStatus
from app.core import clock
from app.core.errors import EditConflict
from app.core.forms import clean_text, normalise_text
from app.extensions import db

FIELDS = services.RESULT_FIELD_ORDER  # rank, mark, mark_value, status, medal, notes
BLANK = {"rank": "", "mark": "", "mark_value": "", "status": "OK", "medal": "none", "notes": ""}
LABELS = {
    "rank": _l("Rank"),
    "mark": _l("Mark as written"),
    "mark_value": _l("Number for sorting"),
    "status": _l("Result status"),
    "medal": _l("Medal"),
    "notes": _l("Notes"),
}


def shown(result) -> dict[str, str]:
    """What the boxes of a row show for a saved result (or for none)."""
    if result is None:
        return dict(BLANK)
    return {
        "rank": "" if result.rank is None else str(result.rank),
        "mark": result.mark or "",
        "mark_value": "" if result.mark_value is None else services.mark_text(result.mark_value),
        "status": ResultStatus(result.status).value,
        "medal": Medal(result.medal).value,
        "notes": result.notes or "",
    }


def _version(result) -> str:
    return "" if result is None else str(result.version)


@dataclass
class Row:
    """One entry's row: what its boxes hold, what the page showed when it was built, the
    version it was built from, its problems by field and, after a conflict, the differences
    as (label, yours, saved, now in the form)."""

    entry: object
    values: dict
    was: dict
    version: str | None
    errors: dict = field(default_factory=dict)
    conflict: list | None = None

    @property
    def changed(self) -> bool:
        return any(self.values[name] != self.was[name] for name in FIELDS)


def saved_row(entry) -> Row:
    values = shown(entry.result)
    return Row(entry=entry, values=values, was=dict(values), version=_version(entry.result))


def read_value(name: str, value) -> str:
    """One box of a row as typed, read the way it is stored: notes are free text, kept as
    typed (trimmed, control characters dropped); the other boxes are numbers and codes
    (NFKC as well: full-width ``６４０`` reads 640). Anything but text reads as empty."""
    if not isinstance(value, str):
        return ""
    return (clean_text(value) if name.endswith("notes") else normalise_text(value)) or ""


def read_values(raw) -> dict[str, str]:
    """A row's boxes (``raw``: field name -> what was typed) as the screen reads them, with
    the blank status and medal read as OK and none. The form (posted_row) and the offline
    sync (app/sync/services) both read a row here, so a row stores the same either way."""
    values = {name: read_value(name, raw.get(name)) for name in FIELDS}
    values["status"] = values["status"] or "OK"
    values["medal"] = values["medal"] or "none"
    return values


def _read(formdata, name: str, entry_id: int) -> str | None:
    value = formdata.get(f"{name}-{entry_id}")
    return None if value is None else read_value(name, value)


def posted_row(entry, formdata) -> Row:
    values = read_values({name: formdata.get(f"{name}-{entry.id}") for name in FIELDS})
    was_posted = {name: _read(formdata, f"was-{name}", entry.id) for name in FIELDS}
    if all(value is None for value in was_posted.values()):
        # A page without the "was" inputs: compare with what is saved now.
        was = shown(entry.result)
    else:
        was = {name: value or "" for name, value in was_posted.items()}
        was["status"] = was["status"] or "OK"
        was["medal"] = was["medal"] or "none"
    version = formdata.get(f"version-{entry.id}")
    return Row(entry=entry, values=values, was=was, version=version)


def _shown_value(name: str, value: str) -> str:
    if name == "status":
        try:
            return str(ResultStatus(value).label)
        except ValueError:
            return value
    if name == "medal":
        try:
            return str(Medal(value).label)
        except ValueError:
            return value
    return value


def _merge(row: Row, result) -> None:
    """Put the saved result beside the user's input: boxes the user did not change take the
    saved value, the others keep the user's; list every field where the two differ."""
    saved = shown(result)
    mine = row.values
    now = {name: saved[name] if mine[name] == row.was[name] else mine[name] for name in FIELDS}
    row.conflict = [
        (
            str(LABELS[name]),
            _shown_value(name, mine[name]),
            _shown_value(name, saved[name]),
            _shown_value(name, now[name]),
        )
        for name in FIELDS
        if mine[name] != saved[name]
    ]
    row.values, row.was, row.version = now, saved, _version(result)


@dataclass
class Outcome:
    rows: dict  # entry id -> Row, for the editable entries
    event: object
    status: int = 200
    saved: int = 0
    summary: list = field(default_factory=list)  # (target id, message), in page order


def page_context(event, formdata, summary, user) -> dict:
    """What the screen shows about the results' state (issue 17): whether a change needs a
    reason (official results), the reason typed and its error, whether the user may publish,
    and the open protests."""
    from app.competitions import rules

    return {
        # The rows in the order of competition, so a coach at the pool reads them by lane.
        "entries": startlists.in_order(event.entries),
        "needs_reason": official.needs_reason(event),
        "reason": clean_text(formdata.get("reason", "")) if formdata else "",
        "reason_error": next((message for target, message in summary if target == "reason"), None),
        "manages": rules.can_manage(user, event.competition),
        "protests": official.open_protests(event),
        "too_early": official.too_early_message(event) if official.too_early(event) else None,
        # Before the event's day the rows are written inert (a <template>) with the day they
        # open and today's date: a copy kept offline the day before opens them on the day.
        "opens_on": official.results_open_on(event).isoformat(),
        "rendered_on": clock.today().isoformat(),
    }


def _positions(event) -> dict[int, int]:
    """Each entry's row number on the screen: the order of competition (heat, lane, bib)."""
    return {entry.id: n for n, entry in enumerate(startlists.in_order(event.entries), start=1)}


def submit(event, editable: set[int], formdata, *, actor) -> Outcome:
    """Check every posted row, then save the changed ones in one transaction (commit), or
    nothing: 422 with every problem, or 409 with the differences."""
    rows: dict[int, Row] = {}
    for entry in event.entries:
        if entry.id not in editable:
            continue
        posted = f"status-{entry.id}" in formdata
        rows[entry.id] = posted_row(entry, formdata) if posted else saved_row(entry)
    changed = [row for row in rows.values() if row.changed]
    outcome = Outcome(rows=rows, event=event)
    if changed and official.too_early(event):
        outcome.summary.append((None, official.too_early_message(event)))
        outcome.status = 422
        return outcome
    position = _positions(event)
    for row in changed:
        _values, problems = services.read_result(
            rank=row.values["rank"],
            mark_value=row.values["mark_value"],
            status=row.values["status"],
            medal=row.values["medal"],
        )
        for name, message in problems:
            row.errors.setdefault(name, []).append(message)
            outcome.summary.append(
                (
                    f"{name}-{row.entry.id}",
                    _("Row %(row)s: %(error)s", row=position[row.entry.id], error=message),
                )
            )
    reason = clean_text(formdata.get("reason", ""))
    if changed and not reason and official.needs_reason(event, [row.entry for row in changed]):
        outcome.summary.append(("reason", str(official.REASON_NEEDED)))
    if outcome.summary:
        outcome.status = 422
        return outcome
    raced = None
    try:
        for row in changed:
            raced = row.entry.id
            services.save_result(
                row.entry,
                rank=row.values["rank"],
                mark=row.values["mark"],
                mark_value=row.values["mark_value"],
                status=row.values["status"],
                medal=row.values["medal"],
                notes=row.values["notes"],
                version=row.version,
                reason=reason,
                actor=actor,
            )
        db.session.commit()
    except (EditConflict, StaleDataError, IntegrityError):
        db.session.rollback()
    else:
        outcome.saved = len(changed)
        return outcome
    return _conflict(event.id, rows, changed, raced, outcome)


def _conflict(event_id: int, rows: dict, changed: list, raced: int | None, outcome: Outcome):
    """After a rollback: read the event again; every changed row whose version is no longer
    the one it was built from is a conflict (the row that failed is one in any case)."""
    event = queries.event_for_results(event_id)
    fresh = {entry.id: entry for entry in event.entries}
    changed_ids = {row.entry.id for row in changed}
    conflicts = [
        row
        for row in changed
        if row.entry.id == raced
        or (row.entry.id in fresh and (row.version or "") != _version(fresh[row.entry.id].result))
    ]
    for entry_id, row in list(rows.items()):
        entry = fresh.get(entry_id)
        if entry is None:  # the entry is gone: nothing to show for it
            del rows[entry_id]
            continue
        if entry_id not in changed_ids:
            rows[entry_id] = saved_row(entry)  # untouched rows show what is saved now
        else:
            row.entry = entry
    for row in conflicts:
        if row.entry.id in rows:
            _merge(row, fresh[row.entry.id].result)
    position = _positions(event)
    outcome.event = event
    outcome.status = 409
    outcome.summary = [
        (
            f"conflict-{row.entry.id}",
            _(
                "Row %(row)s: someone else saved this result after you opened the page.",
                row=position[row.entry.id],
            ),
        )
        for row in sorted(conflicts, key=lambda r: position.get(r.entry.id, 0))
        if row.entry.id in rows
    ]
    return outcome
