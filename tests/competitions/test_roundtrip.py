"""The round trip of the competitions' edit forms (tests/roundtrip.py): every field changed at
once, Chinese with full-width punctuation kept, reopened as typed; two sessions: the second's
409 panel names every field the first changed, many-valued ones included (issue 19 item 3)."""

from __future__ import annotations

from datetime import date

from app.competitions.models import Competition, CompetitionEvent
from app.extensions import db
from tests.roundtrip import CHINESE, round_trip, sign_in, two_sessions


def test_competition_edit_round_trip_and_two_sessions(
    app, client, login_as, make_competition, make_user, sports
):
    login_as("admin")
    competition = make_competition()
    url = f"/competitions/{competition.id}/edit"
    round_trip(
        client,
        url,
        {
            "name": "世界残疾人射箭锦标赛（北京）",
            "level": "international",
            "series": "锦标赛，世界",
            "edition": "3",
            "host_city": "北京",
            "delegation": "浙江队（宁波）",
            "start_on-year": "2019",
            "start_on-month": "6",
            "start_on-day": "2",
            "end_on-year": "2019",
            "end_on-month": "6",
            "end_on-day": "9",
            "status": "finished",
            "sport_ids": [str(sports["archery"].id), str(sports["swimming"].id)],
            "notes": CHINESE,
        },
    )
    db.session.expire_all()
    stored = db.session.get(Competition, competition.id)
    assert (stored.name, stored.start_on, stored.notes) == (
        "世界残疾人射箭锦标赛（北京）",
        date(2019, 6, 2),
        CHINESE,
    )
    second = app.test_client()
    sign_in(second, make_user("admin"))
    two_sessions(
        client,
        second,
        url,
        {"sport_ids": [str(sports["swimming"].id)], "level": "national", "end_on-day": "8"},
        {"notes": "成绩已核对。"},
    )


def test_event_edit_round_trip_and_two_sessions(
    app, client, login_as, make_competition, make_event, make_user, sports
):
    login_as("admin")
    event = make_event(make_competition())
    url = f"/competitions/events/{event.id}/edit"
    round_trip(
        client,
        url,
        {
            "name": "女子个人反曲弓（公开级）",
            "sport_id": str(sports["swimming"].id),
            "gender": "mixed",
            "sport_class": "S10",
            "is_team": ["y"],
            "day-year": "2018",
            "day-month": "5",
            "day-day": "3",
            "start_time": "09:30",
            "end_time": "11:45",
        },
    )
    db.session.expire_all()
    assert db.session.get(CompetitionEvent, event.id).name == "女子个人反曲弓（公开级）"
    second = app.test_client()
    sign_in(second, make_user("admin"))
    two_sessions(
        client,
        second,
        url,
        {"gender": "women", "is_team": [], "start_time": "10:00"},
        {"sport_class": "S9"},
    )
