"""Issue 15 item 3: the per-day attendance aggregates follow every roll-call mark in the same
transaction (app/homes/aggregates.py); after a sequence of marks, corrections, edits and
deletions they equal a rebuild from the marks; the statistics read them; `flask stats
rebuild` recounts them."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.core import versions
from app.extensions import db
from app.homes import aggregates, services, stats
from app.homes.enums import AbsenceReason, AttendanceStatus
from app.homes.models import Attendance, AttendanceDay
from app.homes.services import Mark

PRESENT, ABSENT = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT


def _rows() -> list[tuple]:
    db.session.expire_all()
    return [
        tuple(row)
        for row in db.session.execute(
            sa.select(
                AttendanceDay.activity_id,
                AttendanceDay.day,
                AttendanceDay.present,
                AttendanceDay.recorded,
            ).order_by(AttendanceDay.activity_id, AttendanceDay.day)
        )
    ]


def test_incremental_aggregates_equal_a_rebuild(
    make_home, make_activity, bulk_people, add_members, make_user
):
    home = make_home()
    people = bulk_people(5)
    add_members(home, people)
    monday = make_activity(home)  # Mondays from 2 November 2026, 09:00
    thursday = make_activity(home, weekdays=(3,), first_day=date(2026, 11, 5), kind="culture")
    staff = make_user("home_staff")
    expected = set(people)
    first, second = monday.starts_at, monday.starts_at + timedelta(days=7)
    late = second + timedelta(days=1)

    # A roll-call, "the rest present", a correction, a second session and another activity.
    services.record_marks(
        monday,
        first,
        [Mark(people[0], PRESENT), Mark(people[1], ABSENT, AbsenceReason.ILL)],
        expected,
        staff,
        first,
    )
    db.session.commit()
    assert _rows() == [(monday.id, date(2026, 11, 2), 1, 2)]
    services.mark_rest_present(monday, first, expected, staff, first)
    db.session.commit()
    assert _rows() == [(monday.id, date(2026, 11, 2), 4, 5)]
    services.record_marks(
        monday, first, [Mark(people[2], ABSENT, AbsenceReason.FAMILY)], expected, staff, late
    )
    services.record_marks(monday, second, [Mark(p, PRESENT) for p in people], expected, staff, late)
    services.mark_rest_present(thursday, thursday.starts_at, expected, staff, late)
    db.session.commit()
    # ORM edits and deletions of marks (an import fix, a member's mark removed).
    mark = db.session.scalars(
        sa.select(Attendance).where(
            Attendance.activity_id == monday.id,
            Attendance.occurrence_start == second,
            Attendance.person_id == people[4],
        )
    ).one()
    mark.status, mark.absence_reason = ABSENT, AbsenceReason.OTHER
    gone = db.session.scalars(
        sa.select(Attendance).where(
            Attendance.activity_id == thursday.id, Attendance.person_id == people[0]
        )
    ).one()
    db.session.delete(gone)
    db.session.commit()
    # A mark moved to another activity: both activities' days are recounted.
    db.session.execute(
        sa.delete(Attendance).where(
            Attendance.activity_id == monday.id,
            Attendance.occurrence_start == second,
            Attendance.person_id == people[1],
        )
    )
    moved = db.session.scalars(
        sa.select(Attendance).where(
            Attendance.activity_id == thursday.id, Attendance.person_id == people[1]
        )
    ).one()
    moved.activity_id, moved.occurrence_start = monday.id, second
    db.session.flush()
    db.session.commit()
    # A rolled-back roll-call leaves no trace.
    services.record_marks(
        monday, second, [Mark(people[0], ABSENT, AbsenceReason.ILL)], expected, staff, late
    )
    db.session.rollback()

    incremental = _rows()
    assert incremental == [
        (monday.id, date(2026, 11, 2), 3, 5),
        (monday.id, date(2026, 11, 9), 4, 5),
        (thursday.id, date(2026, 11, 5), 3, 3),
    ]
    aggregates.rebuild(db.session)
    db.session.commit()
    assert _rows() == incremental

    # The statistics read the aggregates: they match a count of the marks.
    figures = stats.period_stats(date(2026, 11, 1), date(2026, 11, 30))
    present_marks = db.session.scalar(
        sa.select(sa.func.count()).where(Attendance.status == PRESENT)
    )
    assert figures.attendance == present_marks == 10
    assert figures.recorded == 13
    assert dict(figures.by_kind)["culture"] == 3
    assert figures.by_month == [("2026-11", 10)]
    assert [h.attendance for h in figures.by_home] == [10]
    assert stats.period_stats(date(2026, 11, 3), date(2026, 11, 8)).attendance == 3


def test_a_roll_call_moves_the_homes_statistics_version(
    make_home, make_activity, bulk_people, add_members, make_user
):
    home = make_home()
    people = bulk_people(2)
    add_members(home, people)
    activity = make_activity(home)
    before = versions.current(db.session, [versions.HOMES_STATS, versions.REPORT, versions.MEDALS])
    services.mark_rest_present(
        activity, activity.starts_at, set(people), make_user("home_staff"), activity.starts_at
    )
    db.session.commit()
    after = versions.current(db.session, [versions.HOMES_STATS, versions.REPORT, versions.MEDALS])
    assert after["homes_stats"] != before["homes_stats"]
    assert after["report"] != before["report"]
    assert after["medals"] == before["medals"]


def test_flask_stats_rebuild_recounts_after_bulk_sql(
    runner, make_home, make_activity, bulk_people, add_members
):
    home = make_home()
    people = bulk_people(3)
    add_members(home, people)
    activity = make_activity(home)
    # Marks written on a bare connection bypass the session events.
    db.session.connection().execute(
        sa.insert(Attendance),
        [
            {
                "activity_id": activity.id,
                "occurrence_start": activity.starts_at,
                "person_id": p,
                "status": "present",
                "absence_reason": None,
            }
            for p in people
        ],
    )
    db.session.commit()
    assert _rows() == []
    result = runner.invoke(args=["stats", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "1 activity days" in result.output
    assert _rows() == [(activity.id, date(2026, 11, 2), 3, 3)]


def test_a_refresh_names_a_few_parameters_whatever_the_number_of_days(make_home, make_activity):
    """Found seeding the load test at scale 100 on PostgreSQL: one transaction writing marks on
    tens of thousands of (activity, day) pairs built a DELETE naming each pair, past
    PostgreSQL's 65,535 parameters. The DELETE names the activities and the window only."""
    from app.homes import aggregates

    home = make_home()
    activities = [make_activity(home, title=f"A{n}") for n in range(3)]
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(300)]
    sizes = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("DELETE FROM ATTENDANCE_DAYS"):
            sizes.append(len(parameters))

    sa.event.listen(db.engine, "before_cursor_execute", watch)
    try:
        aggregates.refresh(db.session, {(activities[0].id, day) for day in days[:2]})
        aggregates.refresh(db.session, {(a.id, day) for a in activities for day in days})
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", watch)
    assert sizes == [3, 5]  # the activities, the first and last day
    db.session.rollback()


