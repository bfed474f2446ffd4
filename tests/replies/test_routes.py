"""The public reply page: what it shows, answering, changing, refusals in the reader's
language, the rate limit and CSRF."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from app.extensions import db, limiter
from app.replies import links
from app.replies.enums import Answer
from app.replies.models import Reply
from tests.replies.conftest import at


@pytest.fixture
def booked(make_person, make_performance):
    performer = make_person(name="张小明")
    performance = make_performance(people=[(performer, "performer")])
    return performance, performer


def _path(app, person_id, kind, subject_id, start) -> str:
    with app.test_request_context():
        return urlsplit(links.reply_url(person_id, kind, subject_id, start)).path


def _replies():
    db.session.expire_all()
    return [
        (r.person_id, r.answer, r.reason, r.version)
        for r in db.session.scalars(sa.select(Reply).order_by(Reply.id))
    ]


def test_the_page_shows_what_when_where_and_the_given_name_only(app, client, booked):
    performance, performer = booked
    page = client.get(_path(app, performer.id, "performance", performance.id, at(3, 14)))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Will you come?" in html
    assert "Spring tour" in html
    assert "<dd>Thu 2026-12-03 14:00–16:00</dd>" in html  # the date once
    assert "小明" in html and "张小明" not in html
    assert "No answer yet." in html
    assert page.headers["Cache-Control"].startswith("no-store")


def test_answer_cannot_come_with_a_reason_then_change_it(app, client, booked):
    performance, performer = booked
    path = _path(app, performer.id, "performance", performance.id, at(3, 14))
    form = {"person_id": performer.id, "answer": "not_coming", "reason": "Clinic visit"}
    response = client.post(path, data=form)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(path + "#answers")
    assert _replies() == [(performer.id, Answer.NOT_COMING, "Clinic visit", 1)]
    html = client.get(path).get_data(as_text=True)
    assert "Answer saved: cannot come. Reason: Clinic visit" in html
    assert "Your answer has been saved." in html
    # The same choice again: stored once.
    client.post(path, data=form)
    assert _replies() == [(performer.id, Answer.NOT_COMING, "Clinic visit", 1)]
    assert "Your answer was already saved." in client.get(path).get_data(as_text=True)
    # Changed: the same row, version 2.
    client.post(path, data={"person_id": performer.id, "answer": "coming"})
    assert _replies() == [(performer.id, Answer.COMING, "", 2)]
    assert "Answer saved: will come." in client.get(path).get_data(as_text=True)


def test_no_choice_is_refused_with_the_reason_kept(app, client, booked):
    performance, performer = booked
    path = _path(app, performer.id, "performance", performance.id, at(3, 14))
    response = client.post(path, data={"person_id": performer.id, "reason": "kept text"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choose whether you will come." in html
    assert 'value="kept text"' in html
    assert _replies() == []


def test_answering_for_someone_else_is_refused(app, client, booked, make_person):
    performance, performer = booked
    other = make_person(name="李四")
    path = _path(app, performer.id, "performance", performance.id, at(3, 14))
    response = client.post(path, data={"person_id": other.id, "answer": "coming"})
    assert response.status_code == 422
    assert "You cannot answer for this person." in response.get_data(as_text=True)
    assert _replies() == []


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "This reply link does not work"), ("zh-CN", "此回复链接无效")],
)
def test_a_tampered_link_answers_a_plain_page_in_the_readers_language(
    app, client, booked, language, title
):
    performance, performer = booked
    path = _path(app, performer.id, "performance", performance.id, at(3, 14))
    tampered = path[:-2] + ("AA" if not path.endswith("AA") else "BB")
    response = client.get(tampered, headers={"Accept-Language": language})
    assert response.status_code == 404
    assert title in response.get_data(as_text=True)
    assert client.post(tampered, data={"answer": "coming"}).status_code == 404
    assert _replies() == []


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "This reply link has expired"), ("zh-CN", "此回复链接已过期")],
)
def test_an_expired_link_answers_410(app, client, booked, frozen_clock, language, title):
    performance, performer = booked
    path = _path(app, performer.id, "performance", performance.id, at(3, 14))
    frozen_clock.set(at(3, 16) + timedelta(minutes=1))
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 410
    assert title in response.get_data(as_text=True)
    response = client.post(path, data={"person_id": performer.id, "answer": "coming"})
    assert response.status_code == 410
    assert _replies() == []


def test_the_link_page_is_rate_limited(app, client, booked):
    performance, performer = booked
    path = _path(app, performer.id, "performance", performance.id, at(3, 14))
    app.config["RATELIMIT_REPLY"] = "3 per minute"
    try:
        limiter.reset()
        assert [client.get(path).status_code for _ in range(4)] == [200, 200, 200, 429]
    finally:
        app.config["RATELIMIT_REPLY"] = "30 per minute"
        limiter.reset()


def test_a_post_without_the_csrf_token_is_refused(app, client, booked):
    performance, performer = booked
    path = _path(app, performer.id, "performance", performance.id, at(3, 14))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(path, data={"person_id": performer.id, "answer": "coming"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert _replies() == []


def test_a_caregivers_link_lists_each_dependant(app, client, make_person, make_performance):
    carer = make_person(name="赵妈妈")
    kids = [
        make_person(name=n, guardian_person_id=carer.id) for n in ("赵一一", "赵二二", "赵三三")
    ]
    performance = make_performance(people=[(k, "performer") for k in kids])
    path = _path(app, carer.id, "performance", performance.id, at(3, 14))
    html = client.get(path).get_data(as_text=True)
    assert [html.count(n) > 0 for n in ("一一", "二二", "三三")] == [True, True, True]
    assert "赵一一" not in html
    assert html.count('name="person_id"') == 3
    client.post(path, data={"person_id": kids[1].id, "answer": "not_coming", "reason": "ill"})
    assert _replies() == [(kids[1].id, Answer.NOT_COMING, "ill", 1)]
