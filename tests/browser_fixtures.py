"""Browser test fixtures, shared by the accessibility crawl (tests/browser/) and the journeys
(tests/journeys/); loaded for the whole suite by ``pytest_plugins`` in tests/conftest.py.

- ``browser``: Debian's Chromium driven by the PyPI playwright (never ``playwright install``),
  one per run. ``live_server``: the session's app served on 127.0.0.1 with a free port, in a
  thread. ``live_app``: for one test, URLs built for that host and CSRF on, as in production.
- ``open_page(role=…, user=…, viewport=…, locale=…)``: a page in a fresh browser context (every
  test gets its own; closed after it), signed in at once by a session cookie (no sign-in form,
  no password hashing): as the demo's account of ``role`` when the demo is loaded, else as a
  new user with that role. Coaches and home staff get a 390×844 phone, the others 1366×768.
- ``screenshot(page, name)``: a PNG of what the screen shows (``full_page=True``: the whole
  page) in test-artifacts/<test>/; a failed test leaves one of each page it opened.

When browser tests run. Any test that uses ``browser`` (or carries the ``browser`` mark) is a
browser test:
- without Chromium (or the Python packages) it skips with the reason, unless
  ``REQUIRE_BROWSER=1``: then it fails, so a run meant to have the browser cannot lose it;
- on PostgreSQL (``DATABASE_URL=postgresql…``) it skips, because what it checks (pages in a
  browser) does not depend on the database and CI runs it once, on SQLite; set
  ``BROWSER_ON_POSTGRES=1`` to run it there too.
A newcomer's ``make test`` (SQLite) runs them all. The reason is printed in the run's header.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

CHROMIUM = "/usr/bin/chromium"
# accessibility.md, "How to test it automatically": exactly these flags.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
# Issue 12: coaches and home staff work on a phone, the others at a desk.
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 768}
PHONE_ROLES = {"coach", "home_staff"}
ACCEPT_LANGUAGE = {"zh_Hans": "zh-CN", "en": "en-GB"}


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").lower().startswith("postgres")


def skip_reason() -> str | None:
    """Why this run skips every browser test, or None when it runs them."""
    if on_postgres() and os.environ.get("BROWSER_ON_POSTGRES") != "1":
        return (
            "browser tests run on SQLite only (CI runs them in its SQLite pass); "
            "set BROWSER_ON_POSTGRES=1 to run them on PostgreSQL too"
        )
    return None


def pytest_report_header(config):
    reason = skip_reason()
    if reason:
        return f"browser tests: skipped, {reason}"
    required = os.environ.get("REQUIRE_BROWSER") == "1"
    return "browser tests: run" + (
        " (REQUIRE_BROWSER=1: fail without Chromium)" if required else " (skip without Chromium)"
    )


def pytest_collection_modifyitems(config, items):
    reason = skip_reason()
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) and not item.get_closest_marker(
            "browser"
        ):
            item.add_marker(pytest.mark.browser)
        if reason and item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_call_failed = report.failed
    return report


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(
        f"browser tests skipped: {reason} (install Debian's chromium; CI sets REQUIRE_BROWSER=1)"
    )


def _chromium_path() -> str | None:
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        _unavailable("Chromium is not installed (/usr/bin/chromium not found)")
    for module in ("playwright", "axe_playwright_python"):
        if importlib.util.find_spec(module) is None:
            _unavailable(f"the Python package {module} is not installed (pip install -e '.[test]')")
    from playwright.sync_api import Error, sync_playwright

    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
    except Error as error:
        manager.stop()
        _unavailable(f"Chromium at {path} did not start: {error}")
    yield browser
    browser.close()
    manager.stop()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # the crawl makes thousands of requests
        pass


def _read_whole(app):
    """The app with each response read whole and closed at once. Werkzeug's development
    server skips ``close()`` when the browser drops a connection mid-response (a page left
    while its script still loads), and the static file it was sending is then closed by the
    garbage collector, whose ResourceWarning fails whichever test is running."""

    def wsgi(environ, start_response):
        iterable = app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            if hasattr(iterable, "close"):
                iterable.close()

    return wsgi


@pytest.fixture(scope="session")
def live_server(app):
    """The session app on http://127.0.0.1:<free port>, a thread per request (the browser
    fetches a page's stylesheet and script in parallel)."""
    server = make_server(
        "127.0.0.1", 0, _read_whole(app), threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def live_app(app, live_server):
    """For the duration of a browser test: URLs are built for the live host and CSRF is on,
    as in production (the forms in the browser carry real tokens). Restored afterwards so the
    test-client tests keep their settings."""
    saved = {key: app.config.get(key) for key in ("SERVER_NAME", "WTF_CSRF_ENABLED")}
    app.config["SERVER_NAME"] = live_server.removeprefix("http://")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield app
    finally:
        app.config.update(saved)


def session_cookie(app, user, base: str) -> dict:
    """The cookie a sign-in would set for ``user`` (what Flask-Login keeps in the session)."""
    value = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": user.get_id(), "_fresh": True}
    )
    return {"name": app.config["SESSION_COOKIE_NAME"], "value": value, "url": base}


