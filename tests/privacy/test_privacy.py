"""People's data rights (issue 13): the export holds every row about a person and cannot
forget a table; anonymising removes what identifies them and keeps the federation's figures;
withdrawing the last collection consent takes an athlete's classes and notes with it."""

from __future__ import annotations

import io
import json
import zipfile

import sqlalchemy as sa

from app.extensions import db
from app.people.models import Person
from app.privacy.export import NOT_ABOUT_THEM, RELATIONS


def rich_person_id() -> int:
    """A demo person with the most kinds of rows: an athlete with results who also has an
    account, a membership with attendance or bookings, wherever the demo has them."""
    t = db.metadata.tables
    counts: dict[int, int] = {}
    for table in (
        "athlete_profiles",
        "memberships",
        "attendance",
        "performance_people",
        "troupe_members",
        "users",
        "consents",
        "entry_support",
    ):
        for person_id in db.session.scalars(sa.select(t[table].c.person_id).distinct()):
            if person_id is not None:
                counts[person_id] = counts.get(person_id, 0) + 1
    return max(counts, key=lambda pid: (counts[pid], -pid))


def test_every_foreign_key_to_personal_rows_is_followed_or_explained(app):
    followed = set().union(*(keys for keys, _condition in RELATIONS.values()))
    personal = set(RELATIONS)
    missing = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            for key in column.foreign_keys:
                name = f"{table.name}.{column.name}"
                if key.column.table.name in personal and name not in followed | set(NOT_ABOUT_THEM):
                    missing.append(name)
    assert missing == [], "add each to app/privacy/export.py RELATIONS or NOT_ABOUT_THEM"


def test_the_export_holds_every_row_about_the_person(client, login_as, demo):
    person_id = rich_person_id()
    login_as("admin")
    response = client.get(f"/people/{person_id}/export")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"].startswith("no-store")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    data = json.loads(archive.read("person.json"))
    t = db.metadata.tables
    tables = data["tables"]
    person = db.session.get_one(Person, person_id)
    assert tables["people"][0]["name"] == person.name
    assert tables["people"][0]["certificate_number"] == person.certificate_number
    for table, column in (
        ("consents", "person_id"),
        ("memberships", "person_id"),
        ("attendance", "person_id"),
        ("performance_people", "person_id"),
        ("troupe_members", "person_id"),
        ("athlete_profiles", "person_id"),
        ("entry_support", "person_id"),
        ("users", "person_id"),
    ):
        ids = sorted(
            db.session.scalars(sa.select(t[table].c.id).where(t[table].c[column] == person_id))
        )
        assert sorted(row["id"] for row in tables[table]) == ids, table
    assert "password_hash" not in json.dumps(tables["users"])
    # The act is in the audit log, and the log rows about them are in the next export.
    audit = t["audit_events"]
    assert db.session.execute(
        sa.select(audit.c.action, audit.c.entity, audit.c.entity_id).where(
            audit.c.action == "export"
        )
    ).all() == [("export", "person", person_id)]
    # The demo's performances have no photo files: the ZIP holds the document alone.
    assert data["photos"] == [] and archive.namelist() == ["person.json"]


def test_export_and_anonymise_are_for_admins_only(client, login_as, make_person):
    person = make_person()
    for role in ("coach", "organiser", "home_staff", "participant"):
        login_as(role)
        assert client.get(f"/people/{person.id}/export").status_code == 403
        assert (
            client.post(f"/people/{person.id}/anonymise", data={"reason": "x"}).status_code == 403
        )


def all_text(exclude_audit: bool = True) -> str:
    chunks = []
    for table in db.metadata.sorted_tables:
        if exclude_audit and table.name == "audit_events":
            continue
        text_columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text))]
        if not text_columns:
            continue
        for row in db.session.execute(sa.select(*text_columns)):
            chunks.extend(str(value) for value in row if value)
    return "\n".join(chunks)


def test_anonymising_erases_identity_and_keeps_the_figures(client, login_as, demo):
    person_id = rich_person_id()
    person = db.session.get(Person, person_id)
    name, phone, address = person.name, person.phone, person.address
    before = client.get("/api/v1/report?from=2017-01-01&to=2026-11-30").get_json()
    login_as("admin")
    page = client.get(f"/people/{person_id}/anonymise")
    assert page.status_code == 200
    empty = client.post(f"/people/{person_id}/anonymise", data={"reason": ""})
    assert empty.status_code == 422
    assert "Give the reason for the erasure." in empty.get_data(as_text=True)
    done = client.post(f"/people/{person_id}/anonymise", data={"reason": "本人书面申请"})
    assert done.status_code == 303
    db.session.expire_all()
    person = db.session.get(Person, person_id)
    assert person.name == f"匿名人员 {person_id}"
    assert (person.phone, person.address, person.notes, person.certificate_masked) == (
        "",
        "",
        "",
        "",
    )
    assert person.disability_category is None and person.is_archived
    assert person.birth_on.month == 1 and person.birth_on.day == 1
    text = all_text()
    assert name not in text
    if phone:
        assert phone not in text
    if address:
        assert address not in text
    after = client.get("/api/v1/report?from=2017-01-01&to=2026-11-30").get_json()
    assert after == before
    again = client.post(f"/people/{person_id}/anonymise", data={"reason": "again"})
    assert again.status_code == 422


def test_the_last_collection_consent_takes_classes_and_assessment_notes(client, login_as, demo):
    from app.people import services
    from app.people.models import Consent

    t = db.metadata.tables
    athlete = db.session.execute(
        sa.select(t["athlete_profiles"].c.id, t["athlete_profiles"].c.person_id).join(
            t["athlete_classifications"],
            t["athlete_classifications"].c.athlete_id == t["athlete_profiles"].c.id,
        )
    ).first()
    assert athlete is not None
    consents = db.session.scalars(
        sa.select(Consent).where(
            Consent.person_id == athlete.person_id, Consent.kind == "collection"
        )
    ).all()
    for consent in consents:
        if consent.withdrawn_on is None:
            services.withdraw_consent(consent)
    db.session.commit()
    classes = db.session.scalar(
        sa.select(sa.func.count()).where(t["athlete_classifications"].c.athlete_id == athlete.id)
    )
    notes = db.session.scalars(
        sa.select(t["assessments"].c.notes).where(t["assessments"].c.athlete_id == athlete.id)
    ).all()
    assert classes == 0 and all(note == "" for note in notes)
