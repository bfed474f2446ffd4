"""The accessibility gate: sign in as each role through the real form, crawl every page the role
can reach (plus each form's error state), and fail on any axe WCAG 2.2 AA violation or any
problem the checks in crawl.py find. Recipe: ../shared/design/accessibility.md."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask_babel import force_locale, gettext

from app.extensions import db
from tests.browser import crawl
from tests.browser.crawl import DESKTOP
from tests.browser_fixtures import ACCEPT_LANGUAGE

pytestmark = pytest.mark.browser

ROLES = ("admin", "coach", "organiser", "home_staff", "participant")
# Every role, and both languages: anonymous visitors choose by Accept-Language, signed-in
# users by their saved preference. The third value is how many pages of one kind (same route,
# same query keys) to audit: the admin's second language sees the same pages again, so one
# of each kind is enough there.
IDENTITIES = [
    ("anonymous", "zh_Hans", 2),
    ("anonymous", "en", 2),
    ("admin", "zh_Hans", 2),
    ("admin", "en", 1),
    ("coach", "zh_Hans", 2),
    ("organiser", "en", 2),
    ("home_staff", "zh_Hans", 2),
    ("participant", "en", 2),
]
HTML_LANG = {"zh_Hans": "zh-CN", "en": "en"}


def set_language(username: str, locale: str) -> None:
    from app.accounts.services import find_by_username

    find_by_username(username).language = locale
    db.session.commit()


def start_points(app) -> list[str]:
    """The home page, every GET route that needs no argument, and the pages only a form's
    redirect reaches."""
    paths = ["/"]
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.arguments or "GET" not in rule.methods:
            continue
        if rule.rule not in paths:
            paths.append(rule.rule)
    return paths + redirect_only_pages()


def redirect_only_pages() -> list[str]:
    """Pages no link leads to: a successful POST redirects there, and the crawl submits forms
    empty, so it would never land on them. One of each, from the demo data."""
    import sqlalchemy as sa

    from app.competitions.models import Entry

    entry_id = db.session.scalar(sa.select(Entry.id).order_by(Entry.id).limit(1))
    assert entry_id is not None, "the demo has no competition entry"
    return [
        f"/competitions/entries/{entry_id}/warnings",
        # The demo's results are official, so the results screen links to no protest page.
        f"/competitions/entries/{entry_id}/protest",
        demo_reply_link(),
    ]


def demo_reply_link() -> str:
    """A signed reply link (the notices' link, opened without signing in) for the first
    coming demo performance's first register person."""
    from flask import current_app

    from tests.journeys.test_reply_link import demo_booking, reply_path

    performance, person = demo_booking()
    return reply_path(current_app, person.id, performance)


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert urlsplit(page.url).path != "/login", f"could not sign in as {username}"


@pytest.mark.parametrize(
    ("role", "locale", "per_pattern"),
    IDENTITIES,
    ids=[f"{role}-{locale}" for role, locale, _ in IDENTITIES],
)
def test_crawl_every_page(browser, live_app, live_server, demo, role, locale, per_pattern):
    # The demo data gives pages content; its accounts, one per role, sign in.
    logins = {str(r): (username, password) for r, username, password in demo}
    assert set(ROLES) <= set(logins), "the demo has no account for some role"
    if role != "anonymous":
        set_language(logins[role][0], locale)
    db.session.remove()
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(
        viewport=DESKTOP,
        locale=ACCEPT_LANGUAGE[locale],
        extra_http_headers={"Accept-Language": ACCEPT_LANGUAGE[locale]},
    )
    context.set_default_timeout(15_000)
    axe = Axe()
    context.add_init_script(script=axe.axe_script)
    page = context.new_page()
    try:
        if role != "anonymous":
            sign_in(page, live_server, *logins[role])
        with live_app.test_request_context(), force_locale(locale):
            suffix = " – " + gettext("District Disabled Persons' Federation")
            error_prefix = gettext("Error:")
        run = crawl.Crawl(
            app=live_app,
            page=page,
            base=live_server,
            locale=locale,
            identity=f"{role} ({locale})",
            axe=axe,
            suffix=suffix,
            error_prefix=error_prefix,
            expected_lang=HTML_LANG[locale],
            signed_in=role != "anonymous",
            per_pattern=per_pattern,
        )
        run.run(start_points(live_app))
    finally:
        context.close()

    problems, pages = run.problems, run.pages
    assert pages >= 3, f"the crawl found only {pages} pages"
    # Everyone meets at least one form (sign-in, or the account page's password change).
    assert run.error_states >= 1, "the crawl reached no form error state"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:150])


def test_the_summary_order_check_sees_a_summary_out_of_the_fields_order(browser):
    """The crawl's error-summary check (issue 12 item 10) is not vacuous: a summary listing the
    second field first is reported against the order the page shows the fields in."""
    page = browser.new_page()
    try:
        page.set_content(
            '<div class="error-summary" data-error-summary tabindex="-1">'
            '<a href="#second">b</a><a href="#first">a</a><a href="#gone">c</a></div>'
            '<form><input id="first"><input id="second"></form>'
        )
        summary = page.evaluate(crawl.JS_SUMMARY)
    finally:
        page.close()
    assert [link["id"] for link in summary["links"] if link["exists"]] == ["second", "first"]
    assert summary["domOrder"] == ["first", "second"]
