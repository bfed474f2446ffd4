"""WeChat Official Account subscription messages, sent to a local HTTP server that answers as
WeChat's stable_token and subscribe/bizsend APIs do and records each request's shape."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.notices import channels, wechat, worker
from app.notices.models import Notice
from tests.notices.conftest import AFTER_HOLD, at, save
from tests.notices.local_api import JsonHandler, LocalApi

APP_ID, SECRET = "wx0123456789abcdef", "test-app-secret"  # noqa: S105 (a fake provider's)
TEMPLATE = "tmpl-ILiIHDCububvNUjaNuEAynejsEacuJPdLG8A7WMyCxg"
OPENIDS = [
    "oAbCdEfGhIjKlMnOpQrStUvWx_01",
    "oAbCdEfGhIjKlMnOpQrStUvWx-02",
    "o123456789012345678901234503",
]


class FakeWeChat(LocalApi):
    """Answers stable_token and subscribe/bizsend. ``send_answers``: what to answer to the
    next sends, in turn — an errcode, or ("http", status); then errcode 0."""

    def __init__(self):
        self.token_requests: list[dict] = []
        self.sends: list[dict] = []  # {"token": query access_token, "body": JSON body}
        self.delivered: list[dict] = []
        self.send_answers: list = []
        self.token_answers: list[dict] = []
        self.issued = 0
        api = self

        class Handler(JsonHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                url = urlsplit(self.path)
                query = dict(parse_qsl(url.query))
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                if url.path == "/cgi-bin/stable_token":
                    api.token_requests.append({"query": query, "body": body})
                    if api.token_answers:
                        return self.answer(200, api.token_answers.pop(0))
                    api.issued += 1
                    return self.answer(
                        200, {"access_token": f"token-{api.issued}", "expires_in": 7200}
                    )
                if url.path == "/cgi-bin/message/subscribe/bizsend":
                    api.sends.append({"token": query.get("access_token"), "body": body})
                    answer = api.send_answers.pop(0) if api.send_answers else 0
                    if isinstance(answer, tuple):
                        return self.answer(answer[1], {"errcode": -1, "errmsg": "system error"})
                    if answer == 0 and query.get("access_token") != f"token-{api.issued}":
                        answer = 40001  # only the newest token issued is valid
                    if answer:
                        return self.answer(200, {"errcode": answer, "errmsg": f"error {answer}"})
                    api.delivered.append(body)
                    return self.answer(
                        200, {"errcode": 0, "errmsg": "ok", "msgid": 1000 + len(api.delivered)}
                    )
                return self.answer(404, {"errcode": 404})

        self.serve(Handler)


@pytest.fixture
def wechat_api(app):
    api = FakeWeChat()
    keys = {
        "WECHAT_APP_ID": APP_ID,
        "WECHAT_APP_SECRET": SECRET,
        "WECHAT_TEMPLATE_ID": TEMPLATE,
        "WECHAT_TEMPLATE_FIELDS": "thing1=title,thing2=change,time3=time,thing4=place",
        "WECHAT_API_BASE": f"http://127.0.0.1:{api.port}",
    }
    saved = {k: app.config.get(k) for k in keys}
    app.config.update(keys)
    wechat.forget_token()
    yield api
    wechat.forget_token()
    app.config.update(saved)
    api.close()


def moved_people(contact_person, make_performance, *openids, **person):
    people = [contact_person(email="", wechat_openid=o, **person) for o in openids]
    performance = make_performance(people=[(p, "performer") for p in people])
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    save(performance, starts_at=at(4, 9), ends_at=at(4, 11))
    return people, performance


def rows():
    return db.session.scalars(sa.select(Notice).order_by(Notice.id)).all()


def test_a_person_bound_to_wechat_gets_one_message_and_the_token_is_fetched_once(
    wechat_api, contact_person, make_performance, make_user, frozen_clock
):
    people, performance = moved_people(contact_person, make_performance, *OPENIDS)
    make_user("participant", person_id=people[0].id, language="en")
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    save(performance, starts_at=at(5, 9), ends_at=at(5, 11))
    queued = rows()
    assert [(n.person_id, n.channel.value, n.address) for n in queued] == [
        (p.id, "wechat", o) for p, o in zip(people, OPENIDS, strict=True)
    ]
    frozen_clock.set(AFTER_HOLD)
    assert worker.run_once() == {"sent": 3}

    assert wechat_api.token_requests == [
        {
            "query": {},
            "body": {"grant_type": "client_credential", "appid": APP_ID, "secret": SECRET},
        }
    ]
    assert [s["token"] for s in wechat_api.sends] == ["token-1"] * 3
    first = wechat_api.sends[0]["body"]
    assert first["touser"] == OPENIDS[0]
    assert first["template_id"] == TEMPLATE
    assert first["data"] == {
        "thing1": {"value": "Spring tour"},
        "thing2": {"value": "Changed"},  # in the recipient's language
        "time3": {"value": "2026年12月5日 09:00~11:00"},
        "thing4": {"value": "测试场馆1"},
    }
    # The card opens the person's signed reply link for the new time.
    assert first["page"].startswith("http://localhost/reply/")
    assert [b["touser"] for b in wechat_api.delivered] == OPENIDS
    for notice in rows():
        db.session.refresh(notice)
    assert [(n.status.value, n.attempts, n.provider_message_id) for n in rows()] == [
        ("sent", 1, "1001"),
        ("sent", 1, "1002"),
        ("sent", 1, "1003"),
    ]


def test_a_cancellation_in_chinese_fills_a_phrase_field(
    app, wechat_api, contact_person, make_performance, frozen_clock
):
    app.config["WECHAT_TEMPLATE_FIELDS"] = "thing1=title,phrase2=change,date3=time"
    person = contact_person(email="", wechat_openid=OPENIDS[0])
    performance = make_performance(people=[(person, "performer")])
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    save(performance, status="cancelled")
    frozen_clock.set(AFTER_HOLD)
    assert worker.run_once() == {"sent": 1}
    body = wechat_api.sends[0]["body"]
    assert body["data"] == {
        "thing1": {"value": "Spring tour"},
        "phrase2": {"value": "已取消"},
        "date3": {"value": "2026年12月3日 14:00~16:00"},
    }
    # No reply link for a cancellation: the card opens the performance's page.
    assert body["page"] == f"http://localhost/performances/{performance.id}"


def test_the_token_is_cached_until_shortly_before_it_expires(
    wechat_api, contact_person, make_performance, frozen_clock
):
    moved_people(contact_person, make_performance, OPENIDS[0])
    frozen_clock.set(AFTER_HOLD)
    assert wechat.access_token() == "token-1"
    # Another worker run an hour and a half later: the same token, from the cache.
    frozen_clock.set(AFTER_HOLD + timedelta(minutes=90))
    assert worker.run_once() == {"sent": 1}
    assert len(wechat_api.token_requests) == 1
    frozen_clock.set(AFTER_HOLD + timedelta(seconds=7200 - wechat.TOKEN_MARGIN - 30))
    assert wechat.access_token() == "token-1"
    # Within TOKEN_MARGIN of its expiry the token is fetched again.
    frozen_clock.set(AFTER_HOLD + timedelta(seconds=7200 - wechat.TOKEN_MARGIN + 5))
    assert wechat.access_token() == "token-2"
    assert len(wechat_api.token_requests) == 2


def test_an_expired_token_is_refreshed_once_and_the_send_retried(
    wechat_api, contact_person, make_performance, frozen_clock
):
    moved_people(contact_person, make_performance, OPENIDS[0])
    frozen_clock.set(AFTER_HOLD)
    assert wechat.access_token() == "token-1"
    wechat_api.send_answers = [42001]  # WeChat says the cached token expired
    assert worker.run_once() == {"sent": 1}
    assert [s["token"] for s in wechat_api.sends] == ["token-1", "token-2"]
    assert len(wechat_api.token_requests) == 2
    assert len(wechat_api.delivered) == 1
    notice = rows()[0]
    assert (notice.status.value, notice.attempts, notice.error) == ("sent", 1, "")


def test_a_token_refused_twice_is_an_error_retried_later(
    wechat_api, contact_person, make_performance, frozen_clock
):
    moved_people(contact_person, make_performance, OPENIDS[0])
    frozen_clock.set(AFTER_HOLD)
    wechat_api.send_answers = [40001, 40001]
    assert worker.run_once() == {"retry": 1}
    assert len(wechat_api.sends) == 2 and len(wechat_api.token_requests) == 2
    notice = rows()[0]
    assert (notice.status.value, notice.attempts) == ("queued", 1)
    assert notice.error == "WeChat: 40001 error 40001"


def test_a_person_who_has_not_subscribed_fails_at_once_and_admins_see_why(
    wechat_api, contact_person, make_performance, frozen_clock, client, login_as
):
    (person,), _ = moved_people(contact_person, make_performance, OPENIDS[0], name="未订阅者")
    frozen_clock.set(AFTER_HOLD)
    wechat_api.send_answers = [43101]
    assert worker.run_once() == {"failed": 1}
    frozen_clock.set(AFTER_HOLD + timedelta(days=1))
    assert worker.run_once() == {}  # not retried
    assert len(wechat_api.sends) == 1
    notice = rows()[0]
    assert (notice.status.value, notice.attempts) == ("failed", 1)
    assert notice.error.startswith("WeChat 43101: the person has not subscribed")
    login_as("admin")
    page = client.get("/admin/notices/?status=failed").get_data(as_text=True)
    assert "未订阅者" in page
    assert "WeChat 43101: the person has not subscribed" in page
    assert "oAbC…x_01" in page and OPENIDS[0] not in page  # the openid masked


def test_wechat_answering_500_then_ok_delivers_once(
    wechat_api, contact_person, make_performance, frozen_clock
):
    moved_people(contact_person, make_performance, OPENIDS[0])
    wechat_api.send_answers = [("http", 500)]
    frozen_clock.set(AFTER_HOLD)
    assert worker.run_once() == {"retry": 1}
    assert rows()[0].error == "WeChat: HTTP 500"
    frozen_clock.set(AFTER_HOLD + timedelta(seconds=61))
    assert worker.run_once() == {"sent": 1}
    assert worker.run_once() == {}
    assert len(wechat_api.sends) == 2 and len(wechat_api.delivered) == 1
    notice = rows()[0]
    assert (notice.status.value, notice.attempts) == ("sent", 2)


def test_a_wrong_app_id_is_retried_and_the_error_names_no_secret(
    wechat_api, contact_person, make_performance, frozen_clock
):
    moved_people(contact_person, make_performance, OPENIDS[0])
    wechat_api.token_answers = [{"errcode": 40013, "errmsg": "invalid appid"}]
    frozen_clock.set(AFTER_HOLD)
    assert worker.run_once() == {"retry": 1}
    assert wechat_api.sends == []
    notice = rows()[0]
    assert notice.error == "WeChat token: 40013 invalid appid"
    assert SECRET not in notice.error


def test_an_unreachable_api_names_no_token(app, wechat_api, contact_person, make_performance):
    moved_people(contact_person, make_performance, OPENIDS[0])
    notice = rows()[0]
    assert wechat.access_token() == "token-1"
    wechat_api.close()
    with pytest.raises(channels.ChannelError) as error:
        wechat.send(notice)
    assert "ConnectionError" in str(error.value) and "token-1" not in str(error.value)


def test_without_configuration_the_channel_is_off(
    app, wechat_api, contact_person, make_performance, frozen_clock
):
    moved_people(contact_person, make_performance, OPENIDS[0])
    assert [n.channel.value for n in rows()] == ["wechat"]
    app.config["WECHAT_APP_ID"] = ""
    assert "wechat" not in channels.configured()
    frozen_clock.set(AFTER_HOLD)
    assert worker.run_once() == {}  # what was queued waits
    assert rows()[0].status.value == "queued" and wechat_api.sends == []
    # And nothing new is queued for WeChat while it is off.
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    moved_people(contact_person, make_performance, OPENIDS[1])
    assert rows() == []


def test_no_consent_to_be_contacted_means_no_message(
    wechat_api, contact_person, make_performance, frozen_clock
):
    moved_people(contact_person, make_performance, OPENIDS[0], contact=False)
    assert rows() == []
    frozen_clock.set(AFTER_HOLD)
    assert worker.run_once() == {}
    assert wechat_api.sends == []


def test_a_person_with_e_mail_and_wechat_gets_both(wechat_api, contact_person, make_performance):
    """The outbox's design: one row per channel the person has, not one chosen channel."""
    person = contact_person(email="both@example.cn", wechat_openid=OPENIDS[0])
    performance = make_performance(people=[(person, "performer")])
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    save(performance, starts_at=at(4, 9), ends_at=at(4, 11))
    assert [(n.channel.value, n.address) for n in rows()] == [
        ("email", "both@example.cn"),
        ("wechat", OPENIDS[0]),
    ]


