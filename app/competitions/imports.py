"""Import of results from a spreadsheet (CSV in UTF-8, UTF-8 with BOM, GBK or GB18030, or
Excel .xlsx), reading files with app/core/spreadsheets.read_table.

Columns (first row; English or Chinese headings, any order, case ignored):

- ``competition`` / ``比赛``: the competition's name as in Ronghe (required)
- ``event`` / ``小项``: the event's name within that competition (required)
- ``athlete`` / ``运动员``: the athlete's name (required)
- ``birth date`` / ``出生日期``: the athlete's birth date, 1990-05-01 (required)
- ``team`` / ``队伍编号``: a team code; rows with the same code in one event are one team
  entry (required for team events, empty for individual events)
- ``rank`` / ``名次``, ``mark`` / ``成绩``, ``status`` / ``状态`` (OK, DNS, DNF, DSQ; empty
  means OK), ``medal`` / ``奖牌`` (gold, silver, bronze or 金, 银, 铜; empty means none)

``check_rows`` reads and checks every row and changes nothing (it adds one audit row of its
athlete look-ups); ``save_rows`` saves all rows or nothing (one entry per athlete or team,
created when missing, its result created or updated).

Cells are read as written (``read_table(as_written=True)``): competition, event and athlete
names are compared the way they are stored ("世界残疾人射箭锦标赛（北京）" keeps its full-width
brackets) and an error shows what the user wrote; a mark is kept as the cell shows it (36.20
under the format 0.00); the codes and numbers (birth date, team, rank, status, medal) are
NFKC-normalised here, so full-width digits still read.

Naming an athlete by name and birth date is a look-up like app/people/lookup (issue 13 item
3): a row names an athlete the user may not record, or none at all, with one and the same
answer; the look-ups are audited (one ``results_import_lookup`` row per check, with the
counts and the athletes named without success) and rationed — after FAILED_LOOKUPS_PER_DAY
failed rows in 24 hours by a user, or naming one athlete, athletes the user does not coach
are no longer found (their own athletes, whose records they see anyway, still are)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.athletes.models import AthleteProfile
from app.competitions import rules, services
from app.competitions.enums import EntryStatus, Medal, ResultStatus
from app.competitions.models import Competition, CompetitionEvent, Entry
from app.core import audit, clock, spreadsheets
from app.core.audit import AuditEvent
from app.core.errors import DomainError
from app.core.forms import normalise_text
from app.extensions import db
from app.people import lookup
from app.people.models import Person

COLUMNS = {
    "competition": ("competition", "比赛"),
    "event": ("event", "小项"),
    "athlete": ("athlete", "运动员"),
    "birth_date": ("birth date", "birth_date", "出生日期"),
    "team": ("team", "team code", "队伍编号"),
    "rank": ("rank", "名次"),
    "mark": ("mark", "成绩"),
    "status": ("status", "状态"),
    "medal": ("medal", "奖牌"),
}
REQUIRED = ("competition", "event", "athlete", "birth_date")
# Read as typed: names (compared as stored, shown as written) and the mark (as written).
AS_WRITTEN = ("competition", "event", "athlete", "mark")
LOOKUP = lookup.IMPORTED
FAILED_LOOKUPS_PER_DAY = 20
MEDAL_WORDS = {
    Medal.GOLD: ("gold", "金", "金牌"),
    Medal.SILVER: ("silver", "银", "银牌"),
    Medal.BRONZE: ("bronze", "铜", "铜牌"),
    Medal.NONE: ("", "none", "无"),
}


@dataclass
class Row:
    line: int
    cells: dict
    event: CompetitionEvent | None = None
    athlete: AthleteProfile | None = None
    rank: int | None = None
    status: ResultStatus | None = None
    medal: Medal | None = None
    errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def group(self) -> tuple:
        team = self.cells.get("team", "")
        return (self.event.id, f"team:{team}" if team else f"athlete:{self.athlete.id}")


class CheckedRows(list):
    """The checked rows; ``lookup`` is the audit row of their athlete look-ups, kept out of
    the session so the caller adds it whatever becomes of the rest (``keep_lookup``)."""

    lookup: AuditEvent | None = None


@dataclass
class _Ration:
    """Failed look-ups in the last 24 hours, by this user and of each person: this import's
    and the register's (app.people.lookup), one ration whichever route asks. A person's
    count is one per failed row or look-up that named them (not one per file), so a sweep
    spread over several users is cut off after lookup.FAILED_PER_DAY guesses."""

    by_user: int = 0
    by_athlete: Counter = field(default_factory=Counter)  # rows logged before "people"
    by_person: Counter = field(default_factory=Counter)
    found: int = 0
    failed: int = 0
    named: list = field(default_factory=list)  # athletes named without success
    named_people: list = field(default_factory=list)  # their people, once per failed row
    in_file: Counter = field(default_factory=Counter)  # the same, counted, for allows()

    @classmethod
    def load(cls, user) -> _Ration:
        ration = cls()
        since = clock.now() - timedelta(days=1)
        for action, actor_id, entity_id, details in db.session.execute(
            sa.select(
                AuditEvent.action, AuditEvent.actor_id, AuditEvent.entity_id, AuditEvent.details
            ).where(AuditEvent.action.in_((LOOKUP, lookup.FAILED)), AuditEvent.occurred_at >= since)
        ):
            if action == lookup.FAILED:
                ration.by_user += actor_id == user.id
                if entity_id is not None:
                    ration.by_person[entity_id] += 1
                continue
            details = details or {}
            if actor_id == user.id:
                ration.by_user += int(details.get("failed", 0))
            if "people" in details:
                ration.by_person.update(details["people"])
            else:
                ration.by_athlete.update(details.get("athletes", ()))
        return ration

    def allows(self, athlete) -> bool:
        # This file's failed rows count as soon as they are read: a sixth row naming a person
        # is refused whatever its birth date, as a sixth look-up elsewhere would be.
        return (
            self.by_user + self.failed < FAILED_LOOKUPS_PER_DAY
            and self.by_athlete[athlete.id]
            + self.by_person[athlete.person_id]
            + self.in_file[athlete.person_id]
            < lookup.FAILED_PER_DAY
        )


def _code(text: str) -> str:
    return normalise_text(text) or ""


def check_rows(data: bytes, user) -> CheckedRows:
    """Read the file and check every row; nothing is changed but the look-ups' audit row
    (``rows.lookup``, for the caller to add: ``keep_lookup``). A fixed number of queries."""
    table = spreadsheets.read_table(data, as_written=True)
    columns = spreadsheets.heading_columns(table[0], COLUMNS, REQUIRED)
    rows = CheckedRows()
    for number, cells in enumerate(table[1:], start=2):
        values = spreadsheets.row_cells(cells, columns)
        for name in values:
            if name not in AS_WRITTEN:
                values[name] = _code(values[name])
        rows.append(Row(line=number, cells=values))
    written = {r.cells["competition"] for r in rows}
    competitions: dict[str, Competition] = {}
    for competition in db.session.scalars(
        sa.select(Competition)
        .where(Competition.name.in_(written | {_code(name) for name in written}))
        .options(selectinload(Competition.events))
    ):
        competitions[competition.name] = competition  # as stored first, then as compared
        competitions.setdefault(spreadsheets.match_key(competition.name), competition)
    names = {r.cells["athlete"] for r in rows}
    athletes, by_name = {}, {}
    for athlete in db.session.scalars(
        sa.select(AthleteProfile)
        .join(Person, Person.id == AthleteProfile.person_id)
        .where(Person.name.in_(names | {_code(name) for name in names}))
        .options(joinedload(AthleteProfile.person), selectinload(AthleteProfile.coaches))
    ):
        key = spreadsheets.match_key(athlete.person.name)
        athletes[(key, athlete.person.birth_on)] = athlete
        by_name.setdefault(key, []).append(athlete)
    # Parallel imports and register look-ups of the same user or people are judged one by
    # one, each counting the failures logged before it (app.people.lookup.serialise).
    lookup.serialise(
        getattr(user, "id", None), *(a.person_id for found in by_name.values() for a in found)
    )
    ration = _Ration.load(user)
    for row in rows:
        _check_row(row, competitions, (athletes, by_name), user, ration)
    _check_teams(rows)
    if rows:
        rows.lookup = audit.record(
            LOOKUP,
            "athlete",
            None,
            actor=user,
            details={
                "purpose": "results_import",
                "rows": len(rows),
                "found": ration.found,
                "failed": ration.failed,
                "athletes": sorted(set(ration.named)),
                "people": sorted(ration.named_people),
            },
        )
        db.session.expunge(rows.lookup)
        if lookup.log_now(rows.lookup):  # PostgreSQL: committed before the locks are released
            rows.lookup = None
    return rows


def keep_lookup(rows) -> None:
    """Add the look-ups' audit row of ``rows`` (after a commit or a rollback) and commit it."""
    lookup = getattr(rows, "lookup", None)
    if lookup is not None:
        db.session.add(lookup)
        db.session.commit()
        rows.lookup = None


