"""The round trip of the homes' edit forms (tests/roundtrip.py): every field changed at once,
Chinese with full-width punctuation kept, reopened as typed; two sessions: the second's 409
panel names every field the first changed, many-valued ones included (issue 19 item 3)."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.homes.models import Activity, Home
from tests.roundtrip import CHINESE, round_trip, sign_in, two_sessions


def test_home_edit_round_trip_and_two_sessions(
    app, client, login_as, make_home, make_user, make_venue
):
    login_as("admin")
    first_staff, second_staff = make_user("home_staff"), make_user("home_staff")
    home = make_home(staff=[first_staff])
    first_venue_id = home.venue_id
    other_venue = make_venue(kind="sunshine_home", name="江口阳光家园活动室")
    url = f"/homes/{home.id}/edit"
    round_trip(
        client,
        url,
        {
            "name": "江口街道阳光家园（二期）",
            "kind": "work_therapy",
            "address": "江口南路１２号，３楼",
            "venue_id": str(other_venue.id),
            "operator": "奉化区残联，江口街道",
            "capacity": "80",
            "opened_on-year": "2019",
            "opened_on-month": "5",
            "opened_on-day": "20",
            "contact": "王老师，13805740001",
            "services": ["sheltered_employment"],
            "staff": [str(second_staff.id)],
        },
    )
    db.session.expire_all()
    stored = db.session.get(Home, home.id)
    assert (stored.name, stored.kind.value, stored.venue_id, stored.opened_on) == (
        "江口街道阳光家园（二期）",
        "work_therapy",
        other_venue.id,
        date(2019, 5, 20),
    )

    second = app.test_client()
    sign_in(second, make_user("admin"))
    two_sessions(
        client,
        second,
        url,
        {
            "kind": "sunshine_home",
            "venue_id": str(first_venue_id),
            "opened_on-year": "2020",
            "services": ["day_care", "rehab_recreation"],
            "staff": [str(first_staff.id), str(second_staff.id)],
        },
        {"contact": CHINESE},
    )


def test_activity_edit_round_trip_and_two_sessions(
    app, client, login_as, make_home, make_activity, make_user, make_venue
):
    login_as("admin")
    home = make_home()
    activity = make_activity(home)
    other_venue = make_venue(kind="sunshine_home", name="锦屏活动中心")
    url = f"/homes/activities/{activity.id}/edit"
    round_trip(
        client,
        url,
        {
            "title": "康复训练（上午班）",
            "kind": "recreation",
            "venue_id": str(other_venue.id),
            "capacity": "30",
            "is_public": [],
            "description": CHINESE,
        },
    )
    db.session.expire_all()
    stored = db.session.get(Activity, activity.id)
    assert (stored.title, stored.description, stored.is_public, stored.capacity) == (
        "康复训练（上午班）",
        CHINESE,
        False,
        30,
    )

    second = app.test_client()
    sign_in(second, make_user("admin"))
    two_sessions(
        client,
        second,
        url,
        {"is_public": ["y"], "until_on-month": "2", "until_on-day": "28", "kind": "craft_work"},
        {"description": "复查，良好。"},
    )
