"""Browser gate fixtures: Debian's Chromium driven by Playwright against a live server.

The session's ``app`` is served by werkzeug on 127.0.0.1 with a free port, in a background
thread; every test gets a fresh browser context. Without Chromium the tests skip with the
reason; with ``REQUIRE_BROWSER=1`` (CI) they fail instead, so the gate cannot vanish.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.browser import crawl

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
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


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
    def log_request(self, *args, **kwargs):  # the crawl makes hundreds of requests
        pass


@pytest.fixture(scope="session")
def live_server(app):
    """The session app on http://127.0.0.1:<free port>, a thread per request (the browser
    fetches a page's stylesheet and script in parallel)."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
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


def pytest_terminal_summary(terminalreporter):
    if not crawl.STATS:
        return
    lines = crawl.summary_lines()
    terminalreporter.section("browser crawl")
    for line in lines:
        terminalreporter.write_line(line)
    ARTIFACTS.mkdir(exist_ok=True)
    text = "\n".join(lines + ["", "Pages audited:"] + crawl.visited_lines())
    (ARTIFACTS / "crawl.txt").write_text(text + "\n", encoding="utf-8")
    terminalreporter.write_line(f"(pages listed in {ARTIFACTS / 'crawl.txt'})")
