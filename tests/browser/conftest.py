"""The accessibility crawl's summary. The browser fixtures (``browser``, ``live_server``,
``live_app``, ``open_page``, ``screenshot``) and the rule for when browser tests run are in
tests/browser_fixtures.py, shared with tests/journeys/."""

from __future__ import annotations

from tests.browser import crawl
from tests.browser_fixtures import ARTIFACTS


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
