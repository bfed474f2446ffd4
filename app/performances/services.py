"""Operations on programmes, troupes and performances. Services check the rules, flush and
write an audit row; the caller commits once.

Saving a performance asks the shared busy query (app.scheduling.busy.find_clashes) for every
overlapping, non-cancelled booking of any kind — performances, competition events, home
activities — that uses the same venue or one of the same people. With clashes the save is
refused (``ClashError``) unless an override reason is given; then it goes ahead and the
override is recorded with the clashes. Warnings (a wheelchair user at a venue without
step-free access, sign language promised without an interpreter) never block a save."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core import audit, clock, editing
from app.core.errors import DomainError
from app.extensions import db
from app.people.models import Person
from app.performances.enums import (
    AccessNeed,
    BookingRole,
    PerformanceStatus,
    Setting,
    TroupeRole,
)
from app.performances.models import (
    ClashOverride,
    Performance,
    PerformanceNeed,
    PerformancePerson,
    PerformanceReschedule,
    Programme,
    Troupe,
    TroupeMember,
)
from app.scheduling.busy import Clash, find_clashes, lock_bookings
from app.venues.enums import AccessibilityFeature
from app.venues.models import Venue

# Bounds keep absurd numbers out of INTEGER columns (an overflow would be a 500).
MAX_COUNT = 1_000_000
MAX_HOURS = 24


class ClashError(DomainError):
    """The performance overlaps other bookings; ``clashes`` lists them."""

    status_code = 422

    def __init__(self, clashes: list[Clash]):
        super().__init__(
            _l("This performance overlaps other bookings of the same venue or people."),
            field="override_reason",
        )
        self.clashes = clashes


@dataclass
class SaveResult:
    performance: Performance
    warnings: list = field(default_factory=list)
    overridden: list[Clash] = field(default_factory=list)


def _enum(enum_cls, value, message, field_name):
    try:
        return enum_cls(value)
    except ValueError:
        raise DomainError(message, field=field_name) from None


def _count(data: dict, name: str, message) -> int | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise DomainError(message, field=name)
    return value


# Warnings ----------------------------------------------------------------------------------


WHEELCHAIR_WARNING = _l(
    "A performer who uses a wheelchair is booked, and the venue has no step-free entrance."
)
INTERPRETER_WARNING = _l(
    "Sign-language interpretation is promised, and no sign-language interpreter is booked."
)


def warnings_for(venue: Venue | None, people: list, needs) -> list:
    """Accessibility warnings for a venue, the people booked (PerformancePerson or dicts with
    ``role`` and ``uses_wheelchair``) and the promised needs."""

    def get(p, name):
        return p[name] if isinstance(p, dict) else getattr(p, name)

    warnings = []
    wheelchair = any(
        get(p, "uses_wheelchair") and BookingRole(get(p, "role")) is BookingRole.PERFORMER
        for p in people
    )
    if (
        wheelchair
        and venue is not None
        and not venue.has_feature(AccessibilityFeature.STEP_FREE_ENTRANCE)
    ):
        warnings.append(WHEELCHAIR_WARNING)
    if AccessNeed.SIGN_LANGUAGE in {AccessNeed(n) for n in needs} and not any(
        BookingRole(get(p, "role")) is BookingRole.INTERPRETER for p in people
    ):
        warnings.append(INTERPRETER_WARNING)
    return warnings


def performance_warnings(performance: Performance) -> list:
    return warnings_for(performance.venue, performance.people, performance.need_set)


# Performances ------------------------------------------------------------------------------


GUEST_NAME_MAX = 100  # PerformancePerson.name


def _people(data: dict, troupe_id: int | None) -> list[dict]:
    """The people booked, checked: register people exist, nobody twice, roles known."""
    rows = data.get("people") or []
    ids = [r["person_id"] for r in rows if r.get("person_id") is not None]
    if len(ids) != len(set(ids)):
        raise DomainError(_l("A person can be booked only once per performance."), field="people")
    found = set()
    if ids:
        found = set(
            db.session.scalars(
                sa.select(Person.id).where(Person.id.in_(ids), Person.is_archived.is_(False))
            )
        )
    if found != set(ids):
        raise DomainError(_l("Choose people from the register."), field="people")
    members = set()
    if troupe_id is not None and ids:
        members = set(
            db.session.scalars(
                sa.select(TroupeMember.person_id).where(
                    TroupeMember.troupe_id == troupe_id, TroupeMember.person_id.in_(ids)
                )
            )
        )
    checked = []
    for row in rows:
        role = _enum(BookingRole, row.get("role"), _l("Choose each person's role."), "people")
        name = (row.get("name") or "").strip()
        if len(name) > GUEST_NAME_MAX:
            # Never cut without a word: a name of 150 characters is two names on one line.
            raise DomainError(
                _l(
                    "Write each guest's name on its own line, at most %(max)d characters.",
                    max=GUEST_NAME_MAX,
                ),
                field="guest_names",
            )
        person_id = row.get("person_id")
        if person_id is None and not name:
            continue
        checked.append(
            {
                "person_id": person_id,
                "name": "" if person_id is not None else name,
                "role": role,
                "is_guest": person_id is None or person_id not in members,
                "uses_wheelchair": bool(row.get("uses_wheelchair")),
            }
        )
    return checked


def _performance_values(data: dict) -> dict:
    title = (data.get("title") or "").strip()
    if not title:
        raise DomainError(_l("Enter the performance's title."), field="title")
    if len(title) > 200:
        raise DomainError(_l("The title must have at most 200 characters."), field="title")
    programme = db.session.get(Programme, data.get("programme_id") or 0)
    if programme is None:
        raise DomainError(_l("Choose the programme."), field="programme_id")
    troupe_id = data.get("troupe_id") or None
    if troupe_id is not None and db.session.get(Troupe, troupe_id) is None:
        raise DomainError(_l("Choose a troupe from the list."), field="troupe_id")
    setting = _enum(Setting, data.get("setting"), _l("Choose the setting."), "setting")
    venue = db.session.get(Venue, data.get("venue_id") or 0)
    if venue is None:
        raise DomainError(_l("Choose the venue."), field="venue_id")
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    if starts_at is None:
        raise DomainError(_l("Enter the day and time the performance starts."), field="day")
    if ends_at is None:
        raise DomainError(_l("Enter the time the performance ends."), field="end_time")
    if ends_at <= starts_at:
        raise DomainError(_l("The performance must end after it starts."), field="end_time")
    if (ends_at - starts_at).total_seconds() > MAX_HOURS * 3600:
        raise DomainError(
            _l("A performance can last at most %(hours)d hours.", hours=MAX_HOURS),
            field="end_time",
        )
    status = _enum(
        PerformanceStatus,
        data.get("status") or PerformanceStatus.PLANNED,
        _l("Choose the status."),
        "status",
    )
    if status is PerformanceStatus.DONE and starts_at > clock.now():
        raise DomainError(
            _l("A performance that has not started yet cannot be done."), field="status"
        )
    figures = _figures(data)
    needs = set()
    for value in data.get("needs") or ():
        needs.add(
            _enum(AccessNeed, value, _l("Choose accessibility needs from the list."), "needs")
        )
    return {
        "values": {
            "programme_id": programme.id,
            "troupe_id": troupe_id,
            "title": title,
            "setting": setting,
            "venue_id": venue.id,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "status": status,
            "is_public": bool(data.get("is_public")),
            "notes": (data.get("notes") or "").strip(),
            **figures,
        },
        "venue": venue,
        "needs": needs,
        "people": _people(data, troupe_id),
    }


def clashes_for(
    starts_at: datetime,
    ends_at: datetime,
    venue_id: int | None,
    person_ids,
    performance_id: int | None = None,
) -> list[Clash]:
    exclude = ("performance", performance_id) if performance_id is not None else None
    return find_clashes(
        starts_at, ends_at, venue_id=venue_id, person_ids=person_ids, exclude=exclude
    )


def _schedule_key(starts_at, ends_at, venue_id, person_ids) -> dict:
    """What a clash was accepted for: this performance's time, venue and register people."""
    return {
        "start": starts_at.isoformat(),
        "end": ends_at.isoformat(),
        "venue_id": venue_id,
        "person_ids": sorted(person_ids),
    }


