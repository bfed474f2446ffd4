"""The suite's guard on the session cookie (tests/conftest.py, issue 13 item 13): the cookie is
signed, not encrypted, so a person's name flashed into it can be read by anyone holding the
browser. The guard decodes the cookie after every POST of the suite; here it is shown to see a
name and to stay quiet without one."""

import pytest
from flask import flash, session

from app.extensions import db
from tests.conftest import KNOWN_NAMES, names_in_session_cookie


def _cookie_response(app, message):
    with app.test_request_context("/", method="POST"):
        flash(message, "success")
        response = app.response_class("")
        app.session_interface.save_session(app, session, response)
        return response


@pytest.fixture(autouse=True)
def only_this_tests_names():
    """The names the suite wrote before (a person called 运动员 in another test) would be found
    in these messages too: the guard is shown the names of this test only."""
    saved = set(KNOWN_NAMES)
    KNOWN_NAMES.clear()
    yield
    KNOWN_NAMES.update(saved)


def test_the_guard_finds_a_flashed_name_in_the_cookie(app, make_person):
    person = make_person(name="欧阳测试")
    assert "欧阳测试" in KNOWN_NAMES
    response = _cookie_response(app, f"{person.name}已添加为运动员")
    assert names_in_session_cookie(app, response) == ["欧阳测试"]
    db.session.rollback()


def test_the_guard_passes_a_flash_without_a_name(app, make_person):
    make_person(name="欧阳测试")
    response = _cookie_response(app, "已添加运动员")
    assert names_in_session_cookie(app, response) == []
