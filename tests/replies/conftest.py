"""Replies tests: the performances and homes builders, English messages, and a helper that
opens an occurrence for a person as the link would."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.athletes.conftest import make_athlete, sports  # noqa: F401
from tests.competitions.conftest import enter, make_competition, make_event  # noqa: F401
from tests.homes.conftest import add_members, make_activity, make_home  # noqa: F401
from tests.performances.conftest import (  # noqa: F401
    make_performance,
    make_programme,
    organiser,
)


@pytest.fixture(autouse=True)
def _english(request):
    if "app" not in request.fixturenames:
        yield
        return
    from flask_babel import force_locale

    with force_locale("en"):
        yield


def at(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    """A Beijing wall-clock time as an aware UTC instant (Beijing is UTC+8)."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)
