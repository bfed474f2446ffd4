"""Two organisers editing the same performance or programme (issue 19 item 3): the 409 panel
lists every field the other one changed, many-valued ones included (accessibility promised,
people booked, guests, organisers), and the second's input is kept in the form. Clashes saved
over with a reason stay accepted until the time, venue or people change (issue 19 item 14).
StaleDataError (a concurrent UPDATE between the check and the flush) is a 409, never a 500
(issue 13 item 10)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.performances.models import ClashOverride, Performance, Programme
from tests.performances.conftest import at
from tests.roundtrip import read_form, sign_in, two_sessions


def test_performance_conflict_panel_lists_needs_people_and_guests(
    app, client, organiser, make_user, make_person, make_troupe, make_performance
):
    performer = make_person(name="Performer Wu")
    make_troupe(members=[(performer, "performer")], name="Arts troupe")
    performance = make_performance(title="Village tour")
    sign_in(client, organiser)
    second = app.test_client()
    sign_in(second, organiser)
    url = f"/performances/{performance.id}/edit"
    panel = two_sessions(
        client,
        second,
        url,
        {
            "needs": ["sign_language", "hearing_loop"],
            f"role_{performer.id}": "performer",
            "guest_names": "Guest Zhang",
        },
        {"notes": "Bring the banner"},
        labels=[
            "Accessibility promised",
            "Sign-language interpretation, Hearing loop",
            "Performer Wu (Arts troupe, Performer)",
            "Guest performers without a register record",
            "Guest Zhang",
        ],
    )
    table = panel[panel.index('<section class="conflict"') : panel.index("</section>")]
    assert "Notes" in table and "Bring the banner" in table
    # The reason fields are not the record's values: never listed.
    assert "Reason to save despite clashes" not in table
    db.session.expire_all()
    stored = db.session.get(Performance, performance.id)
    assert {n.value for n in stored.need_set} == {"sign_language", "hearing_loop"}
    assert {(p.person_id, p.name) for p in stored.people} == {
        (None, "Guest Zhang"),
        (performer.id, ""),
    }
    assert stored.notes == ""


def test_programme_conflict_panel_lists_organisers(app, client, organiser, make_user):
    other = make_user("organiser", display_name="Organiser Two")
    sign_in(client, organiser)
    assert (
        client.post(
            "/performances/programmes/new",
            data={"name": "Six Into", "first_year": "2017", "organiser_ids": str(organiser.id)},
        ).status_code
        == 303
    )
    programme = db.session.scalars(sa.select(Programme)).one()
    second = app.test_client()
    sign_in(second, organiser)
    url = f"/performances/programmes/{programme.id}/edit"
    panel = two_sessions(
        client,
        second,
        url,
        {"organiser_ids": [str(organiser.id), str(other.id)]},
        {"description": "Mine"},
        labels=["Responsible organisers", "Organiser One, Organiser Two"],
    )
    assert "Description" in panel


def _post_stale_with_stale_data_error(client, monkeypatch, url, data, where):
    """Make the service's flush raise StaleDataError, as when another process updated the
    row between the version check and the UPDATE."""

    def stale(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table expected to update 1 row(s); 0 matched")

    monkeypatch.setattr(where[0], where[1], stale)
    return client.post(url, data=data)


def test_stale_data_error_on_a_performance_is_a_409(
    client, login_as, organiser, make_performance, monkeypatch
):
    from app.performances import services

    performance = make_performance(title="Village tour")
    login_as(user=organiser)
    url = f"/performances/{performance.id}/edit"
    controls = read_form(client.get(url).get_data(as_text=True), url)
    data = {name: c.values for name, c in controls.items()}
    data["title"] = ["Mine"]
    response = _post_stale_with_stale_data_error(
        client, monkeypatch, url, data, (services, "save_performance")
    )
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Your version and the saved version" in text
    assert 'value="Mine"' in text


def test_stale_data_error_on_a_programme_is_a_409(
    client, login_as, organiser, make_programme, monkeypatch
):
    from app.performances import services

    programme = make_programme(name="Six Into")
    login_as(user=organiser)
    url = f"/performances/programmes/{programme.id}/edit"
    controls = read_form(client.get(url).get_data(as_text=True), url)
    data = {name: c.values for name, c in controls.items()}
    data["description"] = ["Mine"]
    response = _post_stale_with_stale_data_error(
        client, monkeypatch, url, data, (services, "update_programme")
    )
    assert response.status_code == 409
    assert "Mine" in response.get_data(as_text=True)


def test_stale_data_error_on_a_troupe_is_a_409(
    client, login_as, organiser, make_troupe, monkeypatch
):
    from app.performances import services

    troupe = make_troupe(name="Arts troupe")
    login_as(user=organiser)
    url = f"/performances/troupes/{troupe.id}/edit"
    controls = read_form(client.get(url).get_data(as_text=True), url)
    data = {name: c.values for name, c in controls.items()}
    data["notes"] = ["Mine"]
    response = _post_stale_with_stale_data_error(
        client, monkeypatch, url, data, (services, "update_troupe")
    )
    assert response.status_code == 409
    assert "Mine" in response.get_data(as_text=True)


# An accepted clash stays accepted (issue 19 item 14) ----------------------------------------


def _edit_data(client, url, **changes):
    controls = read_form(client.get(url).get_data(as_text=True), url)
    data = {name: c.values for name, c in controls.items()}
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return data


def test_an_accepted_clash_is_not_asked_again_for_other_edits(
    client, login_as, organiser, make_performance
):
    make_performance(at(3, 14), at(3, 16), title="Earlier booking")
    second = make_performance(
        at(3, 15), at(3, 17), title="Second show", override_reason="Two stages"
    )
    login_as(user=organiser)
    url = f"/performances/{second.id}/edit"
    # Notes only: the clash was accepted for this time, venue and people.
    response = client.post(url, data=_edit_data(client, url, notes="Bring the banner"))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Performance, second.id).notes == "Bring the banner"
    assert db.session.scalar(sa.select(sa.func.count(ClashOverride.id))) == 1
    # A new time that still clashes asks again.
    response = client.post(url, data=_edit_data(client, url, start_time="15:30"))
    assert response.status_code == 422
    assert "Clash with Earlier booking" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Performance, second.id).starts_at == at(3, 15)


def test_an_accepted_clash_is_asked_again_when_the_people_change(
    make_performance, make_venue, make_person
):
    import pytest

    from app.performances import services

    person, other = make_person(), make_person()
    make_performance(at(3, 14), at(3, 16), venue=make_venue(), people=[(person, "performer")])
    mine = make_performance(
        at(3, 15),
        at(3, 17),
        venue=make_venue(),
        people=[(person, "performer")],
        override_reason="She can do both",
    )
    data = services_data(mine)
    # Same time, venue and people: accepted.
    services.save_performance(mine, data, version=mine.version)
    db.session.commit()
    # Another person added: the clash set is the same, but the people changed: asked again.
    data = services_data(mine)
    data["people"].append({"person_id": other.id, "role": "driver", "uses_wheelchair": False})
    with pytest.raises(services.ClashError):
        services.save_performance(mine, data, version=mine.version)
    db.session.rollback()


def services_data(performance) -> dict:
    return {
        "title": performance.title,
        "programme_id": performance.programme_id,
        "troupe_id": performance.troupe_id,
        "setting": performance.setting.value,
        "venue_id": performance.venue_id,
        "starts_at": performance.starts_at,
        "ends_at": performance.ends_at,
        "status": performance.status.value,
        "is_public": performance.is_public,
        "needs": [n.value for n in performance.need_set],
        "notes": performance.notes,
        "people": [
            {"person_id": p.person_id, "role": p.role.value, "uses_wheelchair": p.uses_wheelchair}
            for p in performance.people
            if p.person_id is not None
        ],
    }
