"""Home activities and performances in the feeds: RRULE masters with EXDATE and RECURRENCE-ID
overrides that follow the homes services, members' and performers' personal feeds, public
and non-public items."""

from datetime import UTC, date, time, timedelta

import icalendar
import sqlalchemy as sa

from app.calendars import tokens
from app.calendars.lint import lint
from app.calendars.models import CalendarItem
from app.extensions import db

from .conftest import local_instant


def item(kind, source_id):
    db.session.expire_all()
    return db.session.scalar(
        sa.select(CalendarItem).where(
            CalendarItem.kind == kind, CalendarItem.source_id == source_id
        )
    )


def monday_after(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def test_activity_master_exdate_and_moved_override(client, make_home, make_activity, today):
    from app.homes import services

    home = make_home()
    first = monday_after(today)
    activity = make_activity(
        home, weekdays=(0, 3), first_day=first, until_on=first + timedelta(days=60)
    )
    found = item("activity", activity.id)
    text = found.ics_zh.decode()
    assert "RRULE:FREQ=WEEKLY;" in text and "UNTIL=" in text and "COUNT=" not in text
    assert found.sequence == 0
    cancelled_start = local_instant(first + timedelta(days=7), 9)
    moved_start = local_instant(first + timedelta(days=14), 9)
    activity = db.session.get(type(activity), activity.id)
    services.cancel_occurrence(activity, cancelled_start, "holiday")
    db.session.commit()
    found = item("activity", activity.id)
    assert found.sequence == 1
    assert "EXDATE;TZID=Asia/Shanghai:" in found.ics_zh.decode()
    activity = db.session.get(type(activity), activity.id)
    services.move_occurrence(
        activity, moved_start, first + timedelta(days=15), time(14), time(16), None, "rain"
    )
    db.session.commit()
    found = item("activity", activity.id)
    assert found.sequence == 2
    data = client.get(f"/calendar/home/{home.id}.ics").data
    assert lint(data) == []
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    master = next(e for e in events if "RECURRENCE-ID" not in e)
    override = next(e for e in events if "RECURRENCE-ID" in e)
    assert master["SEQUENCE"] == 2 and override["SEQUENCE"] == 3
    assert (
        str(master["UID"])
        == str(override["UID"])
        == f"activity-{activity.id}@calendar.ronghe.local"
    )
    exdates = master["EXDATE"]
    exdates = exdates if isinstance(exdates, list) else [exdates]
    assert [d.dt.astimezone(UTC) for e in exdates for d in e.dts] == [cancelled_start]
    assert all(d.dt.tzinfo.key == "Asia/Shanghai" for e in exdates for d in e.dts)
    assert override["RECURRENCE-ID"].dt.astimezone(UTC) == moved_start
    assert override.start.astimezone(UTC) == local_instant(first + timedelta(days=15), 14)
    # Restoring the moved occurrence removes the override and raises SEQUENCE again.
    activity = db.session.get(type(activity), activity.id)
    services.restore_occurrence(activity, moved_start)
    db.session.commit()
    found = item("activity", activity.id)
    assert found.sequence == 3 and "RECURRENCE-ID" not in found.ics_zh.decode()


def test_members_get_all_activities_public_gets_public_ones(
    client, make_home, make_activity, add_members, make_person, make_user, today
):
    home = make_home()
    first = monday_after(today)
    open_one = make_activity(home, first_day=first, title="Open craft")
    private = make_activity(home, first_day=first, title="Counselling", is_public=False)
    member = make_person()
    add_members(home, [member.id], joined_on=today - timedelta(days=30))
    user = make_user("participant", person_id=member.id)
    token = tokens.issue(user.id)
    db.session.commit()
    mine = client.get(f"/calendar/u/{token}.ics").data
    assert f"activity-{open_one.id}@".encode() in mine
    assert f"activity-{private.id}@".encode() in mine
    public = (
        client.get("/calendar/public.ics").data + client.get(f"/calendar/home/{home.id}.ics").data
    )
    assert f"activity-{open_one.id}@".encode() in public
    assert f"activity-{private.id}@".encode() not in public


def test_archived_activity_leaves_as_cancelled(make_home, make_activity, today):
    home = make_home()
    activity = make_activity(home, first_day=monday_after(today))
    activity = db.session.get(type(activity), activity.id)
    activity.is_archived = True
    db.session.commit()
    found = item("activity", activity.id)
    assert found.cancelled_at is not None and "STATUS:CANCELLED" in found.ics_en.decode()


def test_performance_feeds(
    client, make_performance, make_troupe, make_person, make_user, make_venue, today
):
    performer = make_person()
    interpreter = make_person()
    troupe = make_troupe()
    day = today + timedelta(days=12)
    show = make_performance(
        local_instant(day, 14),
        local_instant(day, 16),
        troupe_id=troupe.id,
        needs=["sign_language"],
        people=[(performer, "performer"), (interpreter, "interpreter")],
    )
    closed = make_performance(
        local_instant(day + timedelta(days=1), 14),
        local_instant(day + timedelta(days=1), 16),
        is_public=False,
        people=[(performer, "performer")],
    )
    found = item("performance", show.id)
    text = found.fields["text"]["en"]["description"]
    assert "Interpretation: Sign-language interpretation" in text
    public = client.get("/calendar/public.ics").data.decode()
    assert f"performance-{show.id}@" in public and f"performance-{closed.id}@" not in public
    for url in (
        f"/calendar/programme/{show.programme_id}.ics",
        f"/calendar/troupe/{troupe.id}.ics",
    ):
        data = client.get(url).data.decode()
        assert f"performance-{show.id}@" in data and f"performance-{closed.id}@" not in data
    user = make_user("participant", person_id=performer.id)
    token = tokens.issue(user.id)
    other = make_user("participant", person_id=make_person().id)
    other_token = tokens.issue(other.id)
    db.session.commit()
    mine = client.get(f"/calendar/u/{token}.ics").data.decode()
    assert f"performance-{show.id}@" in mine and f"performance-{closed.id}@" in mine
    theirs = client.get(f"/calendar/u/{other_token}.ics").data.decode()
    assert "performance-" not in theirs
    # Cancelling: STATUS:CANCELLED with a higher SEQUENCE, the ETag moves.
    etag = client.get("/calendar/public.ics").headers["ETag"]
    show = db.session.get(type(show), show.id)
    show.status = "cancelled"
    db.session.commit()
    again = client.get("/calendar/public.ics", headers={"If-None-Match": etag})
    assert again.status_code == 200
    event = next(
        e
        for e in icalendar.Calendar.from_ical(again.data).walk("VEVENT")
        if str(e["UID"]).startswith(f"performance-{show.id}@")
    )
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1


def test_a_performance_moved_to_another_venue_is_moved_in_every_feed(
    client, make_performance, make_venue, today
):
    """The organiser's form changes the venue in the same session that loaded the old one:
    the item must be built from the new venue (it kept the old LOCATION and venue feed)."""
    from app.performances import services

    day = today + timedelta(days=12)
    old_venue, new_venue = (
        make_venue(name="岳林街道社区服务中心"),
        make_venue(name="松岙镇社区活动中心"),
    )
    show = make_performance(local_instant(day, 14), local_instant(day, 16), venue=old_venue)
    assert item("performance", show.id).sequence == 0
    show = db.session.get(type(show), show.id)
    assert show.venue.name == "岳林街道社区服务中心"  # loaded, as the edit page does
    data = {
        "title": show.title,
        "programme_id": show.programme_id,
        "troupe_id": None,
        "setting": show.setting,
        "venue_id": new_venue.id,
        "starts_at": show.starts_at,
        "ends_at": show.ends_at,
        "status": "confirmed",
        "is_public": True,
        "needs": [],
        "people": [],
    }
    services.save_performance(show, data, version=show.version, override_reason="")
    db.session.commit()
    found = item("performance", show.id)
    assert found.sequence == 1
    assert found.fields["text"]["zh"]["location"].startswith("松岙镇社区活动中心")
    event = next(
        e
        for e in icalendar.Calendar.from_ical(
            client.get(f"/calendar/venue/{new_venue.id}.ics").data
        ).walk("VEVENT")
        if str(e["UID"]).startswith(f"performance-{show.id}@")
    )
    assert str(event["LOCATION"]).startswith("松岙镇社区活动中心")
    assert (
        f"performance-{show.id}@"
        not in client.get(f"/calendar/venue/{old_venue.id}.ics").data.decode()
    )


def test_booking_more_people_costs_the_commit_no_more_statements(
    make_performance, make_venue, make_person, today, count_queries
):
    """The calendar hook reads afresh only what can go stale (the many-to-ones), not every
    changed row: booking 20 people costs the commit what booking 5 does."""
    from app.performances import services

    def commit_statements(count: int) -> int:
        people = [make_person() for _ in range(count)]
        day = today + timedelta(days=12 + count)
        show = make_performance(local_instant(day, 14), local_instant(day, 16))
        show = db.session.get(type(show), show.id)
        data = {
            "title": show.title,
            "programme_id": show.programme_id,
            "troupe_id": None,
            "setting": show.setting,
            "venue_id": make_venue().id,
            "starts_at": show.starts_at,
            "ends_at": show.ends_at,
            "status": "confirmed",
            "is_public": True,
            "needs": [],
            "people": [
                {"person_id": p.id, "role": "performer", "uses_wheelchair": False} for p in people
            ],
        }
        services.save_performance(show, data, version=show.version, override_reason="test")
        with count_queries() as counted:
            db.session.commit()
        return len(counted.statements)

    assert commit_statements(20) == commit_statements(5)


def test_single_event_of_a_private_performance_only_for_its_people(
    client, make_performance, make_person, login_as, today
):
    performer = make_person()
    day = today + timedelta(days=5)
    closed = make_performance(
        local_instant(day, 14),
        local_instant(day, 16),
        is_public=False,
        people=[(performer, "performer")],
    )
    url = f"/calendar/event/performance/{closed.id}.ics"
    assert client.get(url).status_code == 404
    login_as("participant", person_id=performer.id)
    assert client.get(url).status_code == 200


def test_go_links_reach_the_performance_and_activity_pages(
    client, make_performance, make_home, make_activity, today
):
    day = today + timedelta(days=5)
    show = make_performance(local_instant(day, 14), local_instant(day, 16))
    activity = make_activity(make_home(), first_day=monday_after(today))
    response = client.get(f"/calendar/go/performance/{show.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/performances/{show.id}")
    response = client.get(f"/calendar/go/activity/{activity.id}")
    assert response.headers["Location"].endswith(f"/homes/activities/{activity.id}")
    assert client.get("/calendar/go/activity/99999").status_code == 404


def test_private_single_event_is_not_cached(client, make_performance, make_person, login_as, today):
    performer = make_person()
    day = today + timedelta(days=5)
    closed = make_performance(
        local_instant(day, 14),
        local_instant(day, 16),
        is_public=False,
        people=[(performer, "performer")],
    )
    login_as("participant", person_id=performer.id)
    response = client.get(f"/calendar/event/performance/{closed.id}.ics")
    assert response.headers["Cache-Control"] == "no-store"


def test_public_feeds_carry_what_public_pages_show(
    client, make_performance, make_person, make_user, today
):
    """A public performance still planned or postponed is on its people's feeds but not on
    the public ones, as the public performance pages do not show it yet."""
    performer = make_person()
    day = today + timedelta(days=20)
    planned = make_performance(
        local_instant(day, 9), local_instant(day, 11), people=[(performer, "performer")]
    )
    planned = db.session.get(type(planned), planned.id)
    planned.status = "planned"
    db.session.commit()
    assert f"performance-{planned.id}@" not in client.get("/calendar/public.ics").data.decode()
    venue_feed = client.get(f"/calendar/venue/{planned.venue_id}.ics").data.decode()
    assert f"performance-{planned.id}@" not in venue_feed
    token = tokens.issue(make_user("participant", person_id=performer.id).id)
    db.session.commit()
    mine = client.get(f"/calendar/u/{token}.ics").data.decode()
    assert f"performance-{planned.id}@" in mine and "STATUS:TENTATIVE" in mine
    planned = db.session.get(type(planned), planned.id)
    planned.status = "confirmed"
    db.session.commit()
    assert f"performance-{planned.id}@" in client.get("/calendar/public.ics").data.decode()


def test_home_staff_schedule_holds_their_homes_activities(
    client, make_home, make_activity, make_user, login_as, today
):
    from app.homes.models import HomeStaff

    home, other_home = make_home(), make_home()
    first = monday_after(today)
    private = make_activity(home, first_day=first, title="Counselling", is_public=False)
    elsewhere = make_activity(other_home, first_day=first, title="Elsewhere", is_public=False)
    staff = login_as("home_staff")
    db.session.add(HomeStaff(home_id=home.id, user_id=staff.id))
    token = tokens.issue(staff.id)
    db.session.commit()
    mine = client.get(f"/calendar/u/{token}.ics").data.decode()
    assert f"activity-{private.id}@" in mine and f"activity-{elsewhere.id}@" not in mine
    # So the activity page's "add to my calendar" works for them too.
    assert client.get(f"/calendar/event/activity/{private.id}.ics").status_code == 200
    assert client.get(f"/calendar/event/activity/{elsewhere.id}.ics").status_code == 404


def test_event_pages_offer_add_to_my_calendar(
    client, upcoming, make_performance, make_home, make_activity, login_as, today
):
    competition, event = upcoming()
    day = today + timedelta(days=9)
    show = make_performance(local_instant(day, 14), local_instant(day, 16))
    activity = make_activity(make_home(), first_day=monday_after(today))
    db.session.commit()
    login_as("admin")
    pages = {
        f"/competitions/{competition.id}": (
            f"/calendar/event/competition/{competition.id}.ics",
            f"/calendar/event/competition_event/{event.id}.ics",
        ),
        f"/performances/{show.id}": (f"/calendar/event/performance/{show.id}.ics",),
        f"/homes/activities/{activity.id}": (f"/calendar/event/activity/{activity.id}.ics",),
    }
    for page, links in pages.items():
        html = client.get(page).data.decode()
        for link in links:
            assert f'href="{link}"' in html, (page, link)
            response = client.get(link)
            assert response.status_code == 200
            assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