def clash_record(clash: Clash, ours: dict | None = None) -> dict:
    b = clash.booking
    record = {
        "kind": b.kind,
        "id": b.id,
        "title": b.title,
        "start": b.start.isoformat(),
        "end": b.end.isoformat(),
        "url": b.url,
        "venue": clash.venue,
        "people": len(clash.person_ids),
    }
    if ours is not None:
        record["ours"] = ours
    return record


def _accepted(performance: Performance | None, clashes: list[Clash], ours: dict) -> list[Clash]:
    """The clashes saved over with a reason before, for this very time, venue and people
    (issue 19 item 14): they are not asked again until one of those changes."""
    if performance is None or not clashes:
        return []
    stored = _schedule_key(
        performance.starts_at,
        performance.ends_at,
        performance.venue_id,
        {p.person_id for p in performance.people if p.person_id is not None},
    )
    if stored != ours:
        return []
    accepted = {
        (record.get("kind"), record.get("id"))
        for override in performance.overrides
        for record in override.clashes or ()
        if record.get("ours") == ours
    }
    return [c for c in clashes if (c.booking.kind, c.booking.id) in accepted]


def save_performance(
    performance: Performance | None,
    data: dict,
    *,
    version: int | None = None,
    actor=None,
    override_reason: str = "",
) -> SaveResult:
    """Create (``performance`` None) or update a performance from checked ``data``.

    Clashes already saved over with a reason for the same time, venue and people are not
    asked again; a new clash, or a change of time, venue or people, asks for a reason."""
    if performance is not None:
        editing.check_version(performance, version)
    checked = _performance_values(data)
    values, people, needs = checked["values"], checked["people"], checked["needs"]
    person_ids = [p["person_id"] for p in people if p["person_id"] is not None]
    ours = _schedule_key(values["starts_at"], values["ends_at"], values["venue_id"], person_ids)
    clashes: list[Clash] = []
    if values["status"] is not PerformanceStatus.CANCELLED:
        # Another save of this venue or these people waits here until this one commits.
        lock_bookings(venue_ids=[values["venue_id"]], person_ids=person_ids)
        clashes = clashes_for(
            values["starts_at"],
            values["ends_at"],
            values["venue_id"],
            person_ids,
            performance.id if performance is not None else None,
        )
    accepted = _accepted(performance, clashes, ours)
    clashes = [c for c in clashes if c not in accepted]
    reason = (override_reason or "").strip()
    if clashes and not reason:
        raise ClashError(clashes)

    creating = performance is None
    old_times = None
    old_status = None
    if creating:
        performance = Performance(created_by_id=getattr(actor, "id", None))
        db.session.add(performance)
    else:
        old_times = (performance.starts_at, performance.ends_at)
        old_status = performance.status
    for key, value in values.items():
        setattr(performance, key, value)
    performance.held_on = clock.local_date(values["starts_at"])
    changed = [] if creating else audit.changed_fields(performance, list(values))

    wanted_people = [
        (p["person_id"], p["name"], p["role"], p["is_guest"], p["uses_wheelchair"]) for p in people
    ]
    have_people = [
        (p.person_id, p.name, p.role, p.is_guest, p.uses_wheelchair) for p in performance.people
    ]
    if sorted(wanted_people, key=repr) != sorted(have_people, key=repr):
        # Update rows in place by person (or guest name): replacing the collection would
        # insert the new row before deleting the old one and trip the unique constraint.
        existing = {
            (p.person_id, p.name if p.person_id is None else ""): p for p in performance.people
        }
        keep = []
        for pid, name, role, guest, chair in wanted_people:
            row = existing.pop((pid, name), None)
            if row is None:
                row = PerformancePerson(person_id=pid, name=name)
            row.role, row.is_guest, row.uses_wheelchair = role, guest, chair
            keep.append(row)
        for row in existing.values():
            performance.people.remove(row)
        if existing:
            db.session.flush()
        performance.people = keep
        changed.append("people")
    if performance.sync_rows("need_rows", PerformanceNeed, "need", needs):
        changed.append("needs")

    details: dict = {}
    if old_times is not None and old_times != (values["starts_at"], values["ends_at"]):
        performance.reschedules.append(
            PerformanceReschedule(
                old_starts_at=old_times[0],
                old_ends_at=old_times[1],
                new_starts_at=values["starts_at"],
                new_ends_at=values["ends_at"],
                reason=(data.get("reschedule_reason") or "").strip(),
                recorded_by_id=getattr(actor, "id", None),
            )
        )
        details["times"] = {
            "old": [t.isoformat() for t in old_times],
            "new": [values["starts_at"].isoformat(), values["ends_at"].isoformat()],
        }
    if old_status is not None and old_status is not values["status"]:
        details["status"] = {"old": str(old_status), "new": str(values["status"])}
    if clashes:
        performance.overrides.append(
            ClashOverride(
                reason=reason,
                clashes=[clash_record(c, ours) for c in [*accepted, *clashes]],
                recorded_by_id=getattr(actor, "id", None),
            )
        )
        changed.append("clash_override")
        details["clashes"] = [[c.booking.kind, c.booking.id] for c in clashes]

    if creating:
        db.session.flush()
        audit.record(
            "create",
            "performance",
            performance.id,
            [*values, "people", "needs"],
            actor=actor,
            details=details or None,
        )
    elif changed:
        if {"people", "needs", "clash_override"} & set(changed):
            # Rows of other tables only: touch the performance so its version rises and a
            # form opened before this save is stale (issue 19 item 3).
            performance.updated_at = clock.now()
        audit.saved(performance, "performance", changed, actor=actor, details=details or None)
    return SaveResult(
        performance=performance,
        warnings=warnings_for(checked["venue"], people, needs),
        overridden=clashes,
    )


