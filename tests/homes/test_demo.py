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
