"""Operations on competitions, events, entries and results. Services check the rules, flush
and write an audit row; the caller commits once. Result and medal changes are audited with old
and new values in ``details`` (results are not sensitive)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import flag_modified

from app.athletes.enums import ClassificationStatus
from app.athletes.models import AthleteProfile, Classification, Sport
from app.competitions import startlists
from app.competitions.enums import (
    ClassWarning,
    CompetitionStatus,
    EntryStatus,
    EventGender,
    Level,
    Medal,
    ResultStatus,
    SupportRole,
)
from app.competitions.models import (
    Competition,
    CompetitionEvent,
    Entry,
    EntrySupport,
    Result,
)
from app.core import audit, clock, editing
from app.core.errors import DomainError, EditConflict
from app.core.numbers import parse_decimal
from app.core.params import MAX_ID, whole_number
from app.extensions import db
from app.people.models import Person
from app.venues.models import Venue

# Bounds keep absurd numbers out of INTEGER columns (an overflow would be a 500).
MAX_EDITION = 1000
MAX_RANK = 99_999


def _enum(enum_cls, value, message, field):
    try:
        return enum_cls(value)
    except ValueError:
        raise DomainError(message, field=field) from None


def _id(value) -> int:
    """An id from request data: an int, or plain ASCII digits of at most 10 characters within
    an INTEGER column. ValueError otherwise (a 20-digit or 5,000-digit string, "²", "-1"),
    which callers turn into their own clear message instead of a 500."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        number = value if 0 < value <= MAX_ID else None
    else:
        number = whole_number(str(value if value is not None else "").strip(), low=1)
    if number is None:
        raise ValueError(value)
    return number


def _get(model, value):
    """The row of ``model`` with the id ``value`` (request data or an int), or None when there
    is none or the value is no id at all."""
    try:
        return db.session.get(model, _id(value))
    except (TypeError, ValueError):
        return None


def _check_version(record, version) -> None:
    """The one version check (core.editing.check_version) for every saved record changed
    here: ``version`` is the one the form was built from, read as an id; a missing or
    unreadable version is a stale one, never "overwrite" (issue 12 item 4)."""
    try:
        number = _id(version)
    except (TypeError, ValueError):
        number = None
    editing.check_version(record, number)


def _sports(sport_ids) -> list[Sport]:
    try:
        ids = {_id(v) for v in sport_ids or ()}
    except (TypeError, ValueError):
        raise DomainError(_l("Choose sports from the list."), field="sport_ids") from None
    sports = list(db.session.scalars(sa.select(Sport).where(Sport.id.in_(ids)))) if ids else []
    if len(sports) != len(ids):
        raise DomainError(_l("Choose sports from the list."), field="sport_ids")
    return sports


def _venue_id(value) -> int | None:
    """A venue from the list, or None; anything else names the rule."""
    if value in (None, ""):
        return None
    venue = _get(Venue, value)
    if venue is None:
        raise DomainError(_l("Choose the venue from the list."), field="venue_id")
    return venue.id


def _manager_id(value) -> int | None:
    """A coach (or admin) account manages the competition; None leaves it to the admins."""
    if value in (None, ""):
        return None
    from app.accounts.models import User

    user = _get(User, value)
    if user is None or not user.is_active or not user.has_role("coach"):
        raise DomainError(_l("Choose the manager from the list of coaches."), field="manager_id")
    return user.id


def _competition_values(data: dict) -> dict:
    name = (data.get("name") or "").strip()
    if not name:
        raise DomainError(_l("Enter the competition's name."), field="name")
    level = _enum(Level, data.get("level"), _l("Choose the competition's level."), "level")
    status = _enum(
        CompetitionStatus,
        data.get("status") or CompetitionStatus.PLANNED,
        _l("Choose the competition's status."),
        "status",
    )
    start_on, end_on = data.get("start_on"), data.get("end_on")
    if start_on is None:
        raise DomainError(_l("Enter the first day of the competition."), field="start_on")
    end_on = end_on or start_on
    if end_on < start_on:
        raise DomainError(_l("The last day must be on or after the first day."), field="end_on")
    edition = data.get("edition")
    if edition is not None and not 1 <= edition <= MAX_EDITION:
        raise DomainError(
            _l("The edition must be a number from 1 to %(max)d.", max=MAX_EDITION), field="edition"
        )
    return {
        "name": name,
        "level": level,
        "series": (data.get("series") or "").strip(),
        "edition": edition,
        "host_city": (data.get("host_city") or "").strip(),
        "venue_id": _venue_id(data.get("venue_id")),
        "start_on": start_on,
        "end_on": end_on,
        "delegation": (data.get("delegation") or "").strip(),
        "status": status,
        "manager_id": _manager_id(data.get("manager_id")),
        "notes": (data.get("notes") or "").strip(),
    }


