"""The round trip of the register's, venues' and accounts' edit forms (tests/roundtrip.py):
every field changed at once to a non-default value (Chinese with full-width punctuation kept
as typed), saved, reopened: the page shows what was typed; two sessions editing different
fields: the second sees the first's change, with both values, in the 409 panel."""

from __future__ import annotations

from app.extensions import db
from app.people.models import Person
from app.venues.models import Venue
from tests.roundtrip import CHINESE, read_form, round_trip, sign_in, two_sessions


def other_option(client, url, name):
    control = read_form(client.get(url).get_data(as_text=True), url)[name]
    return next(o for o in control.options if o and o not in control.values)


def test_venue_edit_round_trip_and_two_sessions(app, client, login_as, make_venue, make_user):
    login_as("admin")
    venue = make_venue(features=["step_free_entrance"])
    url = f"/venues/{venue.id}/edit"
    shown = round_trip(
        client,
        url,
        {
            "name": "江口街道文体中心（二楼）",
            "kind": other_option(client, url, "kind"),
            "town_id": other_option(client, url, "town_id"),
            "address": "江口南路１２号，近地铁站",
            "capacity": "1,200",
            "features": ["accessible_toilet", "sign_language"],
            "notes": CHINESE,
        },
        shown_as={"capacity": "1200"},
    )
    db.session.expire_all()
    stored = db.session.get(Venue, venue.id)
    assert (stored.name, stored.notes, stored.capacity) == (
        "江口街道文体中心（二楼）",
        CHINESE,
        1200,
    )
    assert shown["capacity"] == ["1200"]

    second = app.test_client()
    sign_in(second, make_user("admin"))
    panel = two_sessions(
        client,
        second,
        url,
        {"notes": "电梯在大厅右侧。"},
        {"address": "江口北路８号"},
        labels=["Notes", "电梯在大厅右侧。"],
    )
    assert CHINESE in panel  # the second session's (stale) value, beside the saved one


def test_person_edit_round_trip_and_two_sessions(app, client, login_as, make_person, make_user):
    login_as("admin")
    person = make_person(name="林小雨")
    url = f"/people/{person.id}/edit"
    round_trip(
        client,
        url,
        {
            "name": "欧阳娜娜",
            "name_pinyin": "Ouyang Nana",
            "gender": other_option(client, url, "gender"),
            "town_id": other_option(client, url, "town_id"),
            "phone": "13805740001",
            "address": "锦屏街道人民路８号，３单元",
            "guardian_name": "欧阳建国",
            "guardian_phone": "0574-65012345",
            "notes": CHINESE,
        },
    )
    db.session.expire_all()
    stored = db.session.get(Person, person.id)
    assert (stored.name, stored.address, stored.notes) == (
        "欧阳娜娜",
        "锦屏街道人民路８号，３单元",
        CHINESE,
    )
    second = app.test_client()
    sign_in(second, make_user("admin"))
    two_sessions(
        client,
        second,
        url,
        {"phone": "13905740002"},
        {"notes": "复查，良好。"},
        labels=["Phone number", "13905740002"],
    )


def test_user_edit_round_trip_and_two_sessions(app, client, login_as, make_user, make_person):
    login_as("admin")
    user = make_user("coach", display_name="王教练")
    url = f"/admin/users/{user.id}/edit"
    person = make_person(name="王建华")
    round_trip(
        client,
        url,
        {
            "display_name": "王教练（游泳）",
            "roles": ["coach", "organiser"],
            "language": other_option(client, url, "language"),
            "person_id": str(person.id),
        },
    )
    second = app.test_client()
    sign_in(second, make_user("admin"))
    two_sessions(
        client,
        second,
        url,
        {"display_name": "王老师"},
        {"roles": ["coach"]},
        labels=["王老师"],
    )