def test_a_worker_killed_between_send_and_mark_sends_the_message_again(
    wechat_api, contact_person, make_performance, frozen_clock, monkeypatch
):
    """WeChat has no idempotency key: the resend is a second message (documented)."""
    moved_people(contact_person, make_performance, OPENIDS[0])
    frozen_clock.set(AFTER_HOLD)

    class Killed(BaseException):
        pass

    def killed(notice, provider_id):
        raise Killed

    with monkeypatch.context() as m:
        m.setattr(worker, "mark_sent", killed)
        with pytest.raises(Killed):
            worker.run_once()
    db.session.rollback()
    assert rows()[0].status.value == "queued"
    assert worker.run_once() == {"sent": 1}
    assert len(wechat_api.delivered) == 2


# --- fitting values to the template's field types --------------------------------------------


def test_thing_fields_are_cut_to_twenty_characters():
    long = "二〇二六年残疾人文艺汇演暨阳光家园成果展示专场演出"
    assert len(long) > 20
    value = wechat.field_value("thing1", "title", {"title": long})
    assert value == long[:19] + "…" and len(value) == 20
    assert wechat.field_value("thing7", "title", {"title": "  Spring\n tour "}) == "Spring tour"


def test_time_fields_use_wechat_s_format_in_beijing_time():
    start = datetime(2026, 12, 4, 1, 0, tzinfo=UTC).isoformat()  # 09:00 Beijing
    same_day = datetime(2026, 12, 4, 3, 30, tzinfo=UTC).isoformat()
    next_day = datetime(2026, 12, 5, 1, 0, tzinfo=UTC).isoformat()
    facts = {"starts_at": start, "ends_at": same_day}
    assert wechat.field_value("time3", "time", facts) == "2026年12月4日 09:00~11:30"
    assert wechat.field_value("date2", "time", facts) == "2026年12月4日 09:00~11:30"
    facts["ends_at"] = next_day
    assert wechat.field_value("time3", "time", facts) == "2026年12月4日 09:00~2026年12月5日 09:00"
    facts["ends_at"] = ""
    assert wechat.field_value("time3", "time", facts) == "2026年12月4日 09:00"