def create_competition(data: dict, *, actor=None) -> Competition:
    values = _competition_values(data)
    competition = Competition(**values)
    competition.sports = _sports(data.get("sport_ids"))
    audit.created(competition, "competition", list(values), actor=actor)
    return competition


def update_competition(
    competition: Competition, data: dict, *, version: int | None, actor=None
) -> Competition:
    _check_version(competition, version)
    values = _competition_values(data)
    # Both queries autoflush: run them before any change, so one save is one UPDATE.
    sports = _sports(data.get("sport_ids"))
    sports_changed = {s.id for s in sports} != {s.id for s in competition.sports}
    changed = audit.assign(competition, values)
    if sports_changed:
        competition.sports = sports
        changed.append("sports")
        # The sports live in another table: make the UPDATE happen so the version rises and a
        # form opened before this change is a conflict.
        flag_modified(competition, "name")
    if changed:
        audit.saved(competition, "competition", changed, actor=actor)
    return competition


def events_outside_its_days(competition: Competition) -> list[CompetitionEvent]:
    """The competition's events whose day is not one of its days (after its dates moved)."""
    return [e for e in competition.events if e.day is not None and not competition.is_on(e.day)]


def _event_values(competition: Competition, data: dict) -> dict:
    name = (data.get("name") or "").strip()
    if not name:
        raise DomainError(_l("Enter the event's name."), field="name")
    sport = _get(Sport, data.get("sport_id"))
    if sport is None:
        raise DomainError(_l("Choose the sport."), field="sport_id")
    gender = _enum(EventGender, data.get("gender"), _l("Choose who the event is for."), "gender")
    starts_at: datetime | None = data.get("starts_at")
    ends_at: datetime | None = data.get("ends_at")
    if starts_at and ends_at and ends_at < starts_at:
        raise DomainError(_l("The event must end after it starts."), field="ends_at")
    if starts_at is not None and not competition.is_on(clock.local_date(starts_at)):
        # The programme, the start lists and the calendars show the event under those days.
        from app.core.templating import fmt_date

        raise DomainError(
            _l(
                "The event's day must be one of the competition's days, %(first)s to %(last)s.",
                first=fmt_date(competition.start_on),
                last=fmt_date(competition.end_on),
            ),
            field="day",
        )
    # All day: a day (its local 00:00 in starts_at) and no end time.
    all_day = bool(data.get("all_day")) and starts_at is not None
    if all_day:
        ends_at = None
    return {
        "name": name,
        "sport_id": sport.id,
        "gender": gender,
        "sport_class": (data.get("sport_class") or "").strip(),
        "is_team": bool(data.get("is_team")),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "all_day": all_day,
        "venue_id": _venue_id(data.get("venue_id")),
    }


def add_event(competition: Competition, data: dict, *, actor=None) -> CompetitionEvent:
    values = _event_values(competition, data)
    # The details first: reading an expired competition's id autoflushes, which must not
    # happen while the new event is in competition.events but not yet in the session.
    details = {"competition_id": competition.id}
    event = CompetitionEvent(competition=competition, **values)
    return audit.created(event, "competition_event", list(values), actor=actor, details=details)


def update_event(
    event: CompetitionEvent, data: dict, *, version: int | None = None, actor=None
) -> CompetitionEvent:
    """Change an event. ``version`` is the one the form was built from; an older or missing
    one raises EditConflict. Audit: old and new values."""
    _check_version(event, version)
    values = _event_values(event.competition, data)
    if event.entries and values["is_team"] != event.is_team:
        raise DomainError(
            _l("The event already has entries: it cannot change between individual and team."),
            field="is_team",
        )
    old = {key: audit.plain(getattr(event, key)) for key in values}
    changed = audit.assign(event, values)
    if changed:
        audit.saved(
            event,
            "competition_event",
            changed,
            actor=actor,
            details={
                "competition_id": event.competition_id,
                "old": {k: old[k] for k in changed},
                "new": {k: audit.plain(values[k]) for k in changed},
            },
        )
    return event


