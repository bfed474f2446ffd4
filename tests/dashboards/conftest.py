"""API tests: the builders of the domains' tests (competitions, performances, homes)."""

from tests.athletes.conftest import make_athlete, make_user, sports  # noqa: F401
from tests.competitions.conftest import enter, make_competition, make_event  # noqa: F401
from tests.homes.conftest import add_members, bulk_people, make_activity, make_home  # noqa: F401
from tests.performances.conftest import (  # noqa: F401
    _english,
    make_performance,
    make_programme,
    make_troupe,
    organiser,
)
