"""Editing a weekly activity's days or times applies from a date forward (issue 19 items 1
and 2): past sessions, their roll-calls and their URLs stay as they were, the figures do not
count a session twice, and changes to single sessions survive the edit or are listed before
saving."""

import re
from datetime import UTC, date, datetime, time

import sqlalchemy as sa

from app.core import clock
from app.extensions import db
from app.homes import recurrence, services, stats
from app.homes.enums import AbsenceReason, AttendanceStatus
from app.homes.models import Activity, ActivityException, Attendance

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 30 November 2026, 10:00 Beijing
ROLL_CALL = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 23 November, 09:00 Beijing


def _setup(make_home, make_activity, bulk_people, add_members, make_user):
    staff = make_user("home_staff")
    home = make_home(staff=[staff])
    people = bulk_people(49)
    add_members(home, people)
    activity = make_activity(home, title="康复训练", first_day=date(2026, 11, 2))
    marks = [services.Mark(p, AttendanceStatus.PRESENT) for p in people[:41]] + [
        services.Mark(p, AttendanceStatus.ABSENT, AbsenceReason.ILL) for p in people[41:]
    ]
    services.record_marks(activity, ROLL_CALL, marks, set(people), None, ROLL_CALL)
    # A past cancellation, a coming cancellation and a coming move.
    services.cancel_occurrence(activity, datetime(2026, 11, 16, 1, 0, tzinfo=UTC), "Sports day")
    services.cancel_occurrence(activity, datetime(2026, 12, 14, 1, 0, tzinfo=UTC), "Holiday")
    services.move_occurrence(
        activity,
        datetime(2026, 12, 21, 1, 0, tzinfo=UTC),
        date(2026, 12, 22),
        time(14, 0),
        time(16, 0),
        None,
        "Hall booked",
    )
    db.session.commit()
    return staff, home, people, activity


def _edit_data(activity, **overrides):
    data = {
        "title": activity.title,
        "kind": activity.kind.value,
        "venue_id": "",
        "leader_person_id": "",
        "first_day-year": "2026",
        "first_day-month": "11",
        "first_day-day": "2",
        "start_time": "09:30",
        "end_time": "11:30",
        "weekdays": ["0"],
        "interval": "1",
        "ends": "until",
        "until_on-year": "2027",
        "until_on-month": "3",
        "until_on-day": "31",
        "count": "",
        "capacity": "",
        "is_public": "y",
        "description": "",
        "change_from-year": "",
        "change_from-month": "",
        "change_from-day": "",
        "version": str(activity.version),
    }
    data.update(overrides)
    return data


def _all_occurrences(home_id):
    start, end = recurrence.local_day_window(date(2026, 11, 1), date(2027, 1, 31))
    _acts, occs = recurrence.load_occurrences(
        db.session, start, end, where=[Activity.home_id == home_id]
    )
    return occs