@dataclass(frozen=True)
class EntryWarning:
    athlete: AthleteProfile
    kind: ClassWarning
    review_on: date | None = None

    @property
    def message(self) -> str:
        """What is wrong, shown after the athlete's name on the entry's warnings page (never
        flashed: flashed messages travel in the client-readable session cookie)."""
        if self.kind is ClassWarning.NO_CLASS:
            return _l("Has no classification in this sport.")
        if self.kind is ClassWarning.NOT_CONFIRMED:
            return _l("The classification in this sport is not confirmed.")
        return _l(
            "The classification is due for review by the competition (%(date)s).",
            date=self.review_on.isoformat() if self.review_on else "",
        )


def classification_warnings(
    event: CompetitionEvent, athletes: list[AthleteProfile]
) -> list[EntryWarning]:
    """Warn when an athlete's class in the event's sport is missing, not confirmed (new or
    under review), or has a review date on or before the competition's last day. One query."""
    ids = [a.id for a in athletes]
    classes = {
        c.athlete_id: c
        for c in db.session.scalars(
            sa.select(Classification).where(
                Classification.athlete_id.in_(ids), Classification.sport_id == event.sport_id
            )
        )
    }
    last_day = event.competition.end_on
    found = (class_warning(athlete, classes.get(athlete.id), last_day) for athlete in athletes)
    return [warning for warning in found if warning is not None]


def class_warning(
    athlete: AthleteProfile, found: Classification | None, last_day: date
) -> EntryWarning | None:
    """The warning for one athlete given their classification in the event's sport (None:
    they have none) and the competition's last day; None when there is nothing to warn of."""
    if found is None:
        return EntryWarning(athlete, ClassWarning.NO_CLASS)
    if found.review_on is not None and found.review_on <= last_day:
        return EntryWarning(athlete, ClassWarning.REVIEW_DUE, found.review_on)
    if found.status in (ClassificationStatus.NEW, ClassificationStatus.REVIEW):
        return EntryWarning(athlete, ClassWarning.NOT_CONFIRMED)
    return None


SUPPORT_NOT_FOUND = _l(
    "No person in the register has this register number and birth date. Check both, or "
    "write the support person's name instead."
)


def _register_person(number, birth_on, actor) -> int:
    """A support person named by register number and birth date (as on the person's record),
    through app.people.lookup: rationed per user and per number, every look-up audited, one
    answer whatever does not match, so the register cannot be probed."""
    from app.people import lookup

    person = lookup.find_person(
        number,
        birth_on,
        actor=actor,
        purpose="entry_support",
        message=SUPPORT_NOT_FOUND,
        field="support_register_number",
    )
    return person.id


def _support(items, actor=None) -> list[EntrySupport]:
    """Support people: ``{"role", "name"}``, ``{"role", "register_number", "birth_on"}`` (from
    a form) or ``{"role", "person_id"}`` (internal callers)."""
    support = []
    for item in items or ():
        role = _enum(SupportRole, item.get("role"), _l("Choose the support role."), "support")
        person_id, name = item.get("person_id"), (item.get("name") or "").strip()
        if item.get("register_number"):
            person_id = _register_person(item["register_number"], item.get("birth_on"), actor)
            name = ""
        elif person_id:
            if _get(Person, person_id) is None:
                raise DomainError(_l("Choose the support person from the list."), "support")
        elif not name:
            raise DomainError(_l("Enter the support person's name."), field="support_name")
        support.append(EntrySupport(role=role, person_id=person_id or None, name=name))
    return support


def _entry_athletes(
    event: CompetitionEvent, athlete_ids, team_name, *, entry_id: int | None = None
) -> tuple[list[AthleteProfile], list[int], str]:
    """The athletes of an entry (one, or two or more for a team event, none entered in the
    event by another entry) and the team name as stored."""
    try:
        ids = list(dict.fromkeys(_id(v) for v in athlete_ids or ()))
    except (TypeError, ValueError):
        raise DomainError(_l("Choose athletes from the list."), field="athlete_ids") from None
    athletes = (
        list(db.session.scalars(sa.select(AthleteProfile).where(AthleteProfile.id.in_(ids))))
        if ids
        else []
    )
    if len(athletes) != len(ids) or not ids:
        raise DomainError(_l("Choose athletes from the list."), field="athlete_ids")
    team_name = (team_name or "").strip()
    if event.is_team:
        if len(athletes) < 2:
            raise DomainError(_l("A team entry needs two or more athletes."), field="athlete_ids")
        if not team_name:
            raise DomainError(_l("Enter the team's name."), field="team_name")
    else:
        if len(athletes) != 1:
            raise DomainError(
                _l("An individual event takes one athlete per entry."), field="athlete_ids"
            )
        team_name = ""
    taken = set(
        db.session.scalars(
            sa.select(AthleteProfile.id)
            .join(Entry.athletes)
            .where(
                Entry.event_id == event.id,
                AthleteProfile.id.in_(ids),
                Entry.id != (entry_id or 0),
            )
        )
    )
    if taken:
        raise DomainError(
            _l("An athlete you chose is already entered in this event."), field="athlete_ids"
        )
    return athletes, ids, team_name


