"""Calendars tests: the competitions factories, events scheduled relative to today (feeds are
windowed around today), and helpers to parse feeds with both parsers."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db
from tests.athletes.conftest import _english, make_athlete, make_user, sports  # noqa: F401
from tests.competitions.conftest import enter, make_competition, make_event  # noqa: F401
from tests.homes.conftest import add_members, make_activity, make_home  # noqa: F401
from tests.performances.conftest import (  # noqa: F401
    make_performance,
    make_programme,
    make_troupe,
    organiser,
)

ZONE = ZoneInfo("Asia/Shanghai")


def local_instant(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE).astimezone(UTC)


@pytest.fixture
def today():
    from app.core import clock

    return clock.today()


@pytest.fixture
def upcoming(app, make_competition, make_event, make_venue, today):  # noqa: F811
    """A competition in 10 days at a venue with features, and one event scheduled 09:30–11:00
    Beijing time on its first day."""

    def make(days=10, **overrides):
        venue = overrides.pop("venue", None) or make_venue(
            features=["step_free_entrance", "sign_language"],
            latitude="29.6612",
            longitude="121.4085",
        )
        start = today + timedelta(days=days)
        competition = make_competition(
            start_on=start, end_on=start + timedelta(days=2), venue_id=venue.id, **overrides
        )
        event = make_event(
            competition,
            starts_at=local_instant(start, 9, 30),
            ends_at=local_instant(start, 11),
        )
        db.session.commit()
        return competition, event

    return make
