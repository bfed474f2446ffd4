"""When browser tests run (tests/browser_fixtures.py): everywhere on SQLite, on PostgreSQL only
when asked for; without Chromium they skip, or fail under REQUIRE_BROWSER=1."""

import pytest

from tests import browser_fixtures


@pytest.mark.parametrize(
    ("database_url", "asked", "skipped"),
    [
        (None, None, False),
        ("sqlite:////tmp/x.sqlite3", None, False),
        ("postgresql+psycopg://postgres@127.0.0.1:5432/t", None, True),
        ("postgres://postgres@127.0.0.1:5432/t", None, True),
        ("postgresql+psycopg://postgres@127.0.0.1:5432/t", "1", False),
    ],
)
def test_browser_tests_skip_on_postgres_unless_asked(monkeypatch, database_url, asked, skipped):
    for name, value in (("DATABASE_URL", database_url), ("BROWSER_ON_POSTGRES", asked)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    reason = browser_fixtures.skip_reason()
    assert (reason is not None) is skipped
    if skipped:
        assert reason == (
            "browser tests run on SQLite only (CI runs them in its SQLite pass); "
            "set BROWSER_ON_POSTGRES=1 to run them on PostgreSQL too"
        )


def test_a_missing_browser_skips_or_fails_under_require_browser(monkeypatch):
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Chromium is not installed"):
        browser_fixtures._unavailable("Chromium is not installed")
    monkeypatch.setenv("REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="REQUIRE_BROWSER=1 but the browser tests"):
        browser_fixtures._unavailable("Chromium is not installed")