def create_entry(
    event: CompetitionEvent,
    *,
    athlete_ids,
    team_name: str = "",
    status=EntryStatus.NOMINATED,
    support=(),
    actor=None,
) -> tuple[Entry, list[EntryWarning]]:
    """Enter one athlete (individual event) or a team of two or more (team event). Returns the
    entry and its classification warnings (the entry is made all the same)."""
    athletes, ids, team_name = _entry_athletes(event, athlete_ids, team_name)
    status = _enum(EntryStatus, status, _l("Choose the entry's status."), "status")
    # Before the entry exists: its look-ups must not flush it.
    support_rows = _support(support, actor)
    entry = Entry(event=event, team_name=team_name, status=status)
    entry.athletes = athletes
    entry.support = support_rows
    db.session.add(entry)
    db.session.flush()
    details = {"event_id": event.id, "athlete_ids": ids}
    if support_rows:
        # Who supports the athlete is part of the entry: the role and the register's person
        # (a name typed in is personal data and stays out of the audit log).
        details["support"] = [
            {"role": row.role.value, "person_id": row.person_id} for row in support_rows
        ]
    audit.record(
        "create",
        "entry",
        entry.id,
        ["athletes", "status", "team_name"] + (["support"] if support_rows else []),
        actor=actor,
        details=details,
    )
    return entry, classification_warnings(event, athletes)


def set_entry_status(entry: Entry, status, *, version: int | None = None, actor=None) -> None:
    """Change an entry's status (withdraw it, confirm it). ``version`` is the one the page was
    built from; an older or missing one raises EditConflict with the saved entry."""
    _check_version(entry, version)
    status = _enum(EntryStatus, status, _l("Choose the entry's status."), "status")
    if status == entry.status:
        return
    old = entry.status
    entry.status = status
    audit.saved(
        entry,
        "entry",
        ["status"],
        actor=actor,
        details={"old": {"status": str(old)}, "new": {"status": str(status)}},
    )


START_FIELDS = ("bib", "heat", "lane")


def set_start(entry: Entry, start: dict, *, version: int | None = None, actor=None) -> None:
    """Give an entry its bib, heat and lane or target (the demo; the entry edit form saves
    them with update_entry). Checked as update_entry checks them; audited with old and new."""
    _check_version(entry, version)
    place = startlists.read_start(start.get("bib"), start.get("heat"), start.get("lane"))
    startlists.check_start(
        entry.event, entry.id, [a.id for a in entry.athletes], place, entry.bib or ""
    )
    old = startlists.Start.of(entry)
    entry.bib, entry.heat, entry.lane = place.bib, place.heat, place.lane
    changed = audit.changed_fields(entry, list(START_FIELDS))
    if not changed:
        return
    audit.saved(
        entry,
        "entry",
        changed,
        actor=actor,
        details={
            "old": {k: getattr(old, k) for k in changed},
            "new": {k: getattr(place, k) for k in changed},
        },
    )


def _support_snapshot(rows) -> list[dict]:
    """Support people as the audit log keeps them: role and register person (a name typed in
    is personal data and stays out of the log: only that there is one)."""
    return [
        {"role": row.role.value, "person_id": row.person_id}
        if row.person_id
        else {"role": row.role.value, "name": True}
        for row in rows
    ]


