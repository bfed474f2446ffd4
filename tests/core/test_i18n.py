"""Both catalogues are complete: every message in the code and templates is translated in
zh_Hans and en, nothing is fuzzy, placeholders survive, and the compiled catalogues are used."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|%%")
# A "%" that starts no placeholder breaks Jinja's %-formatting of the translation (a 500).
PERCENT_TOKEN = re.compile(r"%%|%\([a-z_]+\)[sd]|%[sd]|%")


def lone_percents(text: str) -> int:
    return sum(1 for token in PERCENT_TOKEN.findall(text) if token == "%")


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory) -> set[str]:
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            "app",
            "app/templates/_macros",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        catalog = read_po(fh)
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_catalogue_is_complete(locale, source_messages):
    path = ROOT / "app" / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh)
    entries = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
    missing = sorted(source_messages - set(entries))
    assert missing == [], f"{locale}: not in the catalogue (run `make messages`): {missing[:20]}"
    untranslated = sorted(
        msgid
        for msgid in source_messages
        if not (
            entries[msgid].string
            if isinstance(entries[msgid].string, str)
            else all(entries[msgid].string)
        )
    )
    assert untranslated == [], f"{locale}: untranslated: {untranslated[:20]}"
    fuzzy = sorted(msgid for msgid in source_messages if entries[msgid].fuzzy)
    assert fuzzy == [], f"{locale}: fuzzy: {fuzzy[:20]}"
    wrong = [
        msgid
        for msgid in source_messages
        if isinstance(entries[msgid].string, str)
        and sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(entries[msgid].string))
    ]
    assert wrong == [], f"{locale}: placeholders differ: {wrong[:20]}"
    lone = [
        msgid
        for msgid in source_messages
        if isinstance(entries[msgid].string, str)
        and lone_percents(entries[msgid].string) > lone_percents(msgid)
    ]
    assert lone == [], f"{locale}: a lone % in the translation (write %%): {lone[:20]}"


def test_chinese_is_the_default_and_english_follows_accept_language(app):
    from app import create_app

    product = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    assert product.config["BABEL_DEFAULT_LOCALE"] == "zh_Hans"
    client = product.test_client()
    zh = client.get("/", headers={"Accept-Language": ""}).get_data(as_text=True)
    assert '<html lang="zh-CN">' in zh
    assert "跳到主要内容" in zh
    en = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in en
    assert "Skip to main content" in en


def test_language_switch_is_remembered_for_anonymous_visitor(client):
    response = client.post("/language", data={"lang": "en", "next": "/accessibility"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/accessibility"
    page = client.get("/accessibility", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in page.get_data(as_text=True)
    client.post("/language", data={"lang": "zh_Hans", "next": "/"})
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "无障碍声明" in page


def test_language_switch_is_saved_for_signed_in_user(client, login_as):
    user = login_as("coach")
    client.post("/language", data={"lang": "en", "next": "/"})
    from app.extensions import db

    db.session.refresh(user)
    assert str(user.language) == "en"


def test_language_switch_refuses_external_next(client):
    response = client.post("/language", data={"lang": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"