def _figures(data: dict) -> dict:
    audience = _count(
        data,
        "audience",
        _l("The audience must be a whole number from 0 to %(max)d.", max=MAX_COUNT),
    )
    disabled = _count(
        data,
        "audience_disabled",
        _l(
            "The audience with disabilities must be a whole number from 0 to %(max)d.",
            max=MAX_COUNT,
        ),
    )
    if audience is not None and disabled is not None and disabled > audience:
        raise DomainError(
            _l("The audience with disabilities cannot be larger than the whole audience."),
            field="audience_disabled",
        )
    beneficiaries = _count(
        data,
        "beneficiaries",
        _l("The beneficiaries must be a whole number from 0 to %(max)d.", max=MAX_COUNT),
    )
    return {
        "audience": audience,
        "audience_disabled": disabled,
        "beneficiaries": beneficiaries,
        "report": (data.get("report") or "").strip(),
    }


def record_after_show(performance: Performance, data: dict, *, version, actor=None) -> Performance:
    """The after-show report: audience figures, beneficiaries and the short report. With
    ``held`` a planned, confirmed or postponed performance that has started becomes done
    (held, in the statistics); nothing else of the performance changes."""
    editing.check_version(performance, version)
    values = _figures(data)
    if data.get("held") and performance.status is not PerformanceStatus.DONE:
        if performance.status is PerformanceStatus.CANCELLED:
            raise DomainError(
                _l("A cancelled performance did not take place: change its status first."),
                field="held",
            )
        if performance.starts_at > clock.now():
            raise DomainError(
                _l("A performance that has not started yet cannot be done."), field="held"
            )
        values["status"] = PerformanceStatus.DONE
    old_status = performance.status
    changed = audit.assign(performance, values)
    if changed:
        editing.flush_or_conflict(performance)
        details = (
            {"status": {"old": str(old_status), "new": str(performance.status)}}
            if "status" in changed
            else None
        )
        audit.record("update", "performance", performance.id, changed, actor=actor, details=details)
    return performance


