"""GET /api/v1/medals and /api/v1/openapi.json."""

from datetime import date

import pytest


@pytest.fixture
def two_years(make_competition, make_event, make_athlete, enter):
    a1, a2 = make_athlete(), make_athlete()
    provincial = make_competition(name="Provincial", level="provincial", start_on=date(2018, 9, 1))
    event = make_event(provincial)
    enter(event, a1, medal="gold")
    enter(event, a2, medal="bronze")
    team = make_event(provincial, name="Team", is_team=True)
    enter(team, a1, a2, medal="silver", team_name="Ningbo")
    world = make_competition(name="World", level="international", start_on=date(2019, 6, 1))
    enter(make_event(world, sport="swimming", name="100 m"), a1, medal="gold")
    return provincial, world


def test_medals_in_a_period(client, two_years, count_queries):
    provincial, world = two_years
    with count_queries() as q:
        response = client.get("/api/v1/medals?from=2018-01-01&to=2019-12-31")
    assert response.status_code == 200
    assert q.count == 1
    assert response.get_json() == {
        "from": "2018-01-01",
        "to": "2019-12-31",
        "gold": 2,
        "silver": 1,
        "bronze": 1,
        "total": 4,
        "by_year_level": [
            {"year": 2018, "level": "provincial", "gold": 1, "silver": 1, "bronze": 1},
            {"year": 2019, "level": "international", "gold": 1, "silver": 0, "bronze": 0},
        ],
        "competitions": [
            {
                "id": provincial.id,
                "name": "Provincial",
                "level": "provincial",
                "year": 2018,
                "gold": 1,
                "silver": 1,
                "bronze": 1,
            },
            {
                "id": world.id,
                "name": "World",
                "level": "international",
                "year": 2019,
                "gold": 1,
                "silver": 0,
                "bronze": 0,
            },
        ],
        "next_cursor": None,
    }


def test_level_and_sport_filters(client, two_years):
    body = client.get("/api/v1/medals?from=2018-01-01&to=2019-12-31&level=provincial").get_json()
    assert (body["gold"], body["silver"], body["bronze"]) == (1, 1, 1)
    body = client.get("/api/v1/medals?from=2018-01-01&to=2019-12-31&sport=swimming").get_json()
    assert (body["gold"], body["total"], len(body["competitions"])) == (1, 1, 1)


@pytest.mark.parametrize(
    ("query", "parameter", "error"),
    [
        ("from=&to=2019-12-31", "from", "'from' must be a date as YYYY-MM-DD."),
        ("from=2018-13-01&to=2019-12-31", "from", "'from' must be a date as YYYY-MM-DD."),
        ("from=2018-1-1&to=2019-12-31", "from", "'from' must be a date as YYYY-MM-DD."),
        ("from=2019-01-01&to=2018-12-31", "to", "'to' must be on or after 'from'."),
        (
            "from=2018-01-01&to=2019-12-31&level=galactic",
            "level",
            "'level' must be one of: international, national, provincial, city, district.",
        ),
        (
            "from=2018-01-01&to=2019-12-31&sport=Quidditch!",
            "sport",
            "'sport' must be a sport code, e.g. archery.",
        ),
        (
            "level=",
            "level",
            "'level' must be one of: international, national, provincial, city, district.",
        ),
        ("sport=", "sport", "'sport' must be a sport code, e.g. archery."),
        ("from=2018-01-01&to=2019-12-31&colour=gold", "colour", "Unknown parameter 'colour'."),
        ("limit=0", "limit", "'limit' must be a whole number from 1 to 100."),
        ("limit=101", "limit", "'limit' must be a whole number from 1 to 100."),
        ("cursor=bm90IGpzb24", "cursor", "'cursor' must be a next_cursor given by this API."),
        # Well-formed JSON, but not a position this API gave: [0] and ["1"].
        ("cursor=WzBd", "cursor", "'cursor' must be a next_cursor given by this API."),
        ("cursor=WyIxIl0", "cursor", "'cursor' must be a next_cursor given by this API."),
    ],
)
def test_malformed_parameters_are_400_json(client, sports, query, parameter, error):
    response = client.get(f"/api/v1/medals?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": error,
        "parameter": parameter,
    }


def test_unknown_sport_code_is_404_json(client, sports):
    response = client.get("/api/v1/medals?sport=quidditch")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "No sport has the code 'quidditch'.",
        "parameter": "sport",
    }


def test_period_defaults_to_the_whole_ledger(client, two_years):
    body = client.get("/api/v1/medals").get_json()
    assert (body["from"], body["total"]) == ("1900-01-01", 4)
    assert client.get("/api/v1/medals?to=2018-12-31").get_json()["total"] == 3


def test_openapi_describes_medals(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"] == "3.1.0"
    operation = doc["paths"]["/medals"]["get"]
    assert [p["name"] for p in operation["parameters"]] == [
        "from",
        "to",
        "level",
        "sport",
        "limit",
        "cursor",
    ]
    assert sorted(operation["responses"]) == ["200", "400", "404"]
    assert doc["components"]["schemas"]["Medals"]["required"] == [
        "from",
        "to",
        "gold",
        "silver",
        "bronze",
        "total",
        "by_year_level",
        "competitions",
        "next_cursor",
    ]


def test_competitions_come_a_page_at_a_time_totals_whole(
    client, make_competition, enter, make_event, make_athlete
):
    athlete = make_athlete()
    ids = []
    for n in range(5):
        competition = make_competition(
            name=f"Games {n}", start_on=date(2018, 1 + n, 1), end_on=date(2018, 1 + n, 2)
        )
        enter(make_event(competition), athlete, medal="gold")
        ids.append(competition.id)
    seen, cursor, pages = [], None, 0
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(f"/api/v1/medals?{query}").get_json()
        pages += 1
        assert (body["gold"], body["total"]) == (5, 5)  # every page: the whole period
        assert body["by_year_level"] == [
            {"year": 2018, "level": "national", "gold": 5, "silver": 0, "bronze": 0}
        ]
        seen += [c["id"] for c in body["competitions"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == ids  # in order of their first day, none twice, none missed
    assert len(client.get("/api/v1/medals").get_json()["competitions"]) == 5
