"""Error pages 400/403/404/409/422/429/500: the normal layout, both languages, nothing internal.

The errors are raised by test-only routes on a separate app instance, never the real one."""

from __future__ import annotations

import logging
import re
from html import unescape

import pytest
from flask import abort
from flask_babel import force_locale, gettext

from app.core.errors import ERROR_TEXT

CODES = (400, 403, 404, 409, 422, 429, 500)
SECRET = "internal-detail-7d1f: SELECT password_hash FROM users"
LANGUAGES = {"zh-CN": "zh_Hans", "en": "en"}


def text_of(tag: str, body: str) -> list[str]:
    """The text of every ``<tag ...>…</tag>`` in the page, entities decoded."""
    name = tag.split()[0]
    return [unescape(m) for m in re.findall(rf"<{tag}[^>]*>(.*?)</{name}>", body, re.S)]


@pytest.fixture(scope="module")
def error_app():
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SERVER_NAME": "localhost"})

    @app.route("/_test/abort/<int:code>")
    def test_abort(code):
        abort(code)

    @app.route("/_test/crash")
    def test_crash():
        raise RuntimeError(SECRET)

    return app


@pytest.mark.parametrize("accept", sorted(LANGUAGES))
@pytest.mark.parametrize("code", CODES)
def test_error_page(error_app, code, accept, caplog):
    client = error_app.test_client()
    url = "/_test/crash" if code == 500 else f"/_test/abort/{code}"
    with caplog.at_level(logging.ERROR):
        response = client.get(url, headers={"Accept-Language": accept})
    assert response.status_code == code
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    locale = LANGUAGES[accept]
    with error_app.test_request_context(), force_locale(locale):
        title = str(ERROR_TEXT[code][0])
        suffix = gettext("District Disabled Persons' Federation")
        skip = gettext("Skip to main content")
    assert f'<html lang="{accept}">' in body
    assert text_of("title", body) == [f"{title} – {suffix}"]
    assert text_of("h1", body) == [title]
    assert text_of('a class="skip-link" href="#main"', body) == [skip]
    assert '<main id="main"' in body
    assert 'class="site-nav"' in body and 'class="site-footer"' in body
    for internal in (SECRET, "Traceback", "RuntimeError", "werkzeug", 'File "'):
        assert internal not in body
    if code == 500:  # the details go to the log, not to the visitor
        assert SECRET in caplog.text
