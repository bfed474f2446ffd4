"""Issue 19 item 10, existing data: the all_day migration turns the events saved by the old
form with a day and no time (a start at 00:00 Beijing time and no end) into all-day events;
a timed event, or one with an end, stays as it is."""

import importlib.util
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

MIGRATION = next(
    Path(__file__).resolve().parents[2].glob("migrations/versions/*_c3e8a1d4f7b2_*.py")
)


def load():
    spec = importlib.util.spec_from_file_location("all_day_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_midnight_starts_without_an_end_become_all_day():
    rows = [
        (1, datetime(2027, 5, 1, 16, 0, tzinfo=UTC), None),  # 2 May 00:00 Beijing, no end
        (2, datetime(2027, 5, 2, 1, 30, tzinfo=UTC), None),  # 09:30
        (3, datetime(2027, 5, 1, 16, 0, tzinfo=UTC), datetime(2027, 5, 1, 17, 0, tzinfo=UTC)),
        (4, datetime(2027, 5, 2, 0, 0, tzinfo=UTC), None),  # 08:00 Beijing (UTC midnight)
    ]
    assert load().all_day_ids(rows, ZoneInfo("Asia/Shanghai")) == [1]
