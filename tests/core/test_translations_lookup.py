"""The request's translations are looked up once (app/core/i18n.RequestDomain) and still
follow ``force_locale`` (printouts and notices in their reader's language) and
``refresh()`` (a language switch within the request)."""

from __future__ import annotations

import flask_babel
from flask_babel import force_locale, gettext, refresh


def test_one_lookup_a_request_that_follows_force_locale_and_refresh(app, monkeypatch):
    lookups = []
    found = flask_babel.Domain.get_translations

    def counted(self):
        lookups.append(str(flask_babel.get_locale()))
        return found(self)

    monkeypatch.setattr(flask_babel.Domain, "get_translations", counted)
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert [gettext("Gold") for _ in range(3)] == ["金牌", "金牌", "金牌"]
        assert lookups == ["zh_Hans"]
        with force_locale("en"):
            assert gettext("Gold") == gettext("Gold") == "Gold"
        assert gettext("Gold") == "金牌"
        assert lookups == ["zh_Hans", "en"]
        monkeypatch.setattr(app.extensions["babel"], "locale_selector", lambda: "en")
        refresh()
        assert gettext("Gold") == "Gold"
        assert lookups == ["zh_Hans", "en", "en"]


def test_each_request_gets_its_readers_language(client):
    """The lookup lives in the request's context: requests in turn in two languages."""
    for language, title in (
        ("zh-CN", "<title>比赛与奖牌"),
        ("en", "<title>Competitions"),
        ("zh-CN", "<title>比赛与奖牌"),
    ):
        html = client.get("/competitions/", headers={"Accept-Language": language})
        assert title in html.get_data(as_text=True)
