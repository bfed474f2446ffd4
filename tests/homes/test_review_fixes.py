"""Fixes from the independent review: choices checked in forms and services (finding 1),
reasons shown only to members and managers (2), huge numbers a clear error (4b), edge dates
never overflow (4d)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.core.errors import DomainError
from app.extensions import db
from app.homes import recurrence, services
from app.homes.models import Activity
from tests.homes.test_routes import form_data, frozen, occurrence_key, setup_home

HUGE = "9" * 20
ENORMOUS = "9" * 5000


@pytest.fixture
def staffed(make_home, make_activity, bulk_people, add_members, make_user, make_person):
    """A home whose staff user has a person record (the one valid leader)."""
    leader = make_person(name="带领人甲", disability_category=None, disability_grade=None)
    staff = make_user("home_staff", person_id=leader.id)
    home = make_home(staff=[staff])
    people = bulk_people(3)
    add_members(home, people)
    activity = make_activity(home, weekdays=(0,), first_day=date(2026, 11, 2))
    return staff, leader, home, people, activity


def _archive(venue):
    venue.is_archived = True
    db.session.commit()


# --- finding 1: leader and venue only from the offered choices -----------------------------


def test_service_refuses_a_leader_who_is_not_staff_of_the_home(staffed, make_person):
    _staff, leader, home, _people, activity = staffed
    stranger = make_person(name="路人乙")
    schedule = services.Schedule.of(activity)
    data = {"title": "T", "kind": "culture", "leader_person_id": stranger.id}
    for bad in (stranger.id, 10**20, 0):
        data["leader_person_id"] = bad
        with pytest.raises(DomainError) as error:
            services.create_activity(home, data, schedule)
        assert error.value.field == "leader_person_id"
        db.session.rollback()
        with pytest.raises(DomainError) as error:
            services.update_activity(activity, activity.version, data, schedule)
        assert error.value.field == "leader_person_id"
        db.session.rollback()
    data["leader_person_id"] = leader.id
    assert services.create_activity(home, data, schedule).leader_person_id == leader.id


def test_service_refuses_archived_or_unknown_venues_for_new_values(staffed, make_venue, make_home):
    _staff, _leader, home, _people, activity = staffed
    archived = make_venue()
    _archive(archived)
    schedule = services.Schedule.of(activity)
    for bad in (archived.id, 10**20):
        data = {"title": "T", "kind": "culture", "venue_id": bad}
        with pytest.raises(DomainError) as error:
            services.create_activity(home, data, schedule)
        assert error.value.field == "venue_id"
        db.session.rollback()
        with pytest.raises(DomainError) as error:
            services.update_home(home, home.version, {"venue_id": bad})
        assert error.value.field == "venue_id"
        db.session.rollback()
        start = activity.starts_at + timedelta(weeks=1)
        with pytest.raises(DomainError) as error:
            services.move_occurrence(
                activity, start, date(2026, 11, 10), time(9), time(10), bad, "rain"
            )
        assert error.value.field == "venue_id"
        db.session.rollback()
    # The venue an activity is at now stays valid after it is archived.
    _archive(db.session.get(type(archived), activity.venue_id))
    data = {"title": "T", "kind": "culture", "venue_id": activity.venue_id}
    services.update_activity(activity, activity.version, data, schedule)
    db.session.commit()
    assert activity.title == "T"


def test_edit_form_accepts_only_offered_leaders_and_venues(
    client, login_as, staffed, make_person, make_venue
):
    staff, leader, home, _people, activity = staffed
    stranger = make_person(name="路人丙")
    archived = make_venue(name="旧场馆丁")
    _archive(archived)
    # A leader set earlier who is not staff is no longer offered, so their name is not shown.
    activity.leader_person_id = stranger.id
    db.session.commit()
    login_as(user=staff)
    url = f"/homes/activities/{activity.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "带领人甲" in page and "路人丙" not in page and "旧场馆丁" not in page
    for field, value in (
        ("leader_person_id", str(stranger.id)),
        ("leader_person_id", HUGE),
        ("leader_person_id", ENORMOUS),
        ("venue_id", str(archived.id)),
        ("venue_id", HUGE),
    ):
        resp = client.post(url, data=form_data(version=str(activity.version), **{field: value}))
        assert resp.status_code == 422, (field, value[:30])
        text = resp.get_data(as_text=True)
        assert "from the list" in text and "路人丙" not in text
    resp = client.post(
        url, data=form_data(version=str(activity.version), leader_person_id=str(leader.id))
    )
    assert resp.status_code == 303
    # The new days and times apply from the next session on: the redirect names the series
    # that holds them (the same one, or its continuation; app.homes.series).
    saved_id = int(resp.location.rsplit("/", 1)[1])
    assert db.session.get(Activity, saved_id).leader_person_id == leader.id
    resp = client.post(f"/homes/{home.id}/activities/new", data=form_data(venue_id=HUGE))
    assert resp.status_code == 422


def test_home_form_and_move_form_refuse_unlisted_venues(client, login_as, staffed, make_venue):
    staff, _leader, home, _people, activity = staffed
    archived = make_venue()
    _archive(archived)
    login_as(user=staff)
    key = occurrence_key(activity)
    url = f"/homes/activities/{activity.id}/sessions/{key}/move"
    with frozen():
        for value in (str(archived.id), HUGE, ENORMOUS):
            resp = client.post(
                url,
                data={
                    "new_day-year": "2026",
                    "new_day-month": "12",
                    "new_day-day": "2",
                    "start_time": "09:00",
                    "end_time": "10:00",
                    "venue_id": value,
                    "reason": "rain",
                },
            )
            assert resp.status_code == 422
            assert "Choose a venue from the list." in resp.get_data(as_text=True)
    login_as("admin")
    resp = client.post(
        f"/homes/{home.id}/edit",
        data={
            "name": home.name,
            "kind": "sunshine_home",
            "town_id": str(home.town_id),
            "venue_id": HUGE,
            "opened_on-year": "2018",
            "opened_on-month": "1",
            "opened_on-day": "1",
            "services": ["day_care"],
            "version": str(home.version),
        },
    )
    assert resp.status_code == 422
    assert "Choose a venue from the list." in resp.get_data(as_text=True)


# --- finding 2: reasons for members and managers only --------------------------------------


def test_cancel_reason_shown_only_to_members_and_managers(
    client, login_as, make_home, make_activity, make_person, add_members, make_user
):
    staff = make_user("home_staff")
    home = make_home(staff=[staff])
    guardian = make_person(name="监护人", disability_category=None, disability_grade=None)
    member = make_person(name="成员丙", guardian_person_id=guardian.id)
    add_members(home, [member.id])
    activity = make_activity(home, weekdays=(0,), first_day=date(2026, 11, 2))
    start = activity.starts_at + timedelta(weeks=4)
    services.cancel_occurrence(activity, start, "示例·住院")
    other_home = make_home()
    services.move_occurrence(
        activity,
        activity.starts_at + timedelta(weeks=5),
        date(2026, 12, 8),
        time(9),
        time(11),
        None,
        "示例·复查",
    )
    db.session.commit()
    key = recurrence.occurrence_key(start)
    moved_key = recurrence.occurrence_key(activity.starts_at + timedelta(weeks=5))
    urls = (
        f"/homes/activities/{activity.id}",
        f"/homes/activities/{activity.id}/sessions/{key}",
        f"/homes/activities/{activity.id}/sessions/{moved_key}",
        f"/homes/{home.id}",
    )

    def reasons_seen():
        with frozen(datetime(2026, 11, 30, 2, 0, tzinfo=UTC)):
            pages = [client.get(url) for url in urls]
        assert all(p.status_code == 200 for p in pages)
        return [
            ("示例·住院" in p.get_data(as_text=True)) or ("示例·复查" in p.get_data(as_text=True))
            for p in pages
        ]

    assert reasons_seen() == [False] * 4  # anonymous
    login_as("participant")
    assert reasons_seen() == [False] * 4  # a signed-in stranger
    login_as(user=make_user("home_staff", username="otherstaff"))
    assert reasons_seen() == [False] * 4  # staff of another home
    login_as(user=make_user("participant", person_id=guardian.id))
    assert all(reasons_seen()[:3])  # the member's caregiver
    login_as(user=staff)
    assert all(reasons_seen()[:3])
    login_as("admin")
    assert all(reasons_seen()[:3])
    page = client.get(f"/homes/activities/{activity.id}/sessions/{key}/cancel")
    assert "Shown only to the home&#39;s members" in page.get_data(as_text=True) or (
        "Shown only to the home's members" in page.get_data(as_text=True)
    )
    assert other_home  # unused otherwise


# --- finding 4b: huge numbers --------------------------------------------------------------


def test_roll_call_and_member_numbers_too_large_are_clear_errors(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user
):
    staff, home, _people, activity = setup_home(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    login_as(user=staff)
    key = recurrence.occurrence_key(activity.starts_at + timedelta(weeks=4))
    url = f"/homes/activities/{activity.id}/sessions/{key}/roll-call"
    with frozen():
        for value in (HUGE, ENORMOUS, "²", "-1"):
            resp = client.post(url, data={"person_id": value, "status": "present"})
            assert resp.status_code == 422, value[:30]
            assert "not expected" in resp.get_data(as_text=True)
    for value in (HUGE, ENORMOUS):
        resp = client.post(
            f"/homes/{home.id}/members/new",
            data={
                "person_number": value,
                "birth_on-year": "1990",
                "birth_on-month": "1",
                "birth_on-day": "1",
                "joined_on-year": "2026",
                "joined_on-month": "1",
                "joined_on-day": "1",
                "services": ["day_care"],
            },
        )
        assert resp.status_code == 422, value[:30]
    for field in ("capacity", "interval", "count"):
        for value in (HUGE, ENORMOUS):
            resp = client.post(f"/homes/{home.id}/activities/new", data=form_data(**{field: value}))
            assert resp.status_code == 422, (field, value[:30])


# --- finding 4d: edge dates ---------------------------------------------------------------


def test_windows_at_the_ends_of_the_calendar_are_clamped(make_home, make_activity, make_user):
    home = make_home()
    activity = make_activity(home)
    start, end = recurrence.local_day_window(date.max)
    assert start <= end == recurrence.LATEST_INSTANT
    start, end = recurrence.local_day_window(date.min)
    assert start == recurrence.EARLIEST_INSTANT <= end
    assert recurrence.local_week_window(date.max)[1] == recurrence.LATEST_INSTANT
    assert recurrence.local_week_window(date.min)[0] == recurrence.EARLIEST_INSTANT
    for first, last in ((date.max, date.max), (date.min, date.min), (date.min, date.max)):
        window = recurrence.local_day_window(first, last)
        found = recurrence.occurrences(activity, *window)
        assert len(found) == (
            22 if (first, last) == (date.min, date.max) else 0
        )  # Mondays to 2027-03-31
        _acts, occs = recurrence.load_occurrences(db.session, *window)
        assert len(occs) == len(found)
    assert recurrence.parse_occurrence_key("99991231T235959Z") is None
    assert recurrence.parse_occurrence_key("00010101T000000Z") is None
    far = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert recurrence.occurrence_at(activity, far) is None


def test_summary_and_report_at_year_1_and_9999_answer_zero(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user
):
    staff, _home, _people, activity = setup_home(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    for day in ("9999-12-31", "0001-01-01"):
        data = client.get(f"/api/v1/homes/summary?from={day}&to={day}")
        assert data.status_code == 200, day
        body = data.get_json()
        assert body["attendance"] == 0 and all(k["attendance"] == 0 for k in body["by_kind"])
        # Open memberships and homes still open overlap 9999-12-31; nothing existed in year 1.
        expected = (0, 0) if day == "0001-01-01" else (1, 3)
        assert (body["homes"], body["members"]) == expected
        report = client.get(f"/api/v1/report?from={day}&to={day}")
        assert report.status_code == 200, day
    for path in ("", "/roll-call"):
        url = f"/homes/activities/{activity.id}/sessions/99991231T235959Z{path}"
        assert client.get(url).status_code in (404, 302)
    login_as(user=staff)
    for key in ("99991231T235959Z", "00010101T000000Z"):
        for path in ("", "/roll-call", "/cancel", "/move"):
            url = f"/homes/activities/{activity.id}/sessions/{key}{path}"
            assert client.get(url).status_code == 404, url
    assert (
        client.get(f"/homes/activities/{activity.id}/sessions/99991231T235959Z").status_code == 404
    )
