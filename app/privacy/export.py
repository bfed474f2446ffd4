"""Everything Ronghe holds about one person, for their right of access and portability
(PIPL arts. 45): ``person_export(person)`` as a JSON-ready dict, ``export_zip(person)`` as the
ZIP an admin hands over (``person.json`` plus the photos of performances they are booked in).

Which rows name a person is written down once, in RELATIONS: for each table, the SQL condition
that selects this person's rows. ``tests/privacy/test_export.py`` walks every foreign key of
the schema that points at a table holding personal rows and fails unless the key is followed
here or listed in NOT_ABOUT_THEM with the reason, so a new table cannot be forgotten.

Left out of the rows on purpose: secrets that are not information about the person
(``users.password_hash``, ``calendar_tokens.token_hash``) and the keyed hash of the certificate
number (a derived lookup value). The certificate number itself is included: it is theirs, and
the export is an admin-only, audit-logged act.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

import sqlalchemy as sa

from app.core import audit, clock
from app.extensions import db

SECRET_COLUMNS = {
    ("users", "password_hash"),
    ("calendar_tokens", "token_hash"),
    ("people", "certificate_hash"),
}


def _t(name: str) -> sa.Table:
    return db.metadata.tables[name]


@dataclass(frozen=True)
class Ids:
    """The keys of this person's own rows, from which the other relations start."""

    person: int
    users: tuple[int, ...]
    athletes: tuple[int, ...]
    memberships: tuple[int, ...]
    assessments: tuple[int, ...]
    entries: tuple[int, ...]

    @classmethod
    def of(cls, person_id: int) -> Ids:
        def ids(table: str, column: str, values) -> tuple[int, ...]:
            t = _t(table)
            key = t.c.id if "id" in t.c else t.c[list(t.primary_key.columns)[0].name]
            return tuple(db.session.scalars(sa.select(key).where(t.c[column].in_(values))))

        athletes = ids("athlete_profiles", "person_id", [person_id])
        return cls(
            person=person_id,
            users=ids("users", "person_id", [person_id]),
            athletes=athletes,
            memberships=ids("memberships", "person_id", [person_id]),
            assessments=ids("assessments", "athlete_id", athletes),
            entries=tuple(
                sorted(
                    set(
                        db.session.scalars(
                            sa.select(_t("entry_members").c.entry_id).where(
                                _t("entry_members").c.athlete_id.in_(athletes)
                            )
                        )
                    )
                    | set(
                        db.session.scalars(
                            sa.select(_t("entry_support").c.entry_id).where(
                                _t("entry_support").c.person_id == person_id
                            )
                        )
                    )
                )
            ),
        )


def _by(key: str, ids: str = "person"):
    """The relation following the foreign key ``key`` ("table.column"): the rows whose column
    holds the person's id, or (``ids``) one of the ids of their users, athletes, memberships,
    assessments or entries."""
    column = key.split(".")[1]

    def condition(t, i):
        value = getattr(i, ids)
        return t.c[column] == value if ids == "person" else t.c[column].in_(value)

    return {key}, condition


# table -> (the foreign keys this relation follows, the condition selecting the rows)
RELATIONS = {
    "people": _by("people.id"),
    "consents": _by("consents.person_id"),
    "notices": _by("notices.person_id"),
    "users": _by("users.person_id"),
    "user_roles": _by("user_roles.user_id", "users"),
    "calendar_tokens": _by("calendar_tokens.user_id", "users"),
    "programme_organisers": _by("programme_organisers.user_id", "users"),
    "home_staff": _by("home_staff.user_id", "users"),
    "athlete_profiles": _by("athlete_profiles.person_id"),
    "athlete_sports": _by("athlete_sports.athlete_id", "athletes"),
    "athlete_coaches": (
        {"athlete_coaches.athlete_id", "athlete_coaches.user_id"},
        lambda t, i: t.c.athlete_id.in_(i.athletes) | t.c.user_id.in_(i.users),
    ),
    "athlete_classifications": _by("athlete_classifications.athlete_id", "athletes"),
    "athlete_stage_changes": _by("athlete_stage_changes.athlete_id", "athletes"),
    "assessments": _by("assessments.athlete_id", "athletes"),
    "assessment_values": _by("assessment_values.assessment_id", "assessments"),
    "entry_members": _by("entry_members.athlete_id", "athletes"),
    "entry_support": _by("entry_support.person_id"),
    "entries": ({"entry_members.entry_id"}, lambda t, i: t.c.id.in_(i.entries)),
    "results": _by("results.entry_id", "entries"),
    "troupe_members": _by("troupe_members.person_id"),
    "performance_people": _by("performance_people.person_id"),
    "memberships": _by("memberships.person_id"),
    "membership_services": _by("membership_services.membership_id", "memberships"),
    "attendance": _by("attendance.person_id"),
    # Their answers to invitations, and those they gave as a caregiver for a dependant.
    "replies": (
        {"replies.person_id", "replies.caregiver_person_id"},
        lambda t, i: (t.c.person_id == i.person) | (t.c.caregiver_person_id == i.person),
    ),
    "audit_events": (
        set(),
        lambda t, i: (
            ((t.c.entity == "person") & (t.c.entity_id == i.person))
            | ((t.c.entity == "user") & t.c.entity_id.in_(i.users))
            | t.c.actor_id.in_(i.users)
        ),
    ),
}

