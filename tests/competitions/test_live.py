"""Live results for the public (issue 17): the page and the API show provisional results as
such, name only athletes who consented to publication ("athlete of <delegation>" otherwise),
answer 304 from one query when nothing changed and 200 after a change, and run a fixed
number of queries whatever the data."""

import pytest

from app.competitions import official, services
from app.extensions import db
from app.people import services as people_services
from app.people.enums import ConsentKind
from tests.competitions.test_routes import publish


@pytest.fixture
def games(make_user, make_competition, make_event, make_athlete, make_person, enter):
    manager = make_user("coach")
    competition = make_competition(name="City Games", delegation="Fenghua", manager_id=manager.id)
    archery = make_event(competition, name="Recurve women")
    swim = make_event(competition, sport="swimming", name="50 m freestyle")
    named = make_athlete(person=make_person(name="周佳敏"))
    publish(named.person)
    hidden = make_athlete(person=make_person(name="保密运动员"))
    first = enter(archery, named, medal="gold", mark="652", official=False)
    second = enter(archery, hidden, medal="silver", mark="640", official=False)
    waiting = enter(swim, make_athlete(), result=False)
    return {
        "manager": manager,
        "competition": competition,
        "archery": archery,
        "swim": swim,
        "first": first,
        "second": second,
        "waiting": waiting,
        "url": f"/competitions/{competition.id}/live",
        "api": f"/api/v1/competitions/{competition.id}/results",
    }


def test_live_page_marks_provisional_results_and_hides_unconsented_names(client, games):
    response = client.get(games["url"])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Live results: City Games" in html
    assert "Provisional results" in html and html.count("<strong>Provisional</strong>") == 2
    assert "周佳敏" in html
    assert "保密运动员" not in html and "athlete of Fenghua" in html
    assert "1 entry has no result yet." in html
    # Rank order, the refresh link for readers without script, the script as a file.
    assert html.index("Rank 1") < html.index("Rank 2")
    assert f'href="{games["url"]}"' in html and "Refresh the results" in html
    assert 'src="/static/js/live.js"' in html and "<script>" not in html
    assert 'role="status"' in html
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Cache-Control"] == "no-cache"


def test_live_page_after_publishing_says_official(client, games):
    official.publish_results(games["archery"], actor=games["manager"])
    db.session.commit()
    html = client.get(games["url"]).get_data(as_text=True)
    assert "Official results" in html and "<strong>Provisional</strong>" not in html


def test_live_page_answers_304_from_one_query_and_200_after_a_change(client, games, count_queries):
    first = client.get(games["url"])
    tag = first.headers["ETag"]
    with count_queries() as q:
        again = client.get(games["url"], headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert q.count == 1
    entry = games["second"]
    services.save_result(entry, rank=2, mark="641", medal="silver", version=entry.result.version)
    db.session.commit()
    changed = client.get(games["url"], headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != tag
    assert "Mark: 641" in changed.get_data(as_text=True)
    # The region the script fetches has its own tag, which the page hands the script, so the
    # script's first request answers 304 when nothing changed.
    page_html = changed.get_data(as_text=True)
    region_tag = changed.headers["ETag"].strip('"').removesuffix("-page") + "-region"
    assert f'data-etag="{region_tag}"' in page_html
    assert (
        client.get(
            f"{games['url']}/results", headers={"If-None-Match": f'"{region_tag}"'}
        ).status_code
        == 304
    )
    region = client.get(f"{games['url']}/results")
    assert region.status_code == 200 and "<html" not in region.get_data(as_text=True)
    assert (
        client.get(
            f"{games['url']}/results", headers={"If-None-Match": region.headers["ETag"]}
        ).status_code
        == 304
    )


def test_a_withdrawn_consent_changes_the_tag(client, games):
    tag = client.get(games["url"]).headers["ETag"]
    person = games["first"].athletes[0].person
    consent = person.active_consents(ConsentKind.PUBLICATION)[0]
    people_services.withdraw_consent(consent, withdrawn_on=consent.given_on)
    db.session.commit()
    response = client.get(games["url"], headers={"If-None-Match": tag})
    assert response.status_code == 200
    assert "周佳敏" not in response.get_data(as_text=True)


def test_live_page_query_count_does_not_grow(client, games, count_queries, make_athlete, enter):
    with count_queries() as small:
        assert client.get(games["url"]).status_code == 200
    for _ in range(6):
        enter(games["archery"], make_athlete(), mark="600", official=False)
        enter(games["swim"], make_athlete(), mark="31.2", official=False)
    with count_queries() as large:
        assert client.get(games["url"]).status_code == 200
    # The tag, the competition, its events, the entries, their athletes with their people,
    # the people's consents, the results.
    assert small.count == large.count == 7


def test_live_page_of_no_competition_is_404(client):
    assert client.get("/competitions/999999/live").status_code == 404


def test_api_results_with_provisional_marks_hidden_names_and_304(client, games, count_queries):
    response = client.get(games["api"])
    assert response.status_code == 200
    body = response.get_json()
    assert body["competition"]["delegation"] == "Fenghua"
    archery = next(e for e in body["events"] if e["name"] == "Recurve women")
    assert archery["official"] is False and archery["published_at"] is None
    assert [
        (r["rank"], r["athletes"], r["medal"], r["provisional"]) for r in archery["results"]
    ] == [
        (1, [{"name": "周佳敏"}], "gold", True),
        (2, [{"name": None}], "silver", True),
    ]
    assert "保密运动员" not in response.get_data(as_text=True)
    swim = next(e for e in body["events"] if e["name"] == "50 m freestyle")
    assert (swim["results"], swim["waiting"]) == ([], 1)
    tag = response.headers["ETag"]
    with count_queries() as q:
        again = client.get(games["api"], headers={"If-None-Match": tag})
    assert (again.status_code, q.count) == (304, 1)
    official.publish_results(games["archery"], actor=games["manager"])
    db.session.commit()
    after = client.get(games["api"], headers={"If-None-Match": tag})
    assert after.status_code == 200
    archery = next(e for e in after.get_json()["events"] if e["name"] == "Recurve women")
    assert archery["official"] is True
    assert [r["provisional"] for r in archery["results"]] == [False, False]


def test_api_unknown_competition_is_a_404_problem(client):
    response = client.get("/api/v1/competitions/999999/results")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_api_is_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "/competitions/{competition_id}/results" in doc["paths"]
    assert "CompetitionResults" in doc["components"]["schemas"]
