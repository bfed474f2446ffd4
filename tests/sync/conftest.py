"""Sync tests: the homes and competitions builders, and a roll-call sheet and a results
screen to sync against."""

from datetime import UTC, date, datetime

import pytest

from tests.athletes.conftest import _english, make_athlete, make_user, sports  # noqa: F401
from tests.competitions.conftest import enter, make_competition, make_event  # noqa: F401
from tests.homes.conftest import add_members, bulk_people, make_activity, make_home  # noqa: F401

# The suite's frozen clock is 2026-11-30 02:00 UTC (10:00 Beijing, a Monday); the sheet's
# activity runs on Mondays 09:00-11:00 Beijing.
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
KEY = "20261130T010000Z"


@pytest.fixture
def sheet(make_home, make_activity, bulk_people, add_members, make_user):  # noqa: F811
    staff = make_user("home_staff")
    colleague = make_user("home_staff")
    home = make_home(staff=[staff, colleague])
    people = bulk_people(5)
    add_members(home, people)
    activity = make_activity(home, first_day=date(2026, 11, 2))
    return {"staff": staff, "colleague": colleague, "activity": activity, "people": people}


@pytest.fixture
def screen(make_user, make_competition, make_event, make_athlete, enter):  # noqa: F811
    coach = make_user("coach")
    first, second = (make_athlete(coaches=[coach]) for _ in range(2))
    event = make_event(make_competition(name="Provincial Games", level="provincial"))
    # On the day, results are provisional until the event's manager publishes them.
    scored = enter(event, first, medal="gold", mark="652", official=False)
    blank = enter(event, second, result=False)
    return {"coach": coach, "event": event, "scored": scored, "blank": blank}