# Foreign keys to personal rows that this export does not follow, and why.
NOT_ABOUT_THEM = {
    "people.guardian_person_id": "the dependant's record is the dependant's data; the "
    "person's own record lists the dependants it links by id",
    "people.archived_by_id": "who archived a record (an admin's act, in the audit log)",
    "activities.leader_person_id": "an activity is the home's record; its page names the leader",
    "entry_support.entry_id": "the support people of their entries are those people's data",
    "athlete_profiles.identified_by_id": "the coach who found an athlete",
    "consents.recorded_by_id": "the admin who recorded a consent",
    "competitions.manager_id": "the coach managing a competition (their work, not them)",
    "performances.created_by_id": "the organiser who created a performance",
    "performance_photos.uploaded_by_id": "who uploaded a photo",
    "performance_reschedules.recorded_by_id": "who recorded a time change",
    "performance_clash_overrides.recorded_by_id": "who saved over a clash",
    "activity_exceptions.created_by_id": "who cancelled or moved a session",
    "attendance.recorded_by_id": "who took a roll-call",
    "memberships.contacted_by_id": "the staff member who called about an absence",
    "athlete_stage_changes.changed_by_id": "who changed an athlete's stage",
    "assessments.assessor_id": "the coach who assessed",
    "competition_events.results_published_by_id": "who published an event's results",
    "client_marks.user_id": "which account's phone sent a mark (the sync's receipt; the mark "
    "itself is in attendance or results)",
    "replies.answered_by_id": "the signed-in account that saved an answer (staff, the person "
    "or their caregiver; the answer itself follows the person and the caregiver)",
}


def _rows(table: sa.Table, condition) -> list[dict]:
    # Read through the table's own column types, so encrypted values come back decrypted.
    columns = [c for c in table.columns if (table.name, c.name) not in SECRET_COLUMNS]
    key = [c for c in table.primary_key.columns]
    query = sa.select(*columns).where(condition).order_by(*key)
    return [
        {name: audit.plain(value) for name, value in row._mapping.items()}
        for row in db.session.execute(query)
    ]


def person_export(person_id: int) -> dict:
    """Every row about the person, by table, with when and what format."""
    ids = Ids.of(person_id)
    tables = {}
    for name, (_keys, condition) in RELATIONS.items():
        table = _t(name)
        tables[name] = _rows(table, condition(table, ids))
    return {
        "format": "ronghe-person-export/1",
        "exported_at": clock.now().isoformat(timespec="seconds"),
        "person_id": person_id,
        "tables": tables,
        "photos": [row["stored_name"] for row in _photos(ids)],
    }


def _photos(ids: Ids) -> list[dict]:
    photos, people = _t("performance_photos"), _t("performance_people")
    booked = sa.select(people.c.performance_id).where(people.c.person_id == ids.person)
    return _rows(photos, photos.c.performance_id.in_(booked))


def export_zip(person_id: int) -> bytes:
    """``person.json`` and ``photos/<name>`` in a ZIP."""
    from app.performances.photos import photo_folder

    data = person_export(person_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "person.json", json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
        )
        folder = photo_folder()
        for name in data["photos"]:
            path = folder / name
            if path.is_file():
                archive.write(path, f"photos/{name}")
    return buffer.getvalue()