# Programmes --------------------------------------------------------------------------------


def _programme_values(data: dict) -> dict:
    name = (data.get("name") or "").strip()
    if not name:
        raise DomainError(_l("Enter the programme's name."), field="name")
    first, last = data.get("first_year"), data.get("last_year")
    if first is None or not 1949 <= first <= 2100:
        raise DomainError(_l("Enter the first year as four digits."), field="first_year")
    if last is not None and not first <= last <= 2100:
        raise DomainError(_l("The last year must be the first year or later."), field="last_year")
    return {
        "name": name[:160],
        "first_year": first,
        "last_year": last,
        "description": (data.get("description") or "").strip(),
    }


def _organisers(ids) -> list:
    from app.accounts.enums import Role
    from app.accounts.models import User, UserRole

    ids = {int(i) for i in ids or ()}
    if not ids:
        raise DomainError(_l("Choose at least one responsible organiser."), field="organiser_ids")
    users = list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole)
            .where(User.id.in_(ids), UserRole.role.in_([Role.ORGANISER, Role.ADMIN]))
            .distinct()
        )
    )
    if len(users) != len(ids):
        raise DomainError(_l("Choose organisers from the list."), field="organiser_ids")
    return users


NAME_TAKEN = {
    "Programme": _l("A programme with this name already exists."),
    "Troupe": _l("A troupe with this name already exists."),
}