def test_breakdowns_by_kind_home_and_month(
    make_home, make_activity, bulk_people, add_members, make_user
):
    a, b = make_home(), make_home()
    people = bulk_people(4)
    add_members(a, people[:2])
    add_members(b, people[2:])
    monday = make_activity(a)  # rehab exercise, Mondays from 2 November 2026, 09:00
    thursday = make_activity(b, weekdays=(3,), first_day=date(2026, 11, 5), kind="culture")
    staff = make_user("home_staff")
    week = timedelta(days=7)
    nov30, dec3 = monday.starts_at + 4 * week, thursday.starts_at + 4 * week
    dec7, jan4 = nov30 + week, nov30 + 5 * week
    for activity, start, marks, expected in (
        (monday, nov30, [Mark(people[0], PRESENT), Mark(people[1], PRESENT)], people[:2]),
        (
            monday,
            dec7,
            [Mark(people[0], PRESENT), Mark(people[1], ABSENT, AbsenceReason.ILL)],
            people[:2],
        ),
        (monday, jan4, [Mark(people[0], ABSENT, AbsenceReason.ILL)], people[:2]),
        (thursday, dec3, [Mark(people[2], PRESENT), Mark(people[3], PRESENT)], people[2:]),
    ):
        services.record_marks(
            activity, start, marks, set(expected), staff, start + timedelta(hours=3)
        )
    db.session.commit()

    figures = stats.period_stats(date(2026, 11, 1), date(2027, 1, 31))
    assert figures.attendance == 5
    assert figures.recorded == 7
    # January has marks but nobody present: no bar for it.
    assert figures.by_month == [("2026-11", 2), ("2026-12", 3)]
    kinds = dict(figures.by_kind)
    assert (kinds["rehab_exercise"], kinds["culture"], sum(kinds.values())) == (3, 2, 5)
    assert {h.home_id: (h.members, h.attendance) for h in figures.by_home} == {
        a.id: (2, 3),
        b.id: (2, 2),
    }
    # December only; the totals alone answer the same.
    december = stats.period_stats(date(2026, 12, 1), date(2026, 12, 31))
    assert (december.attendance, december.recorded, december.by_month) == (3, 4, [("2026-12", 3)])
    totals = stats.period_totals(date(2026, 12, 1), date(2026, 12, 31))
    assert (totals.homes, totals.members, totals.attendance, totals.recorded) == (2, 4, 3, 4)