def update_entry(
    entry: Entry,
    *,
    athlete_ids,
    team_name: str = "",
    status,
    support=(),
    start: dict | None = None,
    version,
    actor=None,
) -> Entry:
    """Change an entry: its athletes, team name, status and support people (``support`` as for
    create_entry; it replaces them all) and, given ``start`` ({"bib", "heat", "lane"}), where
    it starts (app/competitions/startlists.py: form and uniqueness). ``version`` is the one
    the form was built from; a missing or older one raises EditConflict. One UPDATE raises the
    version even when only the athletes or support people change. Audit: old and new values
    (support people by role and register person only)."""
    _check_version(entry, version)
    event = entry.event
    # Every query first (they autoflush), then the changes: one save is one UPDATE.
    athletes, ids, team_name = _entry_athletes(event, athlete_ids, team_name, entry_id=entry.id)
    status = _enum(EntryStatus, status, _l("Choose the entry's status."), "status")
    place = startlists.Start.of(entry)
    if start is not None:
        place = startlists.read_start(start.get("bib"), start.get("heat"), start.get("lane"))
        startlists.check_start(event, entry.id, ids, place, entry.bib or "")
    old_ids = [a.id for a in entry.athletes]
    old_support = [(row.role, row.person_id, row.name) for row in entry.support]
    support_rows = _support(support, actor)
    new_support = [(row.role, row.person_id, row.name) for row in support_rows]
    old = {
        "team_name": entry.team_name,
        "status": entry.status.value,
        "athlete_ids": sorted(old_ids),
        "support": _support_snapshot(entry.support),
        **startlists.Start.of(entry).__dict__,
    }
    entry.team_name, entry.status = team_name, status
    entry.bib, entry.heat, entry.lane = place.bib, place.heat, place.lane
    changed = audit.changed_fields(entry, ["team_name", "status", *START_FIELDS])
    if set(ids) != set(old_ids):
        entry.athletes = athletes
        changed.append("athletes")
    if new_support != old_support:
        entry.support = support_rows
        changed.append("support")
    if not changed:
        return entry
    flag_modified(entry, "team_name")
    editing.flush_or_conflict(entry)
    new = {
        "team_name": entry.team_name,
        "status": entry.status.value,
        "athlete_ids": sorted(ids),
        "support": _support_snapshot(support_rows),
        **place.__dict__,
    }
    keys = [{"athletes": "athlete_ids"}.get(k, k) for k in sorted(changed)]
    audit.record(
        "update",
        "entry",
        entry.id,
        sorted(changed),
        actor=actor,
        details={
            "event_id": event.id,
            "old": {k: old[k] for k in keys},
            "new": {k: new[k] for k in keys},
        },
    )
    return entry


def parse_mark_value(text) -> Decimal | None:
    try:
        return parse_decimal(text, limit=10**9)
    except ValueError:
        raise DomainError(
            _l("The number for sorting must be a number, like 652 or 12.31."), field="mark_value"
        ) from None


def mark_text(value: Decimal) -> str:
    """A number for sorting without trailing zeros: 652.000 → "652", 12.310 → "12.31"."""
    return format(Decimal(value).normalize(), "f")


RESULT_FIELD_ORDER = ("rank", "mark", "mark_value", "status", "medal", "notes")


def rule_problems(*, rank, status: ResultStatus, medal: Medal) -> list[tuple[str, object]]:
    """Every broken result rule as (field, message), rank's before medal's."""
    problems = []
    if status is not ResultStatus.OK and rank is not None:
        problems.append(
            ("rank", _l("Only a result with status OK has a rank: leave the rank empty."))
        )
    if rank is not None and not 1 <= rank <= MAX_RANK:
        problems.append(("rank", _l("The rank must be a number from 1 to %(max)d.", max=MAX_RANK)))
    if status is not ResultStatus.OK and medal is not Medal.NONE:
        problems.append(("medal", _l("Only a result with status OK can hold a medal.")))
    if medal.rank is not None and rank is not None and rank != medal.rank:
        problems.append(
            (
                "medal",
                _l(
                    "A %(medal)s medal goes with rank %(rank)d (tied athletes share the rank).",
                    medal=str(medal.label).lower(),
                    rank=medal.rank,
                ),
            )
        )
    return problems


def _raise_first(problems) -> None:
    if problems:
        field, message = min(problems, key=lambda p: RESULT_FIELD_ORDER.index(p[0]))
        raise DomainError(message, field=field)


def check_result(*, rank, status: ResultStatus, medal: Medal) -> None:
    """The result rules, each with a message that names it:
    only an OK result has a rank or a medal; a rank is 1 or more; gold goes with rank 1,
    silver with rank 2 and bronze with rank 3 (ties share a rank, so two bronzes are fine).
    Raises the first broken rule in the order of the fields."""
    _raise_first(rule_problems(rank=rank, status=status, medal=medal))


