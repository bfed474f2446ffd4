"""The round trip of the performances' edit forms (tests/roundtrip.py): every field changed at
once, Chinese with full-width punctuation kept, reopened as typed; two sessions: the second's
409 panel names every field the first changed, many-valued ones included (issue 19 item 3)."""

from __future__ import annotations

from app.extensions import db
from app.performances.models import Performance, Programme, Troupe
from tests.roundtrip import CHINESE, round_trip, sign_in, two_sessions


def test_performance_edit_round_trip_and_two_sessions(
    app, client, login_as, make_performance, make_person, make_user
):
    login_as("admin")
    singer = make_person(name="林小雨")
    performance = make_performance(people=[(singer, "performer")])
    url = f"/performances/{performance.id}/edit"
    round_trip(
        client,
        url,
        {
            "title": "“阳光同行”助残文艺巡演（江口站）",
            "setting": "school",
            "status": "planned",
            "is_public": [],
            "needs": ["sign_language", "step_free"],
            f"role_{singer.id}": "interpreter",
            "guest_names": "王小明，李华",
            "notes": CHINESE,
        },
    )
    db.session.expire_all()
    stored = db.session.get(Performance, performance.id)
    assert (stored.title, stored.notes, stored.is_public) == (
        "“阳光同行”助残文艺巡演（江口站）",
        CHINESE,
        False,
    )

    second = app.test_client()
    sign_in(second, make_user("admin"))
    two_sessions(
        client,
        second,
        url,
        {
            "needs": ["hearing_loop"],
            f"role_{singer.id}": "performer",
            "wheelchair_ids": [str(singer.id)],
            "guest_names": "赵六",
        },
        {"notes": "复查，良好。"},
    )


def test_programme_and_troupe_edit_round_trip_and_two_sessions(
    app, client, login_as, make_programme, make_troupe, make_user, organiser
):
    login_as("admin")
    other = make_user("organiser", display_name="第二位组织者")
    programme = make_programme()
    url = f"/performances/programmes/{programme.id}/edit"
    round_trip(
        client,
        url,
        {
            "name": "残疾人文化进万家（巡演）",
            "first_year": "2016",
            "last_year": "2027",
            "description": CHINESE,
            "organiser_ids": [str(organiser.id), str(other.id)],
        },
    )
    db.session.expire_all()
    assert db.session.get(Programme, programme.id).description == CHINESE
    second = app.test_client()
    sign_in(second, make_user("admin"))
    two_sessions(
        client,
        second,
        url,
        {"organiser_ids": [str(other.id)], "last_year": "2028"},
        {"description": "年度计划。"},
    )

    troupe = make_troupe()
    url = f"/performances/troupes/{troupe.id}/edit"
    round_trip(client, url, {"name": "奉化区残疾人艺术团（舞蹈队）", "notes": CHINESE})
    db.session.expire_all()
    assert db.session.get(Troupe, troupe.id).name == "奉化区残疾人艺术团（舞蹈队）"
    two_sessions(client, second, url, {"notes": "每周三排练。"}, {"name": "艺术团"})


def test_a_guest_name_too_long_is_refused_with_the_names_kept(client, login_as, make_performance):
    """It was cut to 100 characters without a word (two names on one line, say)."""
    from tests.roundtrip import post_data, read_form

    login_as("admin")
    performance = make_performance()
    url = f"/performances/{performance.id}/edit"
    names = "王小明" + "，李华" * 40  # 123 characters on one line
    data = post_data(read_form(client.get(url).get_data(as_text=True), url), {"guest_names": names})
    response = client.post(url, data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Write each guest&#39;s name on its own line, at most 100 characters." in html
    assert f"{names}</textarea>" in html
    db.session.expire_all()
    assert [p.name for p in db.session.get(Performance, performance.id).people] == []
