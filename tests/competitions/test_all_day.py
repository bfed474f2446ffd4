"""Issue 19 item 10: an event with a day and no start time is an all-day item on the page,
in the API (``all_day``) and in the .ics (DTSTART;VALUE=DATE, DTEND the next day), not a
00:00 event; its edit form does not refill 00:00, so clearing the day works; an end time
needs a start time."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.competitions.models import CompetitionEvent
from app.extensions import db


@pytest.fixture
def scene(make_user, make_competition, sports):
    manager = make_user("coach")
    competition = make_competition(
        name="Spring Games",
        start_on=date(2027, 5, 1),
        end_on=date(2027, 5, 3),
        manager_id=manager.id,
    )
    return {"manager": manager, "competition": competition, "sports": sports}


def event_data(scene, **overrides):
    data = {
        "name": "女子个人反曲弓",
        "sport_id": str(scene["sports"]["archery"].id),
        "gender": "women",
        "day-year": "2027",
        "day-month": "5",
        "day-day": "2",
    }
    data.update(overrides)
    return data


def the_event() -> CompetitionEvent:
    db.session.expire_all()
    return db.session.scalar(sa.select(CompetitionEvent))


def test_a_day_without_times_is_all_day_and_clearing_it_works(client, login_as, scene):
    login_as(user=scene["manager"])
    competition = scene["competition"]
    url = f"/competitions/{competition.id}/events/new"
    assert client.post(url, data=event_data(scene)).status_code == 303
    event = the_event()
    assert (event.all_day, event.starts_at, event.ends_at) == (
        True,
        datetime(2027, 5, 1, 16, 0, tzinfo=UTC),  # 2 May 00:00 in Beijing
        None,
    )
    page = client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    assert "2027-05-02 (all day)" in page
    assert "00:00" not in page
    edit_url = f"/competitions/events/{event.id}/edit"
    form = client.get(edit_url).get_data(as_text=True)
    assert 'name="start_time" type="text" value=""' in form
    assert 'name="end_time" type="text" value=""' in form
    # Clearing the day: the event has no schedule any more.
    cleared = {k: v for k, v in event_data(scene).items() if not k.startswith("day-")}
    assert client.post(edit_url, data=dict(cleared, version="1")).status_code == 303
    event = the_event()
    assert (event.all_day, event.starts_at, event.ends_at, event.version) == (False, None, None, 2)
    # A time makes it a timed event again.
    timed = event_data(scene, start_time="09:30", version="2")
    assert client.post(edit_url, data=timed).status_code == 303
    event = the_event()
    assert (event.all_day, event.starts_at) == (False, datetime(2027, 5, 2, 1, 30, tzinfo=UTC))


def test_an_end_time_needs_a_start_time(client, login_as, scene):
    login_as(user=scene["manager"])
    url = f"/competitions/{scene['competition'].id}/events/new"
    response = client.post(url, data=event_data(scene, end_time="11:00"))
    assert response.status_code == 422
    assert "Enter the start time to give the event an end time." in response.get_data(as_text=True)
    assert the_event() is None


@pytest.fixture
def all_day_event(scene, make_event):
    from app.core import clock

    return make_event(
        scene["competition"],
        name="Archery all day",
        starts_at=clock.local_instant(date(2027, 5, 2), datetime.min.time()),
        all_day=True,
    )


def test_the_api_says_all_day(client, scene, all_day_event, make_event):
    from app.core import clock

    make_event(
        scene["competition"],
        name="Timed",
        starts_at=clock.local_instant(date(2027, 5, 3), datetime(1, 1, 1, 9, 0).time()),
    )
    body = client.get("/api/v1/schedule?from=2027-05-01&to=2027-05-05").get_json()
    items = {item["title"]: item for item in body["items"]}
    assert (
        items["Archery all day"]["all_day"],
        items["Archery all day"]["start"],
        items["Archery all day"]["end"],
    ) == (True, "2027-05-02T00:00:00+08:00", "2027-05-03T00:00:00+08:00")
    assert (items["Timed"]["all_day"], items["Timed"]["start"]) == (
        False,
        "2027-05-03T09:00:00+08:00",
    )


def test_the_ics_has_a_date_event(client, all_day_event):
    response = client.get(f"/calendar/event/competition_event/{all_day_event.id}.ics")
    assert response.status_code == 200
    body = response.data.decode()
    assert "DTSTART;VALUE=DATE:20270502\r\n" in body
    assert "DTEND;VALUE=DATE:20270503\r\n" in body
    assert "DTSTART;TZID" not in body
