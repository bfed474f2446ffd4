"""Taking the marks a phone queued while offline (issue 18 item 4). Services flush; the
route commits once.

Every mark carries a client-made id, the time it was made and the version it was based on.

- **Idempotent**: a client id already taken (``ClientMark``) answers what it did the first
  time and writes nothing; two requests racing with the same id meet the unique constraint,
  and the loser answers as a duplicate.
- **Permissions** are the forms': the staff of the activity's home (homes.access) for a
  roll-call mark, the competition's managers and the athletes' coaches
  (competitions.rules.can_record) for a result. One mark the user may not make refuses the
  whole batch (``SyncRefused``, 403): nothing is written.
- **Roll-call: the later mark wins**, by the time it was made (a phone's clock ahead of the
  server's counts as now). A mark older than the one saved is kept only in the audit trail
  (``superseded_attendance``, which member and session, the status, never the reason) and
  answered "superseded"; a newer one replaces the saved one, whose status, author and time go
  into the audit row (``sync_attendance``, one per change, with ``late`` when made after the
  session's day: it stands for the form's correction row too), and whose sender, if they
  sent it through the sync, is told on their next sync (``ClientMark.superseded_at`` /
  ``told_at``). A mark the saved one already says changes nothing: no audit row, nobody told.
- **Results: never overwritten**. A row whose version is not the saved one comes back as a
  conflict with both versions (the sender's and the saved one); saving again with the saved
  version is a deliberate choice, as on the form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.athletes.models import AthleteProfile
from app.competitions import official, results_screen, rules
from app.competitions import services as competition_services
from app.competitions.models import CompetitionEvent, Entry
from app.core import audit, clock
from app.core.errors import DomainError, EditConflict
from app.core.forms import clean_text
from app.extensions import db
from app.homes import access, queries, recurrence
from app.homes import services as home_services
from app.homes.models import Activity
from app.sync.models import ClientMark

MAX_BATCH = 200
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class SyncRefused(Exception):
    """The whole batch is refused (nothing written): ``status`` 400, 403 or 413."""

    def __init__(self, status: int, detail):
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass
class Answer:
    client_id: str
    outcome: str  # applied | superseded | conflict | invalid
    duplicate: bool = False
    message: str | None = None
    data: dict | None = None

    def as_json(self) -> dict:
        body = {"client_id": self.client_id, "outcome": self.outcome}
        if self.duplicate:
            body["duplicate"] = True
        if self.message is not None:
            body["message"] = self.message
        if self.data:
            body.update(self.data)
        return body


# --- reading a batch ------------------------------------------------------------------------


def _items(body) -> list[dict]:
    if not isinstance(body, dict) or not isinstance(body.get("marks"), list):
        raise SyncRefused(400, _l('The request must be a JSON object with a list of "marks".'))
    items = body["marks"]
    if len(items) > MAX_BATCH:
        raise SyncRefused(
            413,
            _l(
                "A batch holds at most %(max)d marks; send the others in another batch.",
                max=MAX_BATCH,
            ),
        )
    seen = set()
    for item in items:
        if not isinstance(item, dict) or not CLIENT_ID.match(str(item.get("client_id", ""))):
            raise SyncRefused(400, _l("Every mark needs a client id of 8 to 64 letters or digits."))
        if item["client_id"] in seen:
            raise SyncRefused(400, _l("A client id appears twice in the batch."))
        seen.add(item["client_id"])
        if _instant(item.get("made_at")) is None:
            raise SyncRefused(400, _l("Every mark needs the time it was made (ISO 8601)."))
    return items


def _instant(value) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC)


def _whole(value) -> int | None:
    return value if home_services.valid_id(value) else None


def _made_at(item, now: datetime) -> datetime:
    # A phone whose clock runs ahead cannot win every later race: its future is now.
    return min(_instant(item["made_at"]), now)


def _client_marks(client_ids, user) -> tuple[dict[str, ClientMark], list[ClientMark]]:
    """One query: the batch's client ids already taken (by id), and the user's marks replaced
    by someone's later mark and not told yet. A batch never replaces its own sender's marks,
    so reading the latter first answers what reading them last would."""
    client_ids = list(client_ids)
    user_id = getattr(user, "id", None)
    untold = sa.and_(
        ClientMark.user_id == user_id,
        ClientMark.superseded_at.is_not(None),
        ClientMark.told_at.is_(None),
    )
    rows = list(
        db.session.scalars(
            sa.select(ClientMark)
            .where(sa.or_(ClientMark.client_id.in_(client_ids), untold))
            .order_by(ClientMark.id)
        )
    )
    taken = set(client_ids)
    known = {row.client_id: row for row in rows if row.client_id in taken}
    superseded = [
        row
        for row in rows
        if row.user_id == user_id and row.superseded_at is not None and row.told_at is None
    ]
    return known, superseded


def _take(client_id: str, user, target: str, outcome: str, made_at, now) -> None:
    """Note the client id (inserted with the batch's other rows at the flush). Another request
    taking the same id meanwhile makes that flush fail on the unique constraint: the route
    rolls back and runs the batch again, which then answers it as a duplicate."""
    db.session.add(
        ClientMark(
            client_id=client_id,
            user_id=getattr(user, "id", None),
            target=target,
            outcome=outcome,
            made_at=made_at,
            received_at=now,
        )
    )


def _notices(rows: list[ClientMark], now: datetime) -> list[dict]:
    """The user's marks replaced by someone's later mark since their last sync (each told
    once; the rows come from _client_marks)."""
    for row in rows:
        row.told_at = now
    db.session.flush()
    return [_target_json(row.client_id, row.target) for row in rows]


def _target_json(client_id: str, target: str) -> dict:
    kind, _sep, rest = target.partition(":")
    if kind == "attendance":
        activity_id, key, person_id = rest.split(":")
        return {
            "client_id": client_id,
            "activity_id": int(activity_id),
            "occurrence": key,
            "person_id": int(person_id),
        }
    return {"client_id": client_id, "entry_id": int(rest)}


# --- roll-call ------------------------------------------------------------------------------


@dataclass
class Saved:
    """A member's saved mark, as read at the start of the batch and kept up to date by it."""

    status: object
    reason: object
    recorded_by_id: int | None
    recorded_at: datetime

    def as_json(self) -> dict:
        return {
            "saved": {
                "status": self.status.value,
                "reason": self.reason.value if self.reason else None,
                "version": self.recorded_at.isoformat(),
            }
        }


def sync_roll_call(body, user, now: datetime | None = None) -> dict:
    """Apply a batch of roll-call marks; answer one outcome per mark, in order, and the
    user's earlier marks superseded since their last sync.

    Reads are per batch, not per mark: the client ids and the user's untold marks (one
    query), the activities the user manages with their exceptions (one), and per session the
    marked people's membership and saved marks (one). Each mark that changes something then
    costs its upsert, one audit row and its client-id row; a mark that changes nothing writes
    no audit row."""
    now = now or clock.now()
    items = _items(body)
    known, untold = _client_marks((item["client_id"] for item in items), user)
    fresh = [item for item in items if item["client_id"] not in known]
    activities = access.managed_activities(
        {_whole(item.get("activity_id")) for item in fresh} - {None}, user
    )
    wanted: dict[tuple[int, str], set[int]] = {}
    for item in fresh:  # permissions first: one refused mark refuses the batch
        activity = activities.get(_whole(item.get("activity_id")))
        if activity is None:
            raise SyncRefused(403, _l("You may not take the roll-call of this session."))
        person_id = _whole(item.get("person_id"))
        if person_id is not None:
            key = str(item.get("occurrence", ""))[:20]
            wanted.setdefault((activity.id, key), set()).add(person_id)
    sheets: dict[tuple[int, str], tuple] = {}
    answers = []
    # The audit and client-id rows wait for the flush at the end of the batch.
    with db.session.no_autoflush:
        for item in items:
            client_id = item["client_id"]
            if client_id in known:
                answers.append(Answer(client_id, known[client_id].outcome, duplicate=True))
                continue
            activity = activities[_whole(item["activity_id"])]
            answers.append(
                _one_mark(item, activity, user, _made_at(item, now), now, wanted, sheets)
            )
    return {
        "results": [answer.as_json() for answer in answers],
        "superseded": _notices(untold, now),
        "synced_at": now.isoformat(),
    }


def _sheet(activity: Activity, key: str, occ, wanted, sheets) -> tuple[set[int], dict]:
    """The members expected among the batch's marked people of this session and their saved
    marks: read once per session and batch, kept up to date by the batch."""
    sheet = sheets.get((activity.id, key))
    if sheet is None:
        rows = queries.sheet_rows(
            activity, occ.original_start, occ.local_start.date(), wanted[activity.id, key]
        )
        members = {pid for pid, row in rows.items() if row.is_member}
        saved_marks = {
            pid: Saved(row.status, row.absence_reason, row.recorded_by_id, row.recorded_at)
            for pid, row in rows.items()
            if row.status is not None
        }
        sheet = sheets[activity.id, key] = (members, saved_marks)
    return sheet


def _one_mark(item, activity: Activity, user, made_at, now, wanted, sheets) -> Answer:
    client_id = item["client_id"]
    key = str(item.get("occurrence", ""))[:20]
    person_id = _whole(item.get("person_id"))
    start = recurrence.parse_occurrence_key(key)
    occ = recurrence.occurrence_at(activity, start) if start else None
    target = f"attendance:{activity.id}:{key}:{person_id}"
    if occ is None or person_id is None:
        return _invalid(client_id, user, target, made_at, now, _l("This session does not exist."))
    try:
        mark = home_services.parse_mark(person_id, item.get("status", ""), item.get("reason"))
    except DomainError as error:
        return _invalid(client_id, user, target, made_at, now, error.message)
    members, saved_marks = _sheet(activity, key, occ, wanted, sheets)
    saved = saved_marks.get(person_id)
    details = {
        "occurrence": key,
        "person_id": person_id,
        "status": mark.status.value,
        "made_at": made_at.isoformat(),
        "based_on": str(item.get("based_on") or "")[:40],
        "client_id": client_id,
    }
    if saved is not None and saved.recorded_at > made_at:
        # An earlier mark than the one saved: it loses, and is kept in the audit trail.
        _take(client_id, user, target, "superseded", made_at, now)
        audit.record(
            "superseded_attendance",
            "activity",
            activity.id,
            ["status"],
            actor=user,
            details=details,
        )
        return Answer(client_id, "superseded", data=saved.as_json())
    before = {} if saved is None else {person_id: (saved.status, saved.reason)}
    try:  # its rules are checked before it writes anything; the audit row is written below
        home_services.record_marks(
            activity, start, [mark], members, user, now=made_at, saved=before, audited=False
        )
    except DomainError as error:
        return _invalid(client_id, user, target, made_at, now, error.message)
    _take(client_id, user, target, "applied", made_at, now)
    if saved is not None and (saved.status, saved.reason) == (mark.status, mark.reason):
        # The mark saved already says this: nothing changed, nothing to audit, nobody lost.
        return Answer(client_id, "applied", data=saved.as_json())
    previous = None
    if saved is not None:
        previous = {
            "status": saved.status.value,
            "recorded_by_id": saved.recorded_by_id,
            "recorded_at": saved.recorded_at.isoformat(),
        }
    late = made_at > occ.end + home_services.LATE_AFTER
    audit.record(  # one row per change (record_marks' correction row is this one)
        "sync_attendance",
        "activity",
        activity.id,
        ["status", "absence_reason"],
        actor=user,
        details={**details, "previous": previous, "late": late},
    )
    if previous is not None and previous["recorded_by_id"] != getattr(user, "id", None):
        db.session.execute(
            sa.update(ClientMark)
            .where(
                ClientMark.target == target,
                ClientMark.outcome == "applied",
                ClientMark.superseded_at.is_(None),
                ClientMark.user_id != getattr(user, "id", None),
            )
            .values(superseded_at=now)
        )
    saved = saved_marks[person_id] = Saved(
        mark.status, mark.reason, getattr(user, "id", None), made_at
    )
    return Answer(client_id, "applied", data=saved.as_json())


def _invalid(client_id, user, target, made_at, now, message) -> Answer:
    _take(client_id, user, target, "invalid", made_at, now)
    return Answer(client_id, "invalid", message=str(message))


# --- results --------------------------------------------------------------------------------


def sync_results(body, user, now: datetime | None = None) -> dict:
    """Apply a batch of result rows; answer one outcome per row, in order. A row based on a
    version that is no longer the saved one is a conflict with both versions. The batch's
    entries are loaded together (with their event, competition, result and athletes' coaches
    for the permission check), not one by one."""
    now = now or clock.now()
    items = _items(body)
    known, untold = _client_marks((item["client_id"] for item in items), user)
    fresh = [item for item in items if item["client_id"] not in known]
    entries = _entries({_whole(item.get("entry_id")) for item in fresh} - {None})
    for item in fresh:
        entry = entries.get(_whole(item.get("entry_id")))
        if entry is None or not rules.can_record(user, entry, entry.event.competition):
            raise SyncRefused(403, _l("You may not record the result of this entry."))
    answers = []
    for item in items:
        client_id = item["client_id"]
        if client_id in known:
            answers.append(Answer(client_id, known[client_id].outcome, duplicate=True))
            continue
        answers.append(_one_row(item, entries[item["entry_id"]], user, _made_at(item, now), now))
    return {
        "results": [answer.as_json() for answer in answers],
        "superseded": _notices(untold, now),
        "synced_at": now.isoformat(),
    }


def _entries(ids) -> dict[int, Entry]:
    if not ids:
        return {}
    statement = (
        sa.select(Entry)
        .where(Entry.id.in_(sorted(ids)))
        .options(
            joinedload(Entry.event).joinedload(CompetitionEvent.competition),
            selectinload(Entry.result),
            selectinload(Entry.athletes).selectinload(AthleteProfile.coaches),
        )
    )
    return {entry.id: entry for entry in db.session.scalars(statement)}


def _row_values(item) -> dict[str, str]:
    """The row read exactly as the results form reads it (results_screen.read_values)."""
    raw = item.get("values") if isinstance(item.get("values"), dict) else {}
    return results_screen.read_values(raw)


def _one_row(item, entry: Entry, user, made_at, now) -> Answer:
    client_id = item["client_id"]
    target = f"result:{entry.id}"
    values = _row_values(item)
    version = item.get("version")
    version = "" if version is None else str(version)[:12]
    if official.too_early(entry.event):
        # The whole row, not one of its boxes: refused for good (the client id is taken, so
        # sending it again answers the same), said at the row, never queued again.
        return _invalid(
            client_id, user, target, made_at, now, official.too_early_message(entry.event)
        )
    _read, problems = competition_services.read_result(
        rank=values["rank"],
        mark_value=values["mark_value"],
        status=values["status"],
        medal=values["medal"],
    )
    if problems:
        _take(client_id, user, target, "invalid", made_at, now)
        return Answer(
            client_id,
            "invalid",
            message=str(problems[0][1]),
            data={"errors": [{"field": name, "message": str(text)} for name, text in problems]},
        )
    try:
        with db.session.begin_nested():
            result = competition_services.save_result(
                entry,
                rank=values["rank"],
                mark=values["mark"],
                mark_value=values["mark_value"],
                status=values["status"],
                medal=values["medal"],
                notes=values["notes"],
                version=version,
                actor=user,
                reason=clean_text(
                    item.get("reason") if isinstance(item.get("reason"), str) else ""
                ),
            )
            db.session.flush()
    except (EditConflict, StaleDataError, IntegrityError):
        return _conflict(client_id, entry, user, target, values, made_at, now)
    except DomainError as error:  # a rule of the save itself (an official result needs a reason)
        _take(client_id, user, target, "invalid", made_at, now)
        field = error.field or "notes"
        return Answer(
            client_id,
            "invalid",
            message=str(error.message),
            data={"errors": [{"field": field, "message": str(error.message)}]},
        )
    _take(client_id, user, target, "applied", made_at, now)
    return Answer(
        client_id,
        "applied",
        data={"saved": results_screen.shown(result), "version": str(result.version)},
    )


def _conflict(client_id, entry, user, target, values, made_at, now) -> Answer:
    """The row was saved meanwhile by someone else: both versions, nothing written."""
    db.session.expire_all()
    saved = db.session.get(Entry, entry.id).result
    _take(client_id, user, target, "conflict", made_at, now)
    return Answer(
        client_id,
        "conflict",
        data={
            "yours": values,
            "saved": results_screen.shown(saved),
            "version": "" if saved is None else str(saved.version),
        },
    )
