"""Homes services without HTTP: memberships and overlap counting, activities and their
exceptions in the database, the busy source, roll-call upserts and absence alerts."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.core.audit import AuditEvent
from app.core.errors import DomainError, EditConflict
from app.extensions import db
from app.homes import queries, recurrence, services, stats
from app.homes.enums import AttendanceStatus
from app.homes.models import Attendance, Membership
from app.homes.services import Mark, Schedule
from app.scheduling.busy import find_clashes


def test_members_served_counts_distinct_people_overlapping_the_period(
    make_home, bulk_people, add_members
):
    a, b = make_home(), make_home()
    p = bulk_people(6)
    add_members(a, [p[0]], joined_on=date(2018, 5, 1))  # before and through
    add_members(b, [p[0]], joined_on=date(2019, 1, 1))  # same person, second home
    add_members(a, [p[1]], joined_on=date(2019, 12, 31))  # joins on the last day
    add_members(a, [p[2]], joined_on=date(2020, 1, 1))  # the day after: not counted
    ids = add_members(a, [p[3], p[4]], joined_on=date(2017, 1, 1))
    m3, m4 = (db.session.get(Membership, i) for i in ids)
    m3.left_on, m3.left_reason = date(2019, 1, 1), "moved_away"  # leaves on the first day
    m4.left_on, m4.left_reason = date(2018, 12, 31), "health"  # left the day before
    db.session.commit()
    assert stats.period_totals(date(2019, 1, 1), date(2019, 12, 31)).members == 3
    figures = stats.period_stats(date(2019, 1, 1), date(2019, 12, 31))
    assert figures.members == 3
    assert dict(figures.by_service)[services.Service.DAY_CARE] == 3
    assert figures.homes == 2
    assert stats.period_totals(date(2017, 1, 1), date(2025, 12, 31)).members == 5


def test_one_active_membership_per_person_and_home(make_home, bulk_people):
    home = make_home(capacity=1)
    p1, p2 = bulk_people(2)
    membership, warnings = services.add_member(home, p1, date(2020, 1, 1), ["day_care"])
    assert warnings == []
    with pytest.raises(DomainError):
        services.add_member(home, p1, date(2021, 1, 1), ["day_care"])
    _m, warnings = services.add_member(home, p2, date(2020, 1, 1), ["day_care"])
    assert len(warnings) == 1  # over capacity: a warning, not a block
    services.end_membership(membership, membership.version, date(2020, 6, 30), "health")
    again, _w = services.add_member(home, p1, date(2021, 1, 1), ["day_care"])
    db.session.commit()
    assert again.id != membership.id
    # The partial unique index stops a second active row even without the service check.
    db.session.add(Membership(person_id=p1, home_id=home.id, joined_on=date(2022, 1, 1)))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_schedule_validation_messages(make_home):
    home = make_home()
    base = dict(
        first_day=date(2026, 12, 1),
        start_time=time(9),
        end_time=time(10),
        weekdays=(1,),
        interval=1,
        until_on=date(2027, 1, 31),
        count=None,
    )
    for change, field in (
        ({"end_time": time(8)}, "end_time"),
        ({"weekdays": ()}, "weekdays"),
        ({"until_on": date(2026, 11, 1)}, "until_on"),
        ({"until_on": None, "count": 0}, "count"),
        ({"until_on": date(2031, 1, 1)}, "until_on"),
        ({"until_on": date(2026, 12, 1), "weekdays": (4,)}, "until_on"),  # no Friday in range
    ):
        with pytest.raises(DomainError) as info:
            services.create_activity(
                home, {"title": "x", "kind": "sports"}, Schedule(**(base | change))
            )
        assert info.value.field == field


def test_activity_defaults_to_the_home_venue_and_stale_edit_conflicts(make_home, make_activity):
    home = make_home()
    activity = make_activity(home, weekdays=(0, 2))
    assert activity.venue_id == home.venue_id
    assert activity.rrule.startswith("FREQ=WEEKLY;WKST=MO;INTERVAL=1;BYDAY=MO,WE;UNTIL=")
    assert activity.starts_at == datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    schedule = Schedule.of(activity)
    assert schedule.weekdays == (0, 2) and schedule.start_time == time(9)
    old = activity.version
    services.update_activity(activity, old, {"title": "New", "kind": "sports"}, schedule)
    db.session.commit()
    with pytest.raises(EditConflict):
        services.update_activity(activity, old, {"title": "Other", "kind": "sports"}, schedule)


def test_exceptions_in_the_database_and_the_busy_source(app, make_home, make_activity, make_venue):
    home = make_home()
    other = make_venue()
    activity = make_activity(home, weekdays=(0,), leader_person_id=None)
    first = activity.starts_at  # Monday 2 November 2026, 09:00 Beijing
    second, third = first + timedelta(days=7), first + timedelta(days=14)
    services.cancel_occurrence(activity, second, "holiday")
    # Move the third session to the Wednesday after, at another venue.
    services.move_occurrence(
        activity, third, date(2026, 11, 18), time(14), time(15), other.id, "rain"
    )
    db.session.commit()
    with pytest.raises(DomainError):
        services.cancel_occurrence(activity, first + timedelta(hours=1), "not a session")
    window = recurrence.local_day_window(date(2026, 11, 1), date(2026, 11, 22))
    _acts, occs = recurrence.load_occurrences(db.session, *window)
    assert [(o.original_start, o.cancelled, o.moved, o.venue_id) for o in occs] == [
        (first, False, False, home.venue_id),
        (second, True, False, home.venue_id),
        (third, False, True, other.id),
    ]
    # A window holding only the new time finds the moved session; the old time does not.
    wednesday = recurrence.local_day_window(date(2026, 11, 18))
    assert [o.original_start for o in recurrence.load_occurrences(db.session, *wednesday)[1]] == [
        third
    ]
    monday = recurrence.local_day_window(date(2026, 11, 16))
    assert recurrence.load_occurrences(db.session, *monday)[1] == []
    with app.test_request_context():
        clashes = find_clashes(
            *recurrence.local_day_window(date(2026, 11, 9)), venue_id=home.venue_id
        )
        assert [c for c in clashes if c.booking.kind == "activity"] == []  # cancelled
        clashes = find_clashes(*wednesday, venue_id=other.id)
        assert [(c.booking.kind, c.booking.occurrence) for c in clashes] == [("activity", third)]
    assert services.restore_occurrence(activity, second)
    db.session.commit()
    assert not recurrence.occurrence_at(activity, second).cancelled


def test_busy_source_query_count_is_bounded(app, make_home, make_activity, count_queries):
    home = make_home()
    for _ in range(5):
        make_activity(home, weekdays=(0, 1, 2, 3, 4))
    with app.test_request_context(), count_queries() as q:
        clashes = find_clashes(
            *recurrence.local_day_window(date(2026, 11, 2), date(2026, 11, 8)),
            venue_id=home.venue_id,
            exclude=("x", 0),
        )
    assert len([c for c in clashes if c.booking.kind == "activity"]) == 25
    # The activity source: candidate series, exceptions (other sources add their own).
    assert sum("activit" in s for s in q.statements) <= 3


def _marks(activity, start):
    return {
        row.person_id: (row.status, row.absence_reason, row.recorded_by_id)
        for row in db.session.scalars(
            sa.select(Attendance).where(
                Attendance.activity_id == activity.id, Attendance.occurrence_start == start
            )
        )
    }


def test_concurrent_roll_call_marks_never_overwrite_other_members(
    make_home, make_activity, bulk_people, add_members, make_user
):
    home = make_home()
    people = bulk_people(3)
    add_members(home, people)
    activity = make_activity(home)
    start = activity.starts_at
    expected = set(people)
    alice, bob = make_user("home_staff"), make_user("home_staff")
    now = start + timedelta(hours=1)
    # Both opened the sheet when nothing was marked; each marks different members.
    services.record_marks(
        activity, start, [Mark(people[0], AttendanceStatus.PRESENT)], expected, alice, now
    )
    db.session.commit()
    services.record_marks(
        activity,
        start,
        [Mark(people[1], AttendanceStatus.ABSENT, services.AbsenceReason.ILL)],
        expected,
        bob,
        now,
    )
    db.session.commit()
    marks = _marks(activity, start)
    assert marks[people[0]][0] == AttendanceStatus.PRESENT and marks[people[0]][2] == alice.id
    assert marks[people[1]][0] == AttendanceStatus.ABSENT and marks[people[1]][2] == bob.id
    # Writing the same mark again writes nothing; a correction is audit-logged.
    assert (
        services.record_marks(
            activity, start, [Mark(people[0], AttendanceStatus.PRESENT)], expected, alice, now
        )
        == 0
    )
    assert (
        services.record_marks(
            activity,
            start,
            [Mark(people[0], AttendanceStatus.ABSENT, services.AbsenceReason.FAMILY)],
            expected,
            bob,
            now,
        )
        == 1
    )
    db.session.commit()
    assert _marks(activity, start)[people[1]][2] == bob.id
    events = list(
        db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "correct_attendance"))
    )
    assert len(events) == 1 and events[0].details["person_id"] == people[0]
    assert "family" not in str(events[0].details)  # the health/family reason is not logged
    # A first mark two days later is a late entry: logged too.
    services.record_marks(
        activity,
        start,
        [Mark(people[2], AttendanceStatus.PRESENT)],
        expected,
        alice,
        now + timedelta(days=2),
    )
    db.session.commit()
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "correct_attendance")
        )
        == 2
    )


def test_roll_call_refuses_strangers_cancelled_and_future_sessions(
    make_home, make_activity, bulk_people, add_members
):
    home = make_home()
    people = bulk_people(2)
    add_members(home, people[:1])
    activity = make_activity(home)
    start = activity.starts_at
    with pytest.raises(DomainError):
        services.record_marks(
            activity, start, [Mark(people[1], AttendanceStatus.PRESENT)], {people[0]}, None, start
        )
    with pytest.raises(DomainError):
        services.record_marks(activity, start + timedelta(days=7), [], {people[0]}, None, start)
    services.cancel_occurrence(activity, start, "holiday")
    with pytest.raises(DomainError):
        services.record_marks(
            activity, start, [Mark(people[0], AttendanceStatus.PRESENT)], {people[0]}, None, start
        )
    with pytest.raises(DomainError):
        services.parse_mark(people[0], "absent", "")
    with pytest.raises(DomainError):
        services.parse_mark(people[0], "maybe", None)


def test_absence_alerts(make_home, make_activity, bulk_people, add_members):
    home, other = make_home(), make_home()
    regular, three_in_a_row, gone, new, two_only, back, elsewhere = bulk_people(7)
    add_members(
        home, [regular, three_in_a_row, gone, two_only, back, elsewhere], joined_on=date(2026, 1, 1)
    )
    add_members(home, [new], joined_on=date(2026, 11, 20))
    add_members(other, [elsewhere], joined_on=date(2026, 1, 1))
    activity = make_activity(
        home, weekdays=(0,), first_day=date(2026, 9, 7), until_on=date(2027, 3, 1)
    )
    other_activity = make_activity(
        other, weekdays=(2,), first_day=date(2026, 9, 9), until_on=date(2027, 3, 1)
    )
    now = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)
    starts = recurrence.rule_starts(
        activity.starts_at,
        activity.rrule,
        activity.starts_at - timedelta(seconds=1),
        now + timedelta(days=14),
    )
    past = [s for s in starts if s <= now]
    last = len(past) - 1

    def absent(pid, i):
        if i > last:  # sessions after "now" (marked ahead by mistake) count for nothing
            return pid == regular
        return (
            (pid == three_in_a_row and i >= last - 2)
            or (pid == gone and i >= 2)
            or (pid == two_only and i >= last - 1)
            or (pid == back and last - 4 <= i <= last - 2)  # three absences, then present
            or (pid == elsewhere and i >= last - 2)
        )

    rows = []
    for i, start in enumerate(starts):
        for pid in (regular, three_in_a_row, gone, two_only, back, elsewhere):
            rows.append(
                {
                    "activity_id": activity.id,
                    "occurrence_start": start,
                    "person_id": pid,
                    "status": "absent" if absent(pid, i) else "present",
                    "absence_reason": "ill" if absent(pid, i) else None,
                    "recorded_at": now,
                }
            )
    # Present at the other home the whole time: the absences at this home still count here.
    for start in recurrence.rule_starts(
        other_activity.starts_at,
        other_activity.rrule,
        other_activity.starts_at - timedelta(seconds=1),
        now,
    ):
        rows.append(
            {
                "activity_id": other_activity.id,
                "occurrence_start": start,
                "person_id": elsewhere,
                "status": "present",
                "absence_reason": None,
                "recorded_at": now,
            }
        )
    db.session.execute(sa.insert(Attendance), rows)
    db.session.commit()
    alerts = {
        (a.home_id, a.person_id): a
        for a in queries.absence_alerts([home.id, other.id], date(2026, 11, 29), now)
    }
    assert set(alerts) == {(home.id, three_in_a_row), (home.id, gone), (home.id, elsewhere)}
    three = alerts[(home.id, three_in_a_row)]
    assert (three.in_a_row, three.long_absence, three.last_present) == (True, False, past[last - 3])
    assert alerts[(home.id, gone)].in_a_row and alerts[(home.id, gone)].long_absence
    assert alerts[(home.id, gone)].last_present == past[1]
    assert alerts[(home.id, elsewhere)].in_a_row
    assert not alerts[(home.id, elsewhere)].long_absence


@pytest.mark.parametrize("version", [None, "1", True, 10**40])
def test_a_missing_or_unreadable_version_is_stale(make_home, make_activity, bulk_people, version):
    """Issue 12 item 4: a save without the version the form was built from is a conflict,
    never an overwrite (home, membership, activity: one helper, core.editing.check_version)."""
    home = make_home()
    membership, _w = services.add_member(home, bulk_people(1)[0], date(2020, 1, 1), ["day_care"])
    activity = make_activity(home)
    db.session.commit()
    with pytest.raises(EditConflict):
        services.update_home(home, version, {"name": "改名（二）"})
    with pytest.raises(EditConflict):
        services.end_membership(membership, version, date(2020, 6, 30), "health")
    with pytest.raises(EditConflict):
        services.update_activity(activity, version, {"title": "新名称"}, None)
    db.session.rollback()
    db.session.expire_all()
    assert (home.name, membership.left_on, activity.title) == (
        "Test home 1",
        None,
        "Rehab exercise",
    )
