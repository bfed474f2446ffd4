"""Journeys: one test per real task, done in Chromium at the user's screen size, asserting what
the page shows after a reload AND what the database holds (issue 12).

The fixtures (``open_page``, ``screenshot``, ``live_app``, ``browser``) and the rule for when
browser tests run come from tests/browser_fixtures.py; take the data from the ``demo`` fixture.
A journey is a browser test: it skips without Chromium (fails with ``REQUIRE_BROWSER=1``) and
on PostgreSQL unless ``BROWSER_ON_POSTGRES=1``."""