def test_the_change_is_in_the_reader_s_language_but_a_phrase_is_always_chinese(app):
    from app.notices.enums import Change
    from app.notices.recipients import Subject

    subject = Subject(
        "performance", 1, "Spring tour", None, None, "", "", False, "", "http://localhost/p/1"
    )
    with app.test_request_context():
        facts = wechat.facts_for(subject, Change.MOVED, "en", None)
    assert (facts["change"], facts["change_phrase"], facts["page"]) == (
        "Changed",
        "有变更",
        "http://localhost/p/1",
    )
    assert wechat.field_value("phrase2", "change", facts) == "有变更"
    assert wechat.field_value("thing2", "change", facts) == "Changed"


def test_other_field_types_keep_to_their_documented_limits():
    facts = {"change": "Changed", "change_phrase": "有变更", "contact": "王老师 0574-8888 1234"}
    assert wechat.field_value("phrase2", "change", facts) == "有变更"
    assert wechat.field_value("phone_number5", "contact", facts) == "0574-88881234"
    assert wechat.field_value("character_string6", "contact", facts) == "0574-88881234"
    assert wechat.field_value("name1", "contact", facts) == "王老师 0574-…"


def test_an_empty_value_is_a_dash_and_a_missing_time_cannot_be_sent(app, wechat_api):
    notice = Notice(
        address=OPENIDS[0],
        facts={"wechat": {"title": "Spring tour", "place": "", "starts_at": "", "page": ""}},
    )
    app.config["WECHAT_TEMPLATE_FIELDS"] = "thing1=title,thing4=place"
    assert wechat.message(notice) == {
        "touser": OPENIDS[0],
        "template_id": TEMPLATE,
        "data": {"thing1": {"value": "Spring tour"}, "thing4": {"value": "-"}},
    }
    app.config["WECHAT_TEMPLATE_FIELDS"] = "thing1=title,time3=time"
    with pytest.raises(channels.Refused, match="time3 needs a time"):
        wechat.message(notice)


def test_a_misconfigured_field_list_is_refused(app):
    app.config["WECHAT_TEMPLATE_FIELDS"] = "thing1=title,thing2=weather"
    try:
        with pytest.raises(ValueError, match="weather"):
            wechat.template_fields()
    finally:
        app.config["WECHAT_TEMPLATE_FIELDS"] = wechat.DEFAULT_FIELDS
