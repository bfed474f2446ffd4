"""GET /api/v1/schedule, /api/v1/venues and the problem+json errors of /api/v1."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.extensions import db
from tests.performances.conftest import at

WINDOW = "from=2026-12-07&to=2026-12-20"


@pytest.fixture
def world(
    app, make_venue, make_competition, make_event, make_performance, make_home, make_activity
):
    from app.core.reference import ensure_towns
    from app.homes import services as home_services

    towns = ensure_towns(db.session)
    hall = make_venue(
        name="Hall", address="1 Hall Road", features=["accessible_toilet", "step_free_entrance"]
    )
    pool = make_venue(name="Pool", town=towns[1].name, features=[])
    games = make_competition(name="Winter Games", start_on=date(2026, 12, 9), venue_id=hall.id)
    event = make_event(games, name="Archery open", starts_at=at(10, 9), ends_at=at(10, 11))
    make_event(games, name="No time yet")
    away = make_event(games, name="Swim 50m", starts_at=at(11, 9), venue_id=pool.id)
    called_off = make_competition(name="Off", start_on=date(2026, 12, 9), status="cancelled")
    make_event(called_off, name="Never", starts_at=at(10, 15))
    show = make_performance(at(12, 14), at(12, 16), venue=hall, title="Winter tour")
    make_performance(at(13, 14), at(13, 16), venue=hall, title="Closed show", is_public=False)
    make_performance(at(13, 18), at(13, 20), venue=hall, title="Maybe", status="planned")
    home = make_home(name="Sunny home", venue=pool)
    activity = make_activity(home, title="Morning exercise", weekdays=(0,))  # Mondays 09-11
    make_activity(home, title="Members only", weekdays=(1,), is_public=False)
    home_services.cancel_occurrence(activity, at(14, 9), "Holiday")
    db.session.commit()
    return {
        "hall": hall,
        "pool": pool,
        "event": event,
        "away": away,
        "show": show,
        "activity": activity,
        "games": games,
        "towns": towns,
    }


def get(client, query):
    response = client.get(f"/api/v1/schedule?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_public_events_of_each_kind_in_order_with_exact_fields(client, world):
    body = get(client, WINDOW)
    assert (body["from"], body["to"], body["next_cursor"]) == ("2026-12-07", "2026-12-20", None)
    a = world["activity"]
    assert [i["id"] for i in body["items"]] == [
        f"activity:{a.id}:20261207T010000Z",
        f"competition:{world['event'].id}",
        f"competition:{world['away'].id}",
        f"performance:{world['show'].id}",
    ]
    first, event, away, show = body["items"]
    hall = world["hall"]
    assert event == {
        "id": f"competition:{world['event'].id}",
        "kind": "competition",
        "title": "Archery open",
        "part_of": "Winter Games",
        "start": "2026-12-10T09:00:00+08:00",
        "end": "2026-12-10T11:00:00+08:00",
        "all_day": False,
        "venue": {
            "id": hall.id,
            "name": "Hall",
            "town": {"id": hall.town_id, "name": "锦屏街道", "name_en": hall.town.name_en},
            "address": "1 Hall Road",
            "accessibility": ["step_free_entrance", "accessible_toilet"],
        },
        "url": f"http://localhost/competitions/{world['games'].id}",
    }
    assert (away["venue"]["name"], away["end"]) == ("Pool", None)
    assert (show["title"], show["start"], show["end"]) == (
        "Winter tour",
        "2026-12-12T14:00:00+08:00",
        "2026-12-12T16:00:00+08:00",
    )
    assert (first["title"], first["part_of"], first["venue"]["name"]) == (
        "Morning exercise",
        "Sunny home",
        "Pool",
    )
    assert first["url"].endswith(f"/homes/activities/{a.id}/sessions/20261207T010000Z")


def test_cancelled_private_planned_and_untimed_events_are_left_out(client, world):
    titles = {i["title"] for i in get(client, "from=2026-12-01&to=2026-12-31")["items"]}
    assert not titles & {"Never", "Closed show", "Maybe", "No time yet", "Members only"}
    starts = [
        i["start"] for i in get(client, "from=2026-12-01&to=2026-12-31&kind=activity")["items"]
    ]
    assert "2026-12-14T09:00:00+08:00" not in starts  # the cancelled session
    assert starts == [f"2026-12-{d:02d}T09:00:00+08:00" for d in (7, 21, 28)]


def test_no_person_names_in_the_schedule(client, world, make_person):
    text = client.get(f"/api/v1/schedule?{WINDOW}").get_data(as_text=True)
    assert "Organiser One" not in text and "测试人员" not in text


def test_kind_and_town_filters(client, world):
    kinds = {i["kind"] for i in get(client, f"{WINDOW}&kind=performance")["items"]}
    assert kinds == {"performance"}
    pool_town = world["pool"].town_id
    ids = [i["id"] for i in get(client, f"{WINDOW}&town={pool_town}")["items"]]
    assert ids == [
        f"activity:{world['activity'].id}:20261207T010000Z",
        f"competition:{world['away'].id}",
    ]
    assert get(client, f"{WINDOW}&town=999999")["items"] == []


def test_cursor_pages_walk_every_item_once_in_order(client, world):
    whole = [i["id"] for i in get(client, "from=2026-12-01&to=2026-12-31")["items"]]
    assert len(whole) == 6
    seen, cursor = [], None
    for _ in range(10):
        query = "from=2026-12-01&to=2026-12-31&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = get(client, query)
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == whole


def test_default_window_starts_today(client, world):
    body = get(client, "")
    from app.core import clock

    assert body["from"] == clock.today().isoformat()


def test_query_count_does_not_grow_with_events(client, world, count_queries, make_performance):
    with count_queries() as small:
        get(client, "from=2026-12-01&to=2026-12-31")
    for day in range(15, 28):
        make_performance(at(day, 10), at(day, 11), venue=world["hall"], title=f"Show {day}")
    with count_queries() as large:
        body = get(client, "from=2026-12-01&to=2026-12-31")
    assert len(body["items"]) == 6 + 13
    assert large.count == small.count == 7


@pytest.mark.parametrize(
    ("query", "parameter", "detail"),
    [
        ("limit=0", "limit", "'limit' must be a whole number from 1 to 100."),
        ("limit=101", "limit", "'limit' must be a whole number from 1 to 100."),
        ("kind=party", "kind", "'kind' must be one of: competition, performance, activity."),
        ("cursor=abc", "cursor", "'cursor' must be a next_cursor given by this API."),
        ("cursor=WzFd", "cursor", "'cursor' must be a next_cursor given by this API."),
        ("town=x", "town", "'town' must be a whole number from 1 to 2147483647."),
        ("from=2026-1-1", "from", "'from' must be a date as YYYY-MM-DD."),
        ("from=2026-12-02&to=2026-12-01", "to", "'to' must be on or after 'from'."),
        ("from=2026-01-01&to=2027-01-02", "to", "'to' must be less than 366 days after 'from'."),
        ("colour=red", "colour", "Unknown parameter 'colour'."),
    ],
)
def test_bad_parameters_are_400_problems(client, query, parameter, detail):
    response = client.get(f"/api/v1/schedule?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": detail,
        "parameter": parameter,
    }


def test_extreme_dates_answer_empty_not_500(client):
    for query in ("from=0001-01-01&to=0001-12-31", "from=9999-01-01&to=9999-12-31"):
        assert get(client, query)["items"] == []


def test_schedule_service_without_http(app, world):
    from app.api.schedule import Query, schedule

    with app.test_request_context():
        items, venues, last = schedule(Query(date(2026, 12, 7), date(2026, 12, 20), limit=3))
    assert [i.position.kind for i in items] == ["activity", "competition", "competition"]
    assert last == items[-1].position
    assert set(venues) == {world["hall"].id, world["pool"].id}
    assert items[0].position.start == datetime.fromisoformat("2026-12-07T01:00:00+00:00")


# --- venues -----------------------------------------------------------------------------


def test_venues_lists_venues_in_use_with_features(client, make_venue, count_queries):
    from app.venues import services

    hall = make_venue(name="Hall", features=["lift", "step_free_entrance"], capacity=80)
    old = make_venue(name="Old")
    services.archive_venue(old)
    db.session.commit()
    with count_queries() as q:
        body = client.get("/api/v1/venues").get_json()
    assert q.count == 2
    assert [v["name"] for v in body["venues"]] == ["Hall"]
    assert body["venues"][0] | {"town": None} == {
        "id": hall.id,
        "name": "Hall",
        "town": None,
        "address": "测试路 1 号",
        "accessibility": ["step_free_entrance", "lift"],
        "kind": "sports_venue",
        "capacity": 80,
        "latitude": None,
        "longitude": None,
    }
    assert client.get("/api/v1/venues?feature=lift").get_json()["venues"][0]["id"] == hall.id
    assert client.get("/api/v1/venues?feature=hearing_loop").get_json()["venues"] == []
    assert client.get(f"/api/v1/venues/{hall.id}").get_json()["name"] == "Hall"
    missing = client.get(f"/api/v1/venues/{old.id}")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert missing.get_json()["detail"] == f"No venue has the id {old.id}."


def test_venues_bad_parameter(client):
    response = client.get("/api/v1/venues?feature=moat")
    assert response.status_code == 400 and response.get_json()["parameter"] == "feature"


# --- errors across /api/v1 ----------------------------------------------------------------


def test_unknown_route_and_wrong_method_are_problems(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert response.get_json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "No such resource under /api/v1.",
    }
    response = client.post("/api/v1/schedule")
    assert response.status_code == 405 and response.mimetype == "application/problem+json"
    assert "GET" in response.headers["Allow"]
    assert response.get_json()["title"] == "Method Not Allowed"
    # Outside the API the HTML error pages stay.
    assert client.get("/no-such-page").mimetype == "text/html"


def test_openapi_states_problem_json_for_every_error(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path in ("/schedule", "/venues", "/venues/{venue_id}", "/medals"):
        assert path in document["paths"]
    errors = 0
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    errors += 1
                    assert list(response["content"]) == ["application/problem+json"], path
    assert errors >= 6
    assert document["components"]["schemas"]["Error"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
    ]


def test_an_unexpected_error_under_the_api_is_a_500_problem(app):
    from app.core.api import http_problem

    with app.test_request_context("/api/v1/schedule"):
        response = http_problem(None)
    assert (response.status_code, response.mimetype) == (500, "application/problem+json")
    assert response.get_json()["title"] == "Internal Server Error"