def test_a_time_change_applies_from_the_next_session_and_keeps_the_past(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user
):
    staff, home, _people, activity = _setup(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    old_key = recurrence.occurrence_key(ROLL_CALL)
    roll_call_url = f"/homes/activities/{activity.id}/sessions/{old_key}/roll-call"
    login_as(user=staff)
    with clock.freeze(NOW):
        before = stats.period_stats(date(2026, 1, 1), date(2026, 12, 31)).attendance
        api_before = client.get("/api/v1/homes/summary?from=2026-01-01&to=2026-12-31").get_json()
        form = client.get(f"/homes/activities/{activity.id}/edit").get_data(as_text=True)
        # The form asks from when; the default is the next session, Monday 7 December.
        for part, value in (("year", "2026"), ("month", "12"), ("day", "7")):
            assert re.search(rf'name="change_from-{part}"\s+value="{value}"', form)
        resp = client.post(f"/homes/activities/{activity.id}/edit", data=_edit_data(activity))
        assert resp.status_code == 303, resp.get_data(as_text=True)
        db.session.expire_all()

        # The past roll-call keeps its key, its marks and its page.
        page = client.get(roll_call_url)
        assert page.status_code == 200
        assert "Present: 41. Absent: 8. Not marked yet: 0." in page.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 49
        assert stats.period_stats(date(2026, 1, 1), date(2026, 12, 31)).attendance == before == 41
        api_after = client.get("/api/v1/homes/summary?from=2026-01-01&to=2026-12-31").get_json()
        assert api_after["attendance"] == api_before["attendance"] == 41

        # Up to 30 November the sessions are at 09:00, from 7 December at 09:30; none twice.
        occs = _all_occurrences(home.id)
        local = [(o.local_original_start.date(), o.local_original_start.time()) for o in occs]
        assert len(local) == len({day for day, _t in local}) == 13
        assert (date(2026, 11, 30), time(9, 0)) in local
        assert (date(2026, 12, 7), time(9, 30)) in local
        assert all(t == time(9, 0) for day, t in local if day < date(2026, 12, 7))
        assert all(t == time(9, 30) for day, t in local if day >= date(2026, 12, 7))

        # Cancellations and moves survive: past ones as they were, coming ones on the new time.
        by_day = {o.local_original_start.date(): o for o in occs}
        assert by_day[date(2026, 11, 16)].cancelled and by_day[date(2026, 11, 16)].reason == (
            "Sports day"
        )
        assert by_day[date(2026, 12, 14)].cancelled and by_day[date(2026, 12, 14)].reason == (
            "Holiday"
        )
        moved = by_day[date(2026, 12, 21)]
        assert moved.moved and moved.start == datetime(2026, 12, 22, 6, 0, tzinfo=UTC)
        assert db.session.scalar(sa.select(sa.func.count(ActivityException.id))) == 3

        # The old series ends the day before; its page links to the continuation.
        old = db.session.get(Activity, activity.id)
        new = db.session.scalar(sa.select(Activity).where(Activity.previous_activity_id == old.id))
        assert old.rrule.endswith("UNTIL=20261130T155959Z")
        assert old.series_end_at == datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
        assert new.starts_at == datetime(2026, 12, 7, 1, 30, tzinfo=UTC)
        assert new.title == "康复训练" and new.duration_minutes == 120
        old_page = client.get(f"/homes/activities/{old.id}").get_data(as_text=True)
        assert f"/homes/activities/{new.id}" in old_page
        # The home's page tells the two halves apart by their dates.
        home_page = client.get(f"/homes/{home.id}").get_data(as_text=True)
        assert "Nov 2, 2026 – Nov 30, 2026" in home_page
        assert "Dec 7, 2026 – Mar 29, 2027" in home_page
        # The new series' sessions answer at their new keys.
        new_key = recurrence.occurrence_key(datetime(2026, 12, 7, 1, 30, tzinfo=UTC))
        assert client.get(f"/homes/activities/{new.id}/sessions/{new_key}").status_code == 200


def test_a_change_that_keeps_the_past_is_saved_in_place(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user
):
    staff, _home, _people, activity = _setup(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    login_as(user=staff)
    with clock.freeze(NOW):
        # Only the last date changes: no session before 7 December moves, so no new series.
        data = _edit_data(
            activity,
            start_time="09:00",
            end_time="11:00",
            **{"until_on-month": "6", "until_on-day": "30"},
        )
        resp = client.post(f"/homes/activities/{activity.id}/edit", data=data)
        assert resp.status_code == 303, re.findall(r"field-error.{0,300}", resp.text)
        assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 1
        db.session.expire_all()
        assert db.session.get(Activity, activity.id).rrule.endswith("UNTIL=20270630T155959Z")
        assert db.session.scalar(sa.select(sa.func.count(ActivityException.id))) == 3


def test_changes_that_can_no_longer_apply_are_listed_before_saving(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user
):
    staff, home, _people, activity = _setup(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    login_as(user=staff)
    url = f"/homes/activities/{activity.id}/edit"
    with clock.freeze(NOW):
        # From Mondays to Tuesdays: the coming Monday changes have no session left.
        data = _edit_data(activity, start_time="09:00", end_time="11:00", weekdays=["1"])
        asked = client.post(url, data=data, headers={"Accept-Language": "en"})
        assert asked.status_code == 422
        page = asked.get_data(as_text=True)
        assert "2 changes to single sessions would no longer apply" in page
        assert "Mon 2026-12-14 09:00" in page and "Mon 2026-12-21 09:00" in page
        assert "Holiday" in page and "Hall booked" in page
        assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 1  # nothing saved
        assert 'name="drop_lapsed"' in page
        value = page.split('name="drop_lapsed" value="', 1)[1].split('"', 1)[0]
        resp = client.post(url, data=data | {"drop_lapsed": value})
        assert resp.status_code == 303
        db.session.expire_all()
        rows = db.session.scalars(sa.select(ActivityException)).all()
        assert [(r.activity_id, r.reason) for r in rows] == [(activity.id, "Sports day")]
        new = db.session.scalar(
            sa.select(Activity).where(Activity.previous_activity_id.is_not(None))
        )
        assert new.starts_at == datetime(2026, 12, 8, 1, 0, tzinfo=UTC)


def test_a_change_from_a_day_with_a_roll_call_is_refused(
    make_home, make_activity, bulk_people, add_members, make_user
):
    _staff, _home, _people, activity = _setup(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    schedule = services.Schedule.of(activity)
    schedule.start_time, schedule.end_time = time(9, 30), time(11, 30)
    with clock.freeze(NOW):
        try:
            services.update_activity(
                activity, activity.version, _values(activity), schedule, date(2026, 11, 23)
            )
        except services.DomainError as error:
            assert error.field == "change_from"
            assert "roll-call" in str(error.message)
        else:
            raise AssertionError("a change over a taken roll-call was saved")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 1


def test_a_series_that_has_not_started_is_changed_in_place(make_home, make_activity, make_user):
    home = make_home(staff=[make_user("home_staff")])
    activity = make_activity(home, first_day=date(2027, 1, 4), count=10)
    services.cancel_occurrence(activity, datetime(2027, 1, 11, 1, 0, tzinfo=UTC), "Holiday")
    db.session.commit()
    schedule = services.Schedule.of(activity)
    schedule.start_time, schedule.end_time = time(14, 0), time(15, 0)
    with clock.freeze(NOW):
        services.update_activity(activity, activity.version, _values(activity), schedule, None)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 1
    assert activity.starts_at == datetime(2027, 1, 4, 6, 0, tzinfo=UTC)
    row = db.session.scalar(sa.select(ActivityException))
    assert row.original_start == datetime(2027, 1, 11, 6, 0, tzinfo=UTC)
    assert recurrence.occurrence_at(activity, row.original_start).cancelled


def test_a_count_series_keeps_its_total_across_the_split(make_home, make_activity, make_user):
    home = make_home(staff=[make_user("home_staff")])
    activity = make_activity(home, first_day=date(2026, 11, 2), count=10)
    schedule = services.Schedule.of(activity)
    schedule.start_time, schedule.end_time = time(10, 0), time(11, 0)
    with clock.freeze(NOW):
        new = services.update_activity(
            activity, activity.version, _values(activity), schedule, date(2026, 12, 7)
        )
    db.session.commit()
    assert len(recurrence.all_rule_starts(activity.starts_at, activity.rrule)) == 5
    assert len(recurrence.all_rule_starts(new.starts_at, new.rrule)) == 5
    assert new.previous_activity_id == activity.id


def _values(activity):
    return {
        "title": activity.title,
        "kind": activity.kind,
        "venue_id": None,
        "leader_person_id": None,
        "capacity": None,
        "is_public": True,
        "description": "",
    }


def test_both_halves_of_a_split_series_are_in_the_calendar(
    make_home, make_activity, bulk_people, add_members, make_user
):
    from app.calendars.models import CalendarItem

    _staff, _home, _people, activity = _setup(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    schedule = services.Schedule.of(activity)
    schedule.start_time, schedule.end_time = time(9, 30), time(11, 30)
    with clock.freeze(NOW):
        new = services.update_activity(
            activity, activity.version, _values(activity), schedule, date(2026, 12, 7)
        )
        db.session.commit()
    db.session.expire_all()
    items = {
        i.source_id: i.ics_zh.decode()
        for i in db.session.scalars(sa.select(CalendarItem).where(CalendarItem.kind == "activity"))
    }
    assert "UNTIL=20261130T155959Z" in items[activity.id]
    assert "DTSTART;TZID=Asia/Shanghai:20261207T093000" in items[new.id]
    assert "RECURRENCE-ID;TZID=Asia/Shanghai:20261221T093000" in items[new.id]  # the move
    assert "EXDATE;TZID=Asia/Shanghai:20261214T093000" in items[new.id]  # the cancellation


def test_the_ended_half_of_a_split_series_is_not_split_again(make_home, make_activity, make_user):
    home = make_home(staff=[make_user("home_staff")])
    activity = make_activity(home, first_day=date(2026, 11, 2))
    schedule = services.Schedule.of(activity)
    schedule.start_time, schedule.end_time = time(10, 0), time(11, 0)
    with clock.freeze(NOW):
        services.update_activity(
            activity, activity.version, _values(activity), schedule, date(2026, 12, 7)
        )
        db.session.commit()
        again = services.Schedule.of(activity)
        again.start_time, again.end_time = time(15, 0), time(16, 0)
        try:
            services.update_activity(activity, activity.version, _values(activity), again, None)
        except services.DomainError as error:
            assert error.field == "change_from"
        else:
            raise AssertionError("the ended half was split again")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Activity.id))) == 2