def _find_athlete(row: Row, athletes, competition, user, ration: _Ration) -> None:
    """The row's athlete, when it is one the user may record; otherwise one answer whatever
    the reason (no such name, another birth date, not the user's, the ration spent)."""
    cells = row.cells
    born = spreadsheets.cell_date(cells["birth_date"])
    if born is None:
        row.errors.append(_l("Write the birth date as year-month-day, for example 1990-05-01."))
        return
    exact, by_name = athletes
    key = spreadsheets.match_key(cells["athlete"])
    athlete = exact.get((key, born))
    own = athlete is not None and user.id in athlete.coach_ids()
    manages = competition is not None and rules.can_manage(user, competition)
    if own or (athlete is not None and manages and ration.allows(athlete)):
        row.athlete = athlete
        ration.found += 1
        return
    others = [a for a in by_name.get(key, ()) if user.id not in a.coach_ids()]
    if others:
        # Only a row naming someone the user may not record is a guess; a name that matches
        # no athlete at all (a typo, a newcomer) proves nothing and costs no ration.
        ration.failed += 1
        ration.named += [a.id for a in others]
        ration.named_people += [a.person_id for a in others]
        ration.in_file.update(a.person_id for a in others)
    row.errors.append(
        _l(
            "No athlete you may record is called %(name)s with the birth date given.",
            name=cells["athlete"] or "–",
        )
    )