def read_result(*, rank, mark_value, status, medal) -> tuple[dict, list[tuple[str, object]]]:
    """The result's values read from what was typed, and every problem with them as
    (field, message) pairs in the order of the fields (rank, mark, number for sorting,
    status, medal), so a page can report them all at once (issue 12 item 2)."""
    problems: list[tuple[str, object]] = []
    values: dict = {}
    if rank in ("", None):
        values["rank"] = None
    else:
        try:
            values["rank"] = int(rank)
        except (TypeError, ValueError):
            values["rank"] = None
            problems.append(("rank", _l("The rank must be a whole number.")))
    try:
        values["mark_value"] = parse_mark_value(mark_value)
    except DomainError as error:
        problems.append((error.field, error.message))
    try:
        values["status"] = ResultStatus(status or ResultStatus.OK)
    except ValueError:
        problems.append(("status", _l("Choose the status.")))
    try:
        values["medal"] = Medal(medal or Medal.NONE)
    except ValueError:
        problems.append(("medal", _l("Choose the medal.")))
    if "status" in values and "medal" in values:
        problems += rule_problems(
            rank=values["rank"], status=values["status"], medal=values["medal"]
        )
    problems.sort(key=lambda p: RESULT_FIELD_ORDER.index(p[0]))
    return values, problems


def check_result_version(result: Result | None, version) -> None:
    """The version check of a result, through the one helper (core.editing.check_version):
    a missing or unreadable version is a stale one. A new result (none saved yet) needs no
    version; one saved meanwhile by someone else is a conflict."""
    if result is None:
        if version not in (None, ""):
            raise EditConflict(None)
        return
    _check_version(result, version)


def _result_snapshot(result: Result | None) -> dict:
    if result is None:
        return {}
    return {
        "rank": result.rank,
        "mark": result.mark,
        "mark_value": None if result.mark_value is None else mark_text(result.mark_value),
        "status": str(result.status),
        "medal": str(result.medal),
        "notes": result.notes,
    }


def save_result(
    entry: Entry,
    *,
    rank=None,
    mark: str = "",
    mark_value=None,
    status=ResultStatus.OK,
    medal=Medal.NONE,
    notes: str = "",
    version: int | None = None,
    reason: str = "",
    actor=None,
) -> Result:
    """Record or change the entry's result. An existing result needs the ``version`` the form
    was built from; an older one raises EditConflict with the saved result. Audit: old and new
    values of the changed fields in ``details``.

    A result is provisional when entered, until the event's results are published
    (app/competitions/official.py). A change to an official result, or a result added after
    publishing, is a correction: it needs a ``reason`` (DomainError on ``reason`` without
    one), stored with the time on the result and in the audit row."""
    from app.competitions import official

    if official.too_early(entry.event):
        raise DomainError(official.too_early_message(entry.event))
    result = entry.result
    published = entry.event.results_published
    correcting = published or official.is_official(result)
    reason = (reason or "").strip()
    if result is not None:
        check_result_version(result, version)
    read, problems = read_result(rank=rank, mark_value=mark_value, status=status, medal=medal)
    _raise_first(problems)
    values = {
        "rank": read["rank"],
        "mark": (mark or "").strip()[:40],
        "mark_value": read["mark_value"],
        "status": read["status"],
        "medal": read["medal"],
        "notes": (notes or "").strip(),
    }
    old = _result_snapshot(result)
    if result is None:
        if correcting and not reason:
            raise DomainError(official.REASON_NEEDED, field="reason")
        result = Result(entry=entry, is_provisional=not published, **values)
        if correcting:
            result.corrected_at, result.correction_reason = clock.now(), reason
        db.session.add(result)
        db.session.flush()
        details = {"entry_id": entry.id, "new": _result_snapshot(result)}
        if correcting:
            details["reason"] = reason
        audit.record("create", "result", result.id, list(values), actor=actor, details=details)
        return result
    changed = audit.assign(result, values)
    if changed:
        if correcting and not reason:
            raise DomainError(official.REASON_NEEDED, field="reason")
        details = {"entry_id": entry.id}
        if correcting:
            result.is_provisional = False
            result.corrected_at, result.correction_reason = clock.now(), reason
            details["reason"] = reason
        editing.flush_or_conflict(result)
        new = _result_snapshot(result)
        details["old"] = {k: old[k] for k in changed}
        details["new"] = {k: new[k] for k in changed}
        audit.record("update", "result", result.id, changed, actor=actor, details=details)
    return result
