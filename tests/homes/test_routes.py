"""Homes pages through the test client: public views without member names, permissions,
activity forms (invalid input, 409), single-session cancel and move, roll-call, the
dashboard, own schedule, statistics and exports, the summary API, and query counts."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app.core import clock
from app.extensions import db
from app.homes import recurrence, services
from app.homes.enums import AttendanceStatus
from app.homes.models import Activity, ActivityException, Attendance, Home

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 30 November 2026, 10:00 Beijing


def frozen(now=NOW):
    """Pretend it is ``now`` (the clock stands still there)."""
    return clock.freeze(now)


def setup_home(
    make_home, make_activity, bulk_people, add_members, make_user, n=3, home_name=None, **kw
):
    staff = make_user("home_staff")
    home = make_home(staff=[staff], **({"name": home_name} if home_name else {}))
    people = bulk_people(n)
    add_members(home, people)
    activity = make_activity(home, weekdays=(0,), first_day=date(2026, 11, 2), **kw)
    return staff, home, people, activity


def occurrence_key(activity, weeks=4):
    return recurrence.occurrence_key(activity.starts_at + timedelta(weeks=weeks))


def test_public_pages_show_homes_and_public_activities_never_member_names(
    client, make_home, make_activity, bulk_people, add_members, make_user
):
    _staff, home, people, activity = setup_home(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    private = make_activity(home, title="Counselling circle", kind="counselling", is_public=False)
    with frozen():
        page = client.get("/homes/").get_data(as_text=True)
        assert home.name in page and "1 of the district's 12 towns" in page
        page = client.get(f"/homes/{home.id}").get_data(as_text=True)
        assert "Rehab exercise" in page and "Counselling circle" not in page
        assert "成员0001" not in page and "Day care" in page
        assert client.get(f"/homes/activities/{activity.id}").status_code == 200
        assert client.get(f"/homes/activities/{private.id}").status_code == 404
        key = occurrence_key(activity)
        assert client.get(f"/homes/activities/{activity.id}/sessions/{key}").status_code == 200
        assert client.get(f"/homes/activities/{activity.id}/sessions/bad").status_code == 404
        assert client.get(f"/homes/activities/{activity.id}/roll-call").status_code == 404
        resp = client.get(f"/homes/activities/{activity.id}/sessions/{key}/roll-call")
        assert resp.status_code == 302  # sign in first


def test_staff_manage_only_their_own_homes(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user
):
    staff, home, people, activity = setup_home(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    other_home = make_home()
    other = make_activity(other_home)
    key = occurrence_key(activity)
    login_as(user=staff)
    with frozen():
        page = client.get(f"/homes/{home.id}").get_data(as_text=True)
        assert "成员0001" in page  # their own members
        assert "成员" not in client.get(f"/homes/{other_home.id}").get_data(as_text=True)
        assert (
            client.get(f"/homes/activities/{activity.id}/sessions/{key}/roll-call").status_code
            == 200
        )
        other_key = occurrence_key(other)
        for url in (
            f"/homes/activities/{other.id}/sessions/{other_key}/roll-call",
            f"/homes/activities/{other.id}/edit",
            f"/homes/activities/{other.id}/sessions/{other_key}/cancel",
            f"/homes/{other_home.id}/activities/new",
            f"/homes/{other_home.id}/members/new",
        ):
            assert client.get(url).status_code == 404, url
        assert client.get("/homes/new").status_code == 403


def test_participant_and_caregiver_see_their_own_schedule(
    client, login_as, make_home, make_activity, add_members, make_person, make_user
):
    home = make_home()
    guardian = make_person(
        name="监护人甲", disability_category=None, disability_grade=None, consent=None
    )
    member = make_person(name="成员乙", guardian_person_id=guardian.id)
    add_members(home, [member.id])
    make_activity(home, title="Members craft", kind="craft_work", is_public=False, weekdays=(0, 2))
    caregiver = make_user("participant", person_id=guardian.id)
    login_as(user=caregiver)
    with frozen():
        page = client.get("/homes/mine").get_data(as_text=True)
        assert "成员乙" in page and "Members craft" in page
        assert client.get("/homes/dashboard").status_code == 403
        # The members-only activity is visible to the member's caregiver.
        activity = db.session.scalar(sa.select(Activity).where(Activity.title == "Members craft"))
        assert client.get(f"/homes/activities/{activity.id}").status_code == 200


def form_data(**overrides):
    data = {
        "title": "Chorus",
        "kind": "culture",
        "venue_id": "",
        "leader_person_id": "",
        "first_day-year": "2026",
        "first_day-month": "12",
        "first_day-day": "1",
        "start_time": "14:00",
        "end_time": "15:30",
        "weekdays": ["1", "3"],
        "interval": "1",
        "ends": "count",
        "count": "10",
        "capacity": "",
        "is_public": "y",
        "description": "",
    }
    data.update(overrides)
    return data


def test_create_activity_invalid_input_and_stale_edit(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user
):
    staff, home, _people, _activity = setup_home(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    login_as(user=staff)
    with frozen():
        resp = client.post(f"/homes/{home.id}/activities/new", data=form_data(end_time="13:00"))
        assert resp.status_code == 422
        page = resp.get_data(as_text=True)
        assert "The end time must be after the start time." in page and 'value="Chorus"' in page
        resp = client.post(
            f"/homes/{home.id}/activities/new", data=form_data(start_time="25:00", weekdays=[])
        )
        assert resp.status_code == 422
        assert "Enter the time as hours and minutes" in resp.get_data(as_text=True)
        resp = client.post(f"/homes/{home.id}/activities/new", data=form_data())
        assert resp.status_code == 303
        chorus = db.session.scalar(sa.select(Activity).where(Activity.title == "Chorus"))
        assert chorus.rrule == "FREQ=WEEKLY;WKST=MO;INTERVAL=1;BYDAY=TU,TH;COUNT=10"
        assert chorus.venue_id == home.venue_id
        version = chorus.version
        edit = f"/homes/activities/{chorus.id}/edit"
        assert client.get(edit).status_code == 200
        resp = client.post(edit, data=form_data(title="Chorus A", version=str(version)))
        assert resp.status_code == 303
        resp = client.post(edit, data=form_data(title="Chorus B", version=str(version)))
        assert resp.status_code == 409
        page = resp.get_data(as_text=True)
        assert "Chorus A" in page and "Chorus B" in page
        db.session.expire_all()
        assert db.session.get(Activity, chorus.id).title == "Chorus A"


def test_cancel_move_and_restore_one_session(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user, make_venue
):
    staff, _home, _people, activity = setup_home(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    hall = make_venue(name="Hall")
    key = occurrence_key(activity, weeks=5)
    base = f"/homes/activities/{activity.id}/sessions/{key}"
    login_as(user=staff)
    with frozen():
        page = client.get(base + "/cancel").get_data(as_text=True)
        assert "will be cancelled" in page
        assert client.post(base + "/cancel", data={"reason": ""}).status_code == 422
        assert client.post(base + "/cancel", data={"reason": "Holiday"}).status_code == 303
        row = db.session.scalar(sa.select(ActivityException))
        assert row.kind.value == "cancelled" and row.reason == "Holiday"
        move = {
            "new_day-year": "2026",
            "new_day-month": "12",
            "new_day-day": "9",
            "start_time": "14:00",
            "end_time": "13:00",
            "venue_id": str(hall.id),
            "reason": "Rain",
        }
        assert client.post(base + "/move", data=move).status_code == 422
        assert client.post(base + "/move", data=move | {"end_time": "16:00"}).status_code == 303
        db.session.expire_all()
        row = db.session.scalar(sa.select(ActivityException))
        assert row.kind.value == "moved" and row.new_venue_id == hall.id
        assert row.new_start == datetime(2026, 12, 9, 6, 0, tzinfo=UTC)
        assert "Moved" in client.get(f"/homes/activities/{activity.id}").get_data(as_text=True)
        # Undoing the change asks first (one click changes nothing), then undoes it.
        asked = client.post(base + "/restore", data={})
        assert asked.status_code == 200
        assert "Undo the change to the session of Dec 7, 2026?" in asked.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count(ActivityException.id))) == 1
        assert client.post(base + "/restore", data={"confirmed": "yes"}).status_code == 303
        assert db.session.scalar(sa.select(sa.func.count(ActivityException.id))) == 0


def test_roll_call_marks_one_member_per_post(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user
):
    staff, _home, people, activity = setup_home(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    key = recurrence.occurrence_key(activity.starts_at + timedelta(weeks=4))  # 30 November
    url = f"/homes/activities/{activity.id}/sessions/{key}/roll-call"
    login_as(user=staff)
    with frozen():
        page = client.get(url).get_data(as_text=True)
        assert page.count('value="present"') == 3
        resp = client.post(url, data={"person_id": str(people[0]), "status": "present"})
        assert resp.status_code == 303 and resp.location.endswith(f"#member-{people[0]}")
        resp = client.post(
            url, data={"person_id": str(people[1]), "status": "absent", "reason": ""}
        )
        assert resp.status_code == 422
        assert "Choose the reason for the absence." in resp.get_data(as_text=True)
        client.post(
            url, data={"person_id": str(people[1]), "status": "absent", "reason": "transport"}
        )
        assert (
            client.post(url, data={"person_id": "999999", "status": "present"}).status_code == 422
        )
        client.post(url, data={"mark": "rest_present", "confirmed": "yes"})
        marks = {a.person_id: a.status for a in db.session.scalars(sa.select(Attendance))}
        assert marks == {
            people[0]: AttendanceStatus.PRESENT,
            people[1]: AttendanceStatus.ABSENT,
            people[2]: AttendanceStatus.PRESENT,
        }
        page = client.get(url).get_data(as_text=True)
        assert "Present: 2. Absent: 1. Not marked yet: 0." in page
        # A session next month: roll-call not open yet.
        later = recurrence.occurrence_key(activity.starts_at + timedelta(weeks=8))
        resp = client.post(
            f"/homes/activities/{activity.id}/sessions/{later}/roll-call",
            data={"person_id": str(people[0]), "status": "present"},
        )
        assert resp.status_code == 422


def test_roll_call_and_dashboard_query_counts_do_not_grow(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user, count_queries
):
    staff, home, people, activity = setup_home(
        make_home, make_activity, bulk_people, add_members, make_user, n=5
    )
    key = recurrence.occurrence_key(activity.starts_at + timedelta(weeks=4))
    url = f"/homes/activities/{activity.id}/sessions/{key}/roll-call"
    login_as(user=staff)

    def measure():
        with frozen(), count_queries() as q:
            assert client.get(url).status_code == 200
        with frozen(), count_queries() as d:
            assert client.get("/homes/dashboard").status_code == 200
        return q.count, d.count

    small = measure()
    more = bulk_people(75)
    add_members(home, more)  # 80 members
    start = activity.starts_at + timedelta(weeks=4)
    for pid in more[:40]:
        services.record_marks(
            activity, start, [services.Mark(pid, AttendanceStatus.PRESENT)], set(more), staff, NOW
        )
    for _ in range(3):
        make_activity(home, weekdays=(0, 1))
    db.session.commit()
    large = measure()
    assert large == small, (small, large)
    assert small[0] <= 12 and small[1] <= 14, small
    with frozen():
        page = client.get(url).get_data(as_text=True)
    assert page.count('value="present"') == 80


def test_dashboard_lists_today_and_alerts(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user
):
    staff, home, people, activity = setup_home(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    login_as(user=staff)
    for week in range(4):
        start = activity.starts_at + timedelta(weeks=week)
        services.record_marks(
            activity,
            start,
            [services.Mark(people[0], AttendanceStatus.ABSENT, services.AbsenceReason.ILL)],
            set(people),
            staff,
            start + timedelta(hours=3),
        )
    db.session.commit()
    with frozen():
        page = client.get("/homes/dashboard").get_data(as_text=True)
    assert "Rehab exercise" in page and "Not started" in page
    assert "成员0001" in page or people  # the alerted member is listed by name
    assert "Absent 3 times in a row" in page


def test_statistics_page_exports_and_api(
    client, make_home, make_activity, bulk_people, add_members, make_user
):
    _staff, home, people, activity = setup_home(
        make_home, make_activity, bulk_people, add_members, make_user, home_name="=HYPERLINK(1)"
    )
    start = activity.starts_at
    services.record_marks(
        activity,
        start,
        [services.Mark(p, AttendanceStatus.PRESENT) for p in people],
        set(people),
        None,
        start,
    )
    db.session.commit()
    page = client.get("/homes/statistics?from=2026-01-01&to=2026-12-31")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "2026-11" in text and "<svg" in text
    # Bad input is a 422 with the message at its field and the input kept (the period
    # rules of app/core/params.py, as on the performances' statistics).
    bad = client.get("/homes/statistics?from=2026-13-01", headers={"Accept-Language": "en"})
    assert bad.status_code == 422
    bad_text = bad.get_data(as_text=True)
    assert 'id="from-error"' in bad_text and 'value="2026-13-01"' in bad_text
    assert "Write the date as year-month-day, for example 2026-12-03." in bad_text
    assert "format=csv" not in bad_text  # no download of a period that was not chosen
    order = client.get("/homes/statistics?from=2026-12-31&to=2026-01-01")
    # Without a period: everything recorded up to today, as on the performances' statistics.
    default = client.get("/homes/statistics", headers={"Accept-Language": "en"})
    assert "From Jan 1, 2000 to Nov 30, 2026" in default.get_data(as_text=True)
    assert order.status_code == 422 and 'id="to-error"' in order.get_data(as_text=True)
    csv = client.get("/homes/statistics?from=2026-01-01&to=2026-12-31&format=csv").get_data(
        as_text=True
    )
    assert "'=HYPERLINK(1)" in csv and ",=HYPERLINK" not in csv
    xlsx = client.get("/homes/statistics?from=2026-01-01&to=2026-12-31&format=xlsx")
    assert xlsx.status_code == 200 and b"".join(xlsx.response)[:2] == b"PK"
    data = client.get("/api/v1/homes/summary?from=2026-01-01&to=2026-12-31").get_json()
    assert data["homes"] == 1 and data["members"] == 3 and data["attendance"] == 3
    assert {"kind": "rehab_exercise", "attendance": 3} in data["by_kind"]
    assert {"service": "day_care", "members": 3} in data["by_service"]
    for bad in ("from=2026-1-1", "to=x", "from=2026-02-01&to=2026-01-01", "town=1"):
        resp = client.get(f"/api/v1/homes/summary?{bad}")
        assert resp.status_code == 400 and resp.mimetype == "application/problem+json"
        assert resp.get_json()["parameter"] and resp.get_json()["detail"]
    edge = client.get("/api/v1/homes/summary?from=0001-01-01&to=9999-12-31").get_json()
    assert edge["members"] == 3 and edge["to"] == "9999-12-31"
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/homes/summary" in spec["paths"]


def test_add_and_end_membership(client, login_as, make_home, make_person, make_user):
    staff = make_user("home_staff")
    home = make_home(staff=[staff])
    person = make_person()
    login_as(user=staff)
    url = f"/homes/{home.id}/members/new"
    data = {
        "person_number": str(person.id),
        "birth_on-year": "1990",
        "birth_on-month": "1",
        "birth_on-day": "1",
        "joined_on-year": "2026",
        "joined_on-month": "11",
        "joined_on-day": "2",
        "services": ["day_care"],
    }
    resp = client.post(url, data=data)
    assert resp.status_code == 422  # wrong date of birth
    birth = person.birth_on
    data |= {
        "birth_on-year": str(birth.year),
        "birth_on-month": str(birth.month),
        "birth_on-day": str(birth.day),
    }
    assert client.post(url, data=data).status_code == 303
    assert client.post(url, data=data).status_code == 422  # already a member
    membership = db.session.scalar(sa.select(services.Membership))
    end = f"/homes/members/{membership.id}/end"
    bad = {
        "left_on-year": "2026",
        "left_on-month": "11",
        "left_on-day": "3",
        "reason": "health",
        "version": "99",
    }
    assert client.post(end, data=bad).status_code == 409
    assert client.post(end, data=bad | {"version": str(membership.version)}).status_code == 303
    db.session.expire_all()
    assert db.session.get(services.Membership, membership.id).left_on == date(2026, 11, 3)
    assert db.session.get(Home, home.id) is not None


def test_overlapping_sessions_are_a_warning_not_a_block(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user
):
    staff, home, _people, activity = setup_home(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    login_as(user=staff)
    with frozen():
        # Mondays 10:00-11:30 at the home's venue: overlaps the Monday 09:00-11:00 sessions.
        data = form_data(title="Choir", weekdays=["0"], start_time="10:00", end_time="11:30")
        resp = client.post(f"/homes/{home.id}/activities/new", data=data, follow_redirects=True)
        assert resp.status_code == 200
        page = resp.get_data(as_text=True)
        assert "coming sessions overlap other bookings" in page
        assert "Sessions that overlap other bookings" in page and "Rehab exercise" in page
        # Touching sessions (11:30-12:30, after the choir) do not clash.
        data = form_data(title="Lunch club", weekdays=["0"], start_time="11:30", end_time="12:30")
        page = client.post(
            f"/homes/{home.id}/activities/new", data=data, follow_redirects=True
        ).get_data(as_text=True)
        assert "overlap" not in page


def test_index_statistics_and_detail_query_counts_do_not_grow(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user, count_queries
):
    staff, home, people, activity = setup_home(
        make_home, make_activity, bulk_people, add_members, make_user, n=2
    )
    services.record_marks(
        activity,
        activity.starts_at + timedelta(weeks=2),
        [services.Mark(people[0], AttendanceStatus.PRESENT)],
        set(people),
        staff,
        NOW,
    )
    db.session.commit()
    login_as(user=staff)
    urls = ("/homes/", "/homes/statistics?from=2026-01-01&to=2026-12-31", f"/homes/{home.id}")

    def measure():
        counts = []
        for url in urls:
            with frozen(), count_queries() as q:
                assert client.get(url).status_code == 200, url
            counts.append(q.count)
        return counts

    small = measure()
    for _ in range(3):  # more homes (one staffed by the same user), members and activities
        other = make_home(staff=[staff])
        more = bulk_people(20)
        add_members(other, more)
        make_activity(other, weekdays=(0, 2, 4))
    add_members(home, bulk_people(20))
    make_activity(home, weekdays=(1, 3))
    db.session.commit()
    assert measure() == small, small


def test_the_home_form_offers_active_staff_and_keeps_the_home_s_own(
    client, login_as, make_user, make_home
):
    """A deactivated staff account is not offered for a new home; a home it already staffs
    keeps it offered (and ticked), so saving that home does not drop it unasked."""
    import re

    from app.accounts import services as accounts

    active = make_user("home_staff", display_name="Active Staff")
    gone = make_user("home_staff", display_name="Gone Staff")
    home = make_home(staff=[gone])
    accounts.set_active(gone, False)
    db.session.commit()
    login_as("admin")

    def offered(html):
        return re.findall(r'name="staff"(?: required)? type="checkbox" value="(\d+)"', html)

    new = client.get("/homes/new").get_data(as_text=True)
    assert offered(new) == [str(active.id)]
    edit = client.get(f"/homes/{home.id}/edit").get_data(as_text=True)
    assert offered(edit) == [str(active.id), str(gone.id)]
    assert re.search(rf'checked id="[^"]+" name="staff" type="checkbox" value="{gone.id}"', edit)