def _check_row(row: Row, competitions, athletes, user, ration: _Ration) -> None:
    cells = row.cells
    competition = competitions.get(cells["competition"]) or competitions.get(
        spreadsheets.match_key(cells["competition"])
    )
    if competition is None:
        row.errors.append(_l("Unknown competition: %(name)s.", name=cells["competition"] or "–"))
    else:
        row.event = next(
            (
                e
                for e in competition.events
                if spreadsheets.match_key(e.name) == spreadsheets.match_key(cells["event"])
            ),
            None,
        )
        if row.event is None:
            row.errors.append(
                _l("The competition has no event called %(name)s.", name=cells["event"] or "–")
            )
    _find_athlete(row, athletes, competition, user, ration)
    if row.event is not None and row.athlete is not None:
        if row.event.is_team and not cells.get("team"):
            row.errors.append(_l("This is a team event: write the team code."))
        if not row.event.is_team and cells.get("team"):
            row.errors.append(_l("This is an individual event: leave the team code empty."))
    status_text = cells.get("status", "").upper() or "OK"
    row.status = next((s for s in ResultStatus if s.value == status_text), None)
    if row.status is None:
        row.errors.append(_l("Write the status as OK, DNS, DNF or DSQ."))
    word = spreadsheets.match_key(cells.get("medal", ""))
    row.medal = next((m for m, words in MEDAL_WORDS.items() if word in words), None)
    if row.medal is None:
        row.errors.append(_l("Write the medal as gold, silver or bronze, or leave it empty."))
    rank = cells.get("rank", "")
    # A whole number ("-1" too, which the rules then say is out of range); not "first", "1.5".
    if rank and not (rank.isascii() and re.fullmatch(r"-?[0-9]{1,9}", rank)):
        row.errors.append(_l("The rank must be a whole number."))
        return
    row.rank = int(rank) if rank else None
    if row.status is not None and row.medal is not None:
        # Every broken rule at once (issue 12 item 2), whatever else the row gets wrong.
        problems = services.rule_problems(rank=row.rank, status=row.status, medal=row.medal)
        row.errors += [message for _field, message in problems]


