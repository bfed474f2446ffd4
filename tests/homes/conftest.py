"""Homes tests: builders for homes, members and activities (through the services)."""

from datetime import date, time

import pytest
import sqlalchemy as sa

from app.extensions import db


@pytest.fixture
def make_home(app, make_venue):
    from app.core.reference import ensure_towns
    from app.homes import services

    counter = iter(range(1, 10_000))

    def make(staff=(), **overrides):
        n = next(counter)
        towns = ensure_towns(db.session)
        venue = overrides.pop("venue", None) or make_venue(kind="sunshine_home")
        data = {
            "name": f"Test home {n}",
            "kind": "sunshine_home",
            "town_id": towns[n % len(towns)].id,
            "address": "Test road 1",
            "venue_id": venue.id,
            "operator": "Test operator",
            "capacity": 50,
            "opened_on": date(2018, 1, 1),
            "contact": "",
        }
        data.update(overrides)
        home = services.create_home(data, ["day_care", "rehab_recreation"], [u.id for u in staff])
        db.session.commit()
        return home

    return make


@pytest.fixture
def add_members(app):
    """``add_members(home, people, joined_on=...)``: active memberships (bulk, fast)."""
    from app.homes.models import Membership, MembershipService

    def add(home, person_ids, joined_on=date(2019, 1, 1), services=("day_care",)):
        ids = db.session.scalars(
            sa.insert(Membership).returning(Membership.id, sort_by_parameter_order=True),
            [{"person_id": p, "home_id": home.id, "joined_on": joined_on} for p in person_ids],
        ).all()
        db.session.execute(
            sa.insert(MembershipService),
            [{"membership_id": m, "service": s} for m in ids for s in services],
        )
        db.session.commit()
        return ids

    return add


@pytest.fixture
def bulk_people(app):
    """``bulk_people(n)``: person ids of n minimal register records (no certificate)."""
    from app.core.reference import ensure_towns
    from app.people.models import Person

    counter = iter(range(1, 100_000))

    def make(n):
        town = ensure_towns(db.session)[0]
        rows = []
        for _ in range(n):
            i = next(counter)
            rows.append(
                {
                    "name": f"成员{i:04d}",
                    "name_pinyin": f"Chengyuan {i:04d}",
                    "gender": "male",
                    "birth_on": date(1990, 1, 1),
                    "town_id": town.id,
                }
            )
        ids = db.session.scalars(
            sa.insert(Person).returning(Person.id, sort_by_parameter_order=True), rows
        ).all()
        db.session.commit()
        return list(ids)

    return make


@pytest.fixture
def make_activity(app):
    from app.homes import services

    def make(
        home,
        *,
        weekdays=(0,),
        first_day=date(2026, 11, 2),
        start=time(9, 0),
        end=time(11, 0),
        until_on=date(2027, 3, 31),
        count=None,
        **overrides,
    ):
        data = {"title": "Rehab exercise", "kind": "rehab_exercise", "is_public": True}
        data.update(overrides)
        schedule = services.Schedule(
            first_day=first_day,
            start_time=start,
            end_time=end,
            weekdays=tuple(weekdays),
            interval=overrides.pop("interval", 1),
            until_on=None if count else until_on,
            count=count,
        )
        activity = services.create_activity(home, data, schedule)
        db.session.commit()
        return activity

    return make
