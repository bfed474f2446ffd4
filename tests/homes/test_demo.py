"""The homes demo: 12 homes, one in each of the 12 towns, opened 2017–2021, serving exactly
578 members over 2017–2021; every activity kind; cancelled and moved sessions; moderate
attendance history; idempotent."""

from datetime import date

import sqlalchemy as sa

from app.demo import load_demo
from app.extensions import db
from app.homes import stats
from app.homes.enums import ActivityKind, ExceptionKind
from app.homes.models import Activity, ActivityException, Attendance, Home, HomeStaff, Membership


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_homes_figures_and_idempotence(demo):
    homes = list(db.session.scalars(sa.select(Home)))
    assert len(homes) == 12
    assert len({h.town_id for h in homes}) == 12
    assert all(date(2017, 1, 1) <= h.opened_on <= date(2021, 12, 31) for h in homes)
    figures = stats.period_stats(date(2017, 1, 1), date(2021, 12, 31))
    assert figures.members == 578
    assert figures.homes == 12 and figures.towns_covered == 12
    kinds = set(db.session.scalars(sa.select(Activity.kind).distinct()))
    assert kinds == set(ActivityKind)
    exception_kinds = set(db.session.scalars(sa.select(ActivityException.kind).distinct()))
    assert exception_kinds == {ExceptionKind.CANCELLED, ExceptionKind.MOVED}
    assert 1000 <= count(Attendance) <= 8000
    # The participant is a member; the staff user manages two homes.
    from app.accounts.models import User

    participant = db.session.scalar(sa.select(User).where(User.username == "participant"))
    staff = db.session.scalar(sa.select(User).where(User.username == "staff"))
    assert db.session.scalar(
        sa.select(Membership.id).where(Membership.person_id == participant.person_id)
    )
    assert count(HomeStaff) == 2
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(HomeStaff).where(HomeStaff.user_id == staff.id)
        )
        == 2
    )
    before = {m.__tablename__: count(m) for m in (Home, Membership, Activity, Attendance)}
    load_demo()
    assert {m.__tablename__: count(m) for m in (Home, Membership, Activity, Attendance)} == before


def test_demo_members_have_pinyin_so_the_roll_call_is_in_pinyin_order(demo):
    """Found doing the home staff's task in a browser: the demo's home members had no pinyin,
    so the roll-call listed them in code-point order (于 before 冯 before 刘…)."""
    from app.people.models import Person

    blank = db.session.scalar(
        sa.select(sa.func.count(Person.id))
        .join(Membership, Membership.person_id == Person.id)
        .where(Person.name_pinyin == "")
    )
    assert blank == 0


def _from_marks(first: date, last: date) -> dict:
    """The period's person-times counted from the raw marks, in Python."""
    from app.core import clock
    from app.homes.enums import AttendanceStatus

    by_kind, by_home, by_month = {}, {}, {}
    recorded = 0
    for status, start, kind, home_id in db.session.execute(
        sa.select(
            Attendance.status, Attendance.occurrence_start, Activity.kind, Activity.home_id
        ).join(Activity, Activity.id == Attendance.activity_id)
    ):
        day = clock.local_date(start)
        if not first <= day <= last:
            continue
        recorded += 1
        if status != AttendanceStatus.PRESENT:
            continue
        by_kind[kind] = by_kind.get(kind, 0) + 1
        by_home[home_id] = by_home.get(home_id, 0) + 1
        by_month[f"{day:%Y-%m}"] = by_month.get(f"{day:%Y-%m}", 0) + 1
    return {
        "attendance": sum(by_kind.values()),
        "recorded": recorded,
        "by_kind": [(k, by_kind.get(k, 0)) for k in ActivityKind],
        "by_home": by_home,
        "by_month": sorted(by_month.items()),
    }


def test_demo_breakdowns_and_totals_equal_a_count_of_the_marks(demo):
    days = sorted(
        {d.date() for d in db.session.scalars(sa.select(Attendance.occurrence_start).distinct())}
    )
    # The whole history, and its middle third.
    for first, last in (
        (date(2000, 1, 1), date(2100, 12, 31)),
        (days[len(days) // 3], days[2 * len(days) // 3]),
    ):
        expected = _from_marks(first, last)
        figures = stats.period_stats(first, last)
        assert expected["attendance"] > 0
        assert figures.attendance == expected["attendance"]
        assert figures.recorded == expected["recorded"]
        assert figures.by_kind == expected["by_kind"]
        assert figures.by_month == expected["by_month"]
        assert {h.home_id: h.attendance for h in figures.by_home if h.attendance} == expected[
            "by_home"
        ]
        totals = stats.period_totals(first, last)
        assert (
            totals.homes,
            totals.towns_covered,
            totals.towns_total,
            totals.members,
            totals.attendance,
            totals.recorded,
        ) == (
            figures.homes,
            figures.towns_covered,
            figures.towns_total,
            figures.members,
            figures.attendance,
            figures.recorded,
        )
