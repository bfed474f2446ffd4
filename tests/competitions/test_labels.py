"""Issue 12 item 7 and issue 19 item 19 (competitions): labels tell the truth and a choice
that matters is made by the user. A new competition does not preselect a level, a new event
neither a sport nor who it is for; an entry's athletes are labelled required."""

import re

import sqlalchemy as sa

from app.competitions.models import Competition, CompetitionEvent
from app.extensions import db


def _select(html: str, name: str) -> str:
    return re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)


def _selected(select_html: str) -> list[str]:
    return re.findall(r'<option selected value="([^"]*)"', select_html)


def _label(html: str, field_id: str) -> str:
    return re.search(rf'<label for="{field_id}">(.*?)</label>', html, re.S).group(1)


def test_new_competition_makes_the_user_choose_the_level(client, login_as, sports):
    login_as("coach")
    html = client.get("/competitions/new").get_data(as_text=True)
    assert _selected(_select(html, "level")) == [""]
    assert "(optional)" not in _label(html, "level")
    assert "(optional)" not in _label(html, "status")
    response = client.post(
        "/competitions/new",
        data={
            "name": "Games without a level",
            "start_on-year": "2027",
            "start_on-month": "5",
            "start_on-day": "1",
            "status": "planned",
        },
    )
    assert response.status_code == 422
    assert "Choose the competition&#39;s level." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Competition.id))) == 0


def test_new_event_makes_the_user_choose_sport_and_gender(
    client, login_as, make_user, make_competition
):
    manager = make_user("coach")
    competition = make_competition(manager_id=manager.id)
    login_as(user=manager)
    url = f"/competitions/{competition.id}/events/new"
    html = client.get(url).get_data(as_text=True)
    assert _selected(_select(html, "sport_id")) == [""]
    assert _selected(_select(html, "gender")) == [""]
    assert "(optional)" not in _label(html, "sport_id")
    assert "(optional)" not in _label(html, "gender")
    response = client.post(url, data={"name": "Heats"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose the sport." in page
    assert "Choose who the event is for." in page
    assert db.session.scalar(sa.select(sa.func.count(CompetitionEvent.id))) == 0


def test_entry_athletes_are_labelled_required(
    client, login_as, make_user, make_competition, make_event
):
    manager = make_user("coach")
    event = make_event(make_competition(manager_id=manager.id))
    login_as(user=manager)
    html = client.get(f"/competitions/events/{event.id}/entries/new").get_data(as_text=True)
    legend = re.search(r"<legend>Athlete(.*?)</legend>", html, re.S).group(1)  # one: individual
    assert "(optional)" not in legend
    response = client.post(
        f"/competitions/events/{event.id}/entries/new", data={"status": "nominated"}
    )
    assert response.status_code == 422
    assert "Choose the athletes of the entry." in response.get_data(as_text=True)