def _check_teams(rows: list[Row]) -> None:
    """Rows of one team (same event and code) carry the same result; an athlete appears once
    per event."""
    first: dict[tuple, Row] = {}
    seen: set[tuple] = set()
    for row in rows:
        if not row.ok:
            continue
        key = (row.event.id, row.athlete.id)
        if key in seen:
            row.errors.append(_l("The athlete appears twice in this event."))
            continue
        seen.add(key)
        lead = first.setdefault(row.group, row)
        same = ("rank", "mark", "status", "medal")
        if lead is not row and any(lead.cells.get(k, "") != row.cells.get(k, "") for k in same):
            row.errors.append(
                _l("Rows of one team must have the same rank, mark, status and medal.")
            )
    for lead in first.values():
        size = sum(1 for r in rows if r.ok and r.event and r.group == lead.group)
        if lead.event.is_team and size < 2:
            lead.errors.append(_l("A team entry needs two or more athletes."))


def _number(mark: str):
    """The mark as a number for sorting when it is one ("652"), otherwise none ("15-12")."""
    try:
        return services.parse_mark_value(mark)
    except DomainError:
        return None


def save_rows(rows: list[Row], *, user) -> int:
    """Save every row's result, or nothing when any row has an error. Returns how many
    entries' results were saved."""
    bad = [row for row in rows if not row.ok]
    if bad:
        raise DomainError(
            _l("Rows with errors: %(count)d. Nothing was saved.", count=len(bad)),
            field="file",
        )
    groups: dict[tuple, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    existing: dict[tuple, Entry] = {}
    event_ids = {key[0] for key in groups}
    for entry in db.session.scalars(
        sa.select(Entry)
        .where(Entry.event_id.in_(event_ids))
        .options(selectinload(Entry.athletes), selectinload(Entry.result))
    ):
        existing[(entry.event_id, frozenset(a.id for a in entry.athletes))] = entry
    for members in groups.values():
        lead = members[0]
        ids = frozenset(r.athlete.id for r in members)
        entry = existing.get((lead.event.id, ids))
        if entry is None:
            entry, _warnings = services.create_entry(
                lead.event,
                athlete_ids=sorted(ids),
                team_name=lead.cells.get("team", ""),
                status=EntryStatus.CONFIRMED,
                actor=user,
            )
        try:
            services.save_result(
                entry,
                rank=lead.rank,
                mark=lead.cells.get("mark", ""),
                mark_value=_number(lead.cells.get("mark", "")),
                status=lead.status,
                medal=lead.medal,
                notes=entry.result.notes if entry.result else "",
                version=entry.result.version if entry.result else None,
                actor=user,
            )
        except DomainError as error:
            if error.field != "reason":
                raise
            # An official result changes only with a reason (issue 17): not from a file.
            raise DomainError(
                _l(
                    "The results of %(event)s are official: correct them on the event's "
                    "results screen, with a reason. Nothing was saved.",
                    event=lead.event.name,
                ),
                field="file",
            ) from None
    return len(groups)
