"""The forms' choice lists are kept in the worker until a town, sport, user or role changes
(app/core/choices.py): the coach's athlete list runs three statements fewer, and a change
shows at the next request."""

from __future__ import annotations

import pytest

from app.accounts import services as accounts
from app.athletes import services as athletes
from app.extensions import db


@pytest.fixture
def kept_lists(app):
    """Choice lists kept, as in production (the tests' config builds them every time)."""
    app.config["PAGE_CACHE_ENABLED"] = True
    yield
    app.config["PAGE_CACHE_ENABLED"] = False


def test_lists_are_built_once_then_kept(app, kept_lists, login_as, client, sports, count_queries):
    login_as("coach")
    with count_queries() as first:
        assert client.get("/athletes/").status_code == 200
    with count_queries() as again:
        page = client.get("/athletes/").get_data(as_text=True)
    # Towns, sports and coaches: one query each, the first time only.
    assert first.count - again.count == 3
    assert ">Para archery</option>" in page


def test_a_new_sport_and_a_new_coach_show_at_the_next_request(
    app, kept_lists, login_as, client, sports
):
    login_as("coach")
    assert "Para canoe" not in client.get("/athletes/").get_data(as_text=True)
    athletes.create_sport(name="残疾人皮划艇", name_en="Para canoe")
    accounts.create_user(
        username="newcoach",
        display_name="Coach Newcomer",
        password="a long enough password 42",
        roles=["coach"],
    )
    db.session.commit()
    page = client.get("/athletes/").get_data(as_text=True)
    assert '">Para canoe</option>' in page
    assert '">Coach Newcomer</option>' in page


def test_a_rolled_back_change_keeps_the_lists(app, kept_lists, login_as, client, sports):
    login_as("coach")
    client.get("/athletes/")
    athletes.create_sport(name="残疾人赛艇", name_en="Para rowing")
    db.session.rollback()
    assert "Para rowing" not in client.get("/athletes/").get_data(as_text=True)
