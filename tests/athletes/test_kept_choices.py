"""The forms' choice lists are kept in the worker until a town, sport, user or role changes
(app/core/choices.py): the coach's athlete list runs three statements fewer, and a change
shows at the next request."""

from __future__ import annotations

import re

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


# --- the unfiltered filter form, rendered once per reference version ------------------------

FILTER_FORM = re.compile(r'<form method="get"[^>]*role="search".*?</form>', re.S)


def _filter_form(client, url="/athletes/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    [form] = FILTER_FORM.findall(response.get_data(as_text=True))
    return form


def test_the_unfiltered_filter_form_is_the_one_rendered_each_time(app, login_as, client, sports):
    admin = login_as("admin", "coach")
    built = {url: _filter_form(client, url) for url in ("/athletes/", "/athletes/pipeline")}
    app.config["PAGE_CACHE_ENABLED"] = True
    try:
        for _ in range(2):  # the first time rendered and kept, then the kept one
            assert {url: _filter_form(client, url) for url in built} == built
        assert 'name="category"' in built["/athletes/"]
        # Another reader of the same language without the category filter gets their own.
        coach = login_as("coach")
        plain = _filter_form(client)
        assert 'name="category"' not in plain
        # ... and a reader of another language theirs.
        coach.language = "zh_Hans"
        db.session.commit()
        chinese = _filter_form(client)
        assert '<button type="submit" class="button ">显示运动员</button>' in chinese
        assert "Show athletes" not in chinese
        # The coach made above moved the reference version: the admin's form lists them now.
        login_as(user=admin)
        again = _filter_form(client)
        assert again != built["/athletes/"]
        assert f'<option value="{coach.id}">Test coach</option>' in again
        assert 'name="category"' in again
    finally:
        app.config["PAGE_CACHE_ENABLED"] = False


def test_a_filtered_page_shows_its_own_choices(app, kept_lists, login_as, client, sports):
    login_as("coach")
    _filter_form(client)  # the unfiltered form kept
    form = _filter_form(client, "/athletes/?stage=identified&q=Li")
    assert '<option selected value="identified">' in form
    assert 'value="Li"' in form
    assert '<option selected value="identified">' not in _filter_form(client)
