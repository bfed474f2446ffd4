"""The layout's parts that depend on the language alone, and the main navigation's links for
a set of roles, are kept in the worker (app/core/templating.py ``layout_part``,
``nav_items``): every page is the same as when they are rendered at each request, for each
role and language, with this page marked in the navigation."""

from __future__ import annotations

import re

import pytest

from app.core import choices

TOKEN = re.compile(r'name="csrf_token" value="[^"]+"')
NAV = re.compile(r'<nav class="site-nav".*?</nav>', re.S)
PAGES = ("/", "/venues/", "/athletes/", "/people/", "/homes/", "/accounts/account")


@pytest.fixture
def fresh_keep(app):
    choices._KEPT.clear()
    yield
    app.config["PAGE_CACHE_ENABLED"] = False
    choices._KEPT.clear()


def _pages(client, language):
    found = {}
    for url in PAGES:
        response = client.get(url, headers={"Accept-Language": language})
        found[url] = (response.status_code, TOKEN.sub("", response.get_data(as_text=True)))
    return found


@pytest.mark.parametrize("roles", [(), ("coach",), ("admin",), ("home_staff", "organiser")])
def test_pages_with_kept_parts_equal_pages_rendered_each_time(
    app, client, make_user, fresh_keep, roles
):
    if roles:
        user = make_user(*roles)
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    for language in ("en", "zh-CN"):
        app.config["PAGE_CACHE_ENABLED"] = False
        built = _pages(client, language)
        app.config["PAGE_CACHE_ENABLED"] = True
        for _ in range(2):  # the first time rendered and kept, then the kept parts
            assert _pages(client, language) == built


def test_each_set_of_roles_gets_its_own_navigation(app, client, make_user, fresh_keep):
    app.config["PAGE_CACHE_ENABLED"] = True

    def nav_as(*roles):
        user = make_user(*roles, language="en")
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        [nav] = NAV.findall(client.get("/venues/").get_data(as_text=True))
        return nav

    admin, coach, organiser = nav_as("admin"), nav_as("coach"), nav_as("organiser")
    assert 'href="/people/"' in admin and 'href="/admin/notices/"' in admin
    assert 'href="/athletes/"' in coach and 'href="/people/"' not in coach
    assert 'href="/athletes/"' not in organiser and 'href="/people/"' not in organiser
    # This page is marked, on a kept list too.
    assert '<a href="/venues/" aria-current="page">Venues</a>' in organiser
    [home_nav] = NAV.findall(client.get("/").get_data(as_text=True))
    assert '<a href="/" aria-current="page">Home</a>' in home_nav
    assert 'aria-current="page">Venues' not in home_nav
    with client.session_transaction() as session:
        session.clear()
    [anonymous] = NAV.findall(client.get("/venues/").get_data(as_text=True))
    assert 'href="/athletes/"' not in anonymous and 'href="/calendar/"' in anonymous
