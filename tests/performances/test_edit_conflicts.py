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
    # The conflict section alone (two_sessions answers it, or the whole main on older copies).
    start = panel.find('<section class="conflict"')
    table = panel[start : panel.find("</section>", start)] if start >= 0 else panel
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


def test_stale_data_error_on_removing_a_photo_or_member_is_no_500(
    client, login_as, organiser, make_performance, make_person, make_troupe, monkeypatch
):
    """A photo or member removed by someone else at the same moment (the DELETE matches no
    row): a clear message on the page, never a 500."""
    from app.performances import photos, services
    from app.performances.models import PerformancePhoto

    performance = make_performance()
    photo = PerformancePhoto(
        performance_id=performance.id,
        stored_name="gone.jpg",
        content_type="image/jpeg",
        width=1,
        height=1,
        size_bytes=1,
        alt_text="Singers",
    )
    db.session.add(photo)
    person = make_person()
    troupe = make_troupe(members=[(person, "performer")])
    member_id = troupe.members[0].id
    db.session.commit()

    def stale(*args, **kwargs):
        raise StaleDataError("DELETE statement on table expected to delete 1 row(s); 0 matched")

    monkeypatch.setattr(photos, "delete_photo", stale)
    monkeypatch.setattr(services, "remove_member", stale)
    login_as(user=organiser)
    removed = client.post(f"/performances/photos/{photo.id}/delete", data={"confirmed": "yes"})
    assert removed.status_code == 303
    url = f"/performances/troupes/{troupe.id}/members/{member_id}/remove"
    removed = client.post(url, data={"confirmed": "yes"})
    assert removed.status_code == 303
    page = client.get(removed.headers["Location"]).get_data(as_text=True)
    assert "Someone else changed the troupe at the same moment" in page
