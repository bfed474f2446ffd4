"""An entry's support people (issue 13 item 2, issue 12 item 6, issue 19 item 15): a register
person is named by number and birth date through app.people.lookup (rationed, audited, one
answer for every failure); support people are shown on the event's entry list, the entry page
and the athlete's results to staff, never with the person's disability category."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.competitions.models import Entry, EntrySupport
from app.core.audit import AuditEvent
from app.extensions import db
from app.people.lookup import FAILED_PER_DAY

NOT_FOUND = "No person in the register has this register number and birth date."


@pytest.fixture
def scene(make_user, make_competition, make_event, make_person, make_athlete):
    manager = make_user("coach")
    competition = make_competition(name="City Games", manager_id=manager.id)
    return {
        "manager": manager,
        "competition": competition,
        "event": make_event(competition),
        "helper": make_person(name="向导甲", birth_on=date(1980, 5, 17)),
        "athlete": make_athlete(),
    }


def by_register(athlete, person_id, birth_on: date, **overrides):
    data = {
        "athlete_ids": [str(athlete.id)],
        "status": "nominated",
        "support_role": "guide",
        "support_register_number": str(person_id),
        "support_birth_on-year": str(birth_on.year),
        "support_birth_on-month": str(birth_on.month),
        "support_birth_on-day": str(birth_on.day),
    }
    data.update(overrides)
    return data


def lookups():
    return db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.entity_id, AuditEvent.details)
        .where(AuditEvent.action.like("register_lookup%"))
        .order_by(AuditEvent.id)
    ).all()


def test_support_lookup_is_rationed_and_audited(client, login_as, scene):
    login_as(user=scene["manager"])
    helper, url = scene["helper"], f"/competitions/events/{scene['event'].id}/entries/new"
    for day in range(1, FAILED_PER_DAY + 1):
        response = client.post(
            url, data=by_register(scene["athlete"], helper.id, date(1980, 1, day))
        )
        assert response.status_code == 422
        assert NOT_FOUND in response.get_data(as_text=True)
    # The right birth date now gets the same answer: the number is locked for the day.
    response = client.post(url, data=by_register(scene["athlete"], helper.id, date(1980, 5, 17)))
    assert response.status_code == 422
    assert NOT_FOUND in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Entry.id))) == 0
    rows = lookups()
    assert [(action, entity) for action, entity, _ in rows] == [
        ("register_lookup_failed", helper.id)
    ] * (FAILED_PER_DAY + 1)
    assert {details["purpose"] for _, _, details in rows} == {"entry_support"}


def test_support_found_is_audited(client, login_as, scene):
    login_as(user=scene["manager"])
    helper = scene["helper"]
    response = client.post(
        f"/competitions/events/{scene['event'].id}/entries/new",
        data=by_register(scene["athlete"], helper.id, date(1980, 5, 17)),
    )
    assert response.status_code == 303
    assert db.session.scalar(sa.select(EntrySupport.person_id)) == helper.id
    assert [(a, e, d["purpose"]) for a, e, d in lookups()] == [
        ("register_lookup", helper.id, "entry_support")
    ]


@pytest.fixture
def entered(scene, make_user, make_athlete, make_person):
    """An entry with a guide from the register and one with a guide named by hand."""
    from app.competitions import services

    coach = make_user("coach")
    consenting = make_athlete(coaches=[coach])
    first, _ = services.create_entry(
        scene["event"],
        athlete_ids=[scene["athlete"].id],
        support=[{"role": "guide", "person_id": scene["helper"].id}],
    )
    second, _ = services.create_entry(
        scene["event"],
        athlete_ids=[consenting.id],
        support=[{"role": "assistant", "name": "李助理"}],
    )
    db.session.commit()
    return {**scene, "register_entry": first, "named_entry": second, "coach": coach}


def test_staff_see_support_people_on_the_event_list(client, login_as, entered):
    login_as("coach")
    html = client.get(f"/competitions/{entered['competition'].id}").get_data(as_text=True)
    assert "Guide: 向导甲" in html
    assert "Assistant: 李助理" in html
    assert "Physical disability" not in html  # the register person's category, never


def test_the_public_does_not_see_support_people(client, entered):
    html = client.get(f"/competitions/{entered['competition'].id}").get_data(as_text=True)
    assert "向导甲" not in html and "李助理" not in html


def test_entry_page_shows_support_people_to_staff(client, login_as, entered):
    entry = entered["register_entry"]
    assert client.get(f"/competitions/entries/{entry.id}").status_code == 302  # sign in first
    login_as("participant")
    assert client.get(f"/competitions/entries/{entry.id}").status_code == 403
    login_as("coach")
    response = client.get(f"/competitions/entries/{entry.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Guide: 向导甲" in html
    assert "Physical disability" not in html
    assert client.get("/competitions/entries/999999").status_code == 404


def test_athlete_results_show_support_people_to_staff_only(
    client, login_as, entered, count_queries
):
    athlete = entered["athlete"]
    login_as("admin")
    with count_queries() as counter:
        response = client.get(f"/competitions/athletes/{athlete.id}")
    html = response.get_data(as_text=True)
    assert "Guide: 向导甲" in html
    assert "Physical disability" not in html
    # The support people come in one query for every entry (no query per row).
    assert sum("entry_support" in q for q in counter.statements) == 1


def edit_form(entry, **overrides):
    data = {
        "athlete_ids": [str(a.id) for a in entry.athletes],
        "status": entry.status.value,
        "support_role": "",
        "version": str(entry.version),
    }
    data.update(overrides)
    return data


def test_manager_edits_an_entry_with_audit(client, login_as, entered):
    entry = entered["named_entry"]
    login_as(user=entered["manager"])
    url = f"/competitions/entries/{entry.id}/edit"
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="李助理"' in page.get_data(as_text=True)
    response = client.post(
        url,
        data=edit_form(
            entry, status="confirmed", support_role="guide", support_name="王向导（视障）"
        ),
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/competitions/entries/{entry.id}"
    saved = db.session.get(Entry, entry.id, populate_existing=True)
    assert (saved.status.value, saved.version) == ("confirmed", 2)
    assert [(s.role.value, s.person_id, s.name) for s in saved.support] == [
        ("guide", None, "王向导（视障）")
    ]
    fields, details = db.session.execute(
        sa.select(AuditEvent.fields, AuditEvent.details).where(
            AuditEvent.entity == "entry", AuditEvent.action == "update"
        )
    ).one()
    assert fields == "status,support"
    assert details["old"] == {
        "status": "nominated",
        "support": [{"role": "assistant", "name": True}],
    }
    assert details["new"]["status"] == "confirmed"
    assert "王向导" not in str(details)
    html = client.get(f"/competitions/entries/{entry.id}").get_data(as_text=True)
    assert "Guide: 王向导（视障）" in html and "Confirmed" in html


def test_register_support_is_kept_without_typing_the_birth_date_again(client, login_as, entered):
    entry = entered["register_entry"]
    login_as(user=entered["manager"])
    response = client.post(
        f"/competitions/entries/{entry.id}/edit",
        data=edit_form(
            entry,
            status="confirmed",
            support_role="guide",
            support_register_number=str(entered["helper"].id),
        ),
    )
    assert response.status_code == 303
    saved = db.session.get(Entry, entry.id, populate_existing=True)
    assert [(s.role.value, s.person_id) for s in saved.support] == [("guide", entered["helper"].id)]
    assert lookups() == []  # nothing looked up: the person was named before


def test_only_those_who_record_it_edit_an_entry(client, login_as, entered):
    entry = entered["register_entry"]
    login_as("coach")
    assert client.get(f"/competitions/entries/{entry.id}/edit").status_code == 403
    response = client.post(f"/competitions/entries/{entry.id}/edit", data=edit_form(entry))
    assert response.status_code == 403
    assert client.get("/competitions/entries/999999/edit").status_code == 404


def test_invalid_entry_edit_is_422_with_input_kept(client, login_as, entered):
    entry = entered["named_entry"]
    login_as(user=entered["manager"])
    response = client.post(
        f"/competitions/entries/{entry.id}/edit",
        data=edit_form(entry, athlete_ids=[], support_role="guide", support_name="新向导"),
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose the athletes of the entry." in html and 'value="新向导"' in html
    assert db.session.get(Entry, entry.id, populate_existing=True).version == 1


def test_stale_entry_edit_is_409_with_both_versions(client, login_as, entered):
    from app.competitions import services

    entry = entered["named_entry"]
    mine = edit_form(entry, support_role="assistant", support_name="李助理", team_name="")
    services.update_entry(
        entry,
        athlete_ids=[a.id for a in entry.athletes],
        status="confirmed",
        support=[{"role": "assistant", "name": "李助理"}],
        version=1,
    )
    db.session.commit()
    login_as(user=entered["manager"])
    mine["support_name"] = "张助理"
    response = client.post(f"/competitions/entries/{entry.id}/edit", data=mine)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'value="张助理"' in html
    panel = html[html.index('class="conflict"') :]
    assert "Confirmed" in panel and "李助理" in panel
    assert 'name="version" type="hidden" value="2"' in html
    mine["version"] = "2"
    assert client.post(f"/competitions/entries/{entry.id}/edit", data=mine).status_code == 303
    saved = db.session.get(Entry, entry.id, populate_existing=True)
    assert (saved.status.value, saved.support[0].name, saved.version) == (
        "nominated",
        "张助理",
        3,
    )


def test_entry_stale_write_is_a_409_not_a_500(client, login_as, entered, monkeypatch):
    from app.competitions import services

    entry = entered["named_entry"]
    real = services._entry_athletes

    def racing(*args, **kwargs):
        db.session.execute(
            sa.text("UPDATE entries SET version = version + 1 WHERE id = :id"), {"id": entry.id}
        )
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_entry_athletes", racing)
    login_as(user=entered["manager"])
    response = client.post(
        f"/competitions/entries/{entry.id}/edit", data=edit_form(entry, status="confirmed")
    )
    assert response.status_code == 409
    saved = db.session.get(Entry, entry.id, populate_existing=True)
    assert saved.status.value == "nominated"