def _check_name_free(model, name: str, own_id: int | None) -> None:
    """A programme's or troupe's name is unique whatever its case."""
    query = sa.select(model.id).where(sa.func.lower(model.name) == name.lower())
    if own_id is not None:
        query = query.where(model.id != own_id)
    if db.session.scalar(query) is not None:
        raise DomainError(NAME_TAKEN[model.__name__], field="name")


def create_programme(data: dict, *, actor=None) -> Programme:
    values = _programme_values(data)
    _check_name_free(Programme, values["name"], None)
    programme = Programme(**values)
    programme.organisers = _organisers(data.get("organiser_ids"))
    audit.created(programme, "programme", [*values, "organisers"], actor=actor)
    return programme


def update_programme(programme: Programme, data: dict, *, version, actor=None) -> Programme:
    editing.check_version(programme, version)
    values = _programme_values(data)
    _check_name_free(Programme, values["name"], programme.id)
    changed = audit.assign(programme, values)
    organisers = _organisers(data.get("organiser_ids"))
    if {u.id for u in organisers} != {u.id for u in programme.organisers}:
        programme.organisers = organisers
        # Touch the row so the version rises even when only the organisers changed.
        programme.updated_at = clock.now()
        changed.append("organisers")
    if changed:
        audit.saved(programme, "programme", changed, actor=actor)
    return programme


# Troupes -----------------------------------------------------------------------------------


def _troupe_values(data: dict) -> dict:
    name = (data.get("name") or "").strip()
    if not name:
        raise DomainError(_l("Enter the troupe's name."), field="name")
    return {"name": name[:160], "notes": (data.get("notes") or "").strip()}


def create_troupe(data: dict, *, actor=None) -> Troupe:
    values = _troupe_values(data)
    _check_name_free(Troupe, values["name"], None)
    troupe = Troupe(**values)
    audit.created(troupe, "troupe", list(values), actor=actor)
    return troupe


def update_troupe(troupe: Troupe, data: dict, *, version, actor=None) -> Troupe:
    editing.check_version(troupe, version)
    values = _troupe_values(data)
    _check_name_free(Troupe, values["name"], troupe.id)
    changed = audit.assign(troupe, values)
    if changed:
        audit.saved(troupe, "troupe", changed, actor=actor)
    return troupe


def add_member(
    troupe: Troupe, *, person_id, birth_on: date | None, role, actor=None
) -> TroupeMember:
    """Add a register person named by register number and date of birth, through
    app.people.lookup (rationed, audited, one answer whatever went wrong: an organiser cannot
    browse the register by guessing). Someone already in the troupe gets that same answer."""
    from app.people import lookup

    role = _enum(TroupeRole, role, _l("Choose the member's role."), "role")
    person = lookup.find_person(
        person_id,
        birth_on,
        actor=actor,
        purpose="troupe_member",
        message=_l("No current person in the register has this number and date of birth."),
        field="person_id",
        refuse=lambda found: any(m.person_id == found.id for m in troupe.members),
    )
    member = TroupeMember(person_id=person.id, role=role, joined_on=None)
    troupe.members.append(member)
    troupe.updated_at = clock.now()
    db.session.flush()
    audit.record(
        "update", "troupe", troupe.id, ["members"], actor=actor, details={"added": member.id}
    )
    return member


def remove_member(troupe: Troupe, member_id: int, *, actor=None) -> None:
    member = next((m for m in troupe.members if m.id == member_id), None)
    if member is None:
        raise DomainError(_l("This person is not a member of the troupe."))
    troupe.members.remove(member)
    troupe.updated_at = clock.now()
    db.session.flush()
    audit.record(
        "update", "troupe", troupe.id, ["members"], actor=actor, details={"removed": member_id}
    )
