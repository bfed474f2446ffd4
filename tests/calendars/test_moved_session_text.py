"""A session moved to another venue: its RECURRENCE-ID override names the new venue and its
accessibility in DESCRIPTION as well as in LOCATION (issue 12 item 13)."""

from datetime import time, timedelta

import icalendar

from app.extensions import db

from .conftest import local_instant
from .test_homes_performances import monday_after


def test_a_moved_sessions_description_names_its_new_venue(
    client, make_home, make_activity, make_venue, today
):
    from app.homes import services

    home = make_home(venue=make_venue(name="老会堂", features=["step_free_entrance"]))
    pool = make_venue(name="新泳池", features=["accessible_toilet", "sign_language"])
    first = monday_after(today)
    activity = make_activity(home, first_day=first, until_on=first + timedelta(days=60))
    moved = local_instant(first + timedelta(days=7), 9)
    activity = db.session.get(type(activity), activity.id)
    services.move_occurrence(
        activity, moved, first + timedelta(days=8), time(14), time(16), pool.id, "pool"
    )
    db.session.commit()
    data = client.get(f"/calendar/home/{home.id}.ics?lang=en").data
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    master = next(e for e in events if "RECURRENCE-ID" not in e)
    override = next(e for e in events if "RECURRENCE-ID" in e)
    assert "老会堂" in str(master["DESCRIPTION"])
    description = str(override["DESCRIPTION"])
    assert "新泳池" in str(override["LOCATION"])
    assert "新泳池" in description and "老会堂" not in description
    assert "Step-free" not in description