def _artifact_dir(request) -> Path:
    """test-artifacts/<test>/, emptied the first time a test writes to it."""
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("tests/", 1)[-1])
    folder = ARTIFACTS / name
    if not getattr(request.node, "artifacts_cleared", False):
        shutil.rmtree(folder, ignore_errors=True)
        request.node.artifacts_cleared = True
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def open_page(browser, live_app, live_server, make_user, request):
    """``open_page(role="home_staff")`` -> a signed-in Playwright page in a new context.

    ``user=`` signs in as that user instead; no role and no user: a visitor. ``viewport``
    defaults to the role's screen (PHONE for coach and home staff, DESK otherwise) and
    ``locale`` (zh_Hans or en) to Chinese: the browser's Accept-Language, and the signed-in
    user's saved language for this test."""
    from app.accounts.services import find_by_username
    from app.demo import DEMO_USERS
    from app.extensions import db

    opened = []

    def open_page(role: str | None = None, *, user=None, viewport=None, locale="zh_Hans"):
        if user is None and role is not None:
            username = next((u for r, u, _p, _n in DEMO_USERS if str(r) == role), None)
            user = find_by_username(username) if username else None
            if user is None:
                user = make_user(role)
        if user is not None and str(user.language) != locale:
            user.language = locale
            db.session.commit()
        context = browser.new_context(
            viewport=viewport or (PHONE if role in PHONE_ROLES else DESK),
            locale=ACCEPT_LANGUAGE[locale],
            extra_http_headers={"Accept-Language": ACCEPT_LANGUAGE[locale]},
            base_url=live_server,
        )
        context.set_default_timeout(15_000)
        if user is not None:
            context.add_cookies([session_cookie(live_app, user, live_server)])
        page = context.new_page()
        opened.append((context, page))
        return page

    yield open_page
    failed = getattr(request.node, "browser_call_failed", False)
    for number, (context, page) in enumerate(opened, 1):
        if failed and not page.is_closed():
            page.screenshot(
                path=_artifact_dir(request) / f"failed-page{number}.png", full_page=True
            )
        context.close()


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "after-reload")``: test-artifacts/<test>/<n>-after-reload.png, what
    the viewport shows (``full_page=True`` for the whole page)."""
    count = 0

    def take(page, name: str, *, full_page: bool = False) -> Path:
        nonlocal count
        count += 1
        path = _artifact_dir(request) / f"{count:02d}-{name}.png"
        page.screenshot(path=path, full_page=full_page)
        return path

    return take


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.2 AA violations of the page as it is now, with the crawl's options:
    for a journey's state the crawl cannot reach (an error shown at its place after a
    one-click button the crawl leaves alone, a 409 between two users)."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser.crawl import AXE_OPTIONS

    page.evaluate(Axe().axe_script)
    found = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [f"{v['id']}: {v['help']}" for v in found["violations"]]
