"""Offline sync benchmark (issue 18): one roll-call mark saved in place (a JSON POST to
/sync/roll-call, as offline.js sends it) against the same mark through the form (POST and the
303 redirect, without following it), on an 80-member session; and a batch of 80 marks, one
per member. Prints the median time and the SQL statements of each.

    .venv/bin/python -m bench.sync                     # SQLite
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python -m bench.sync
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
from datetime import UTC, date, datetime, time

from flask import g, request_started

from app import create_app
from app.core import clock
from app.extensions import db
from bench._util import count_queries, timed

MEMBERS = int(os.environ.get("BENCH_MEMBERS", "80"))
RUNS = int(os.environ.get("BENCH_RUNS", "41"))
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 10:00 Beijing
KEY = "20261130T010000Z"  # the Monday 09:00 session


def seed():
    import sqlalchemy as sa

    from app.accounts import services as accounts
    from app.core.reference import ensure_towns
    from app.homes import services
    from app.homes.models import Membership
    from app.people.models import Person
    from app.venues.models import Venue

    towns = ensure_towns(db.session)
    staff = accounts.create_user(
        username="bench-staff",
        display_name="Bench",
        password="bench-password-123",
        roles=["home_staff"],
    )
    venue = Venue(name="Bench venue", kind="sunshine_home", town_id=towns[0].id, address="1")
    db.session.add(venue)
    db.session.flush()
    home = services.create_home(
        {
            "name": "Bench home",
            "kind": "sunshine_home",
            "town_id": towns[0].id,
            "address": "1",
            "venue_id": venue.id,
            "operator": "",
            "capacity": MEMBERS,
            "opened_on": date(2018, 1, 1),
            "contact": "",
        },
        ["day_care"],
        [staff.id],
    )
    ids = db.session.scalars(
        sa.insert(Person).returning(Person.id, sort_by_parameter_order=True),
        [
            {
                "name": f"成员{i}",
                "name_pinyin": f"m{i:05d}",
                "gender": "male",
                "birth_on": date(1990, 1, 1),
                "town_id": towns[0].id,
            }
            for i in range(MEMBERS)
        ],
    ).all()
    db.session.execute(
        sa.insert(Membership),
        [{"person_id": p, "home_id": home.id, "joined_on": date(2019, 1, 1)} for p in ids],
    )
    schedule = services.Schedule(
        first_day=date(2026, 11, 2),
        start_time=time(9),
        end_time=time(11),
        weekdays=(0,),
        interval=1,
        until_on=date(2027, 3, 31),
        count=None,
    )
    activity = services.create_activity(
        home, {"title": "Bench", "kind": "rehab_exercise", "is_public": True}, schedule
    )
    db.session.commit()
    return staff.get_id(), activity.id, list(ids)


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="ronghe-bench-sync-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        uid, activity_id, people = seed()

    def fresh(sender, **extra):
        db.session.expire_all()
        for name in list(vars(g)):
            delattr(g, name)

    request_started.connect(fresh, app)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = uid
        session["_fresh"] = True
    numbers = itertools.count()
    statuses = itertools.cycle(["present", "absent"])
    page = f"/homes/activities/{activity_id}/sessions/{KEY}/roll-call"

    def mark(person_id):
        status = next(statuses)
        return {
            "client_id": f"bench-{next(numbers):010d}",
            "activity_id": activity_id,
            "occurrence": KEY,
            "person_id": person_id,
            "status": status,
            "reason": "ill" if status == "absent" else None,
            "made_at": clock.now().isoformat(),
            "based_on": "",
        }

    def in_place():
        body = json.dumps({"marks": [mark(people[0])]})
        response = client.post("/sync/roll-call", data=body, content_type="application/json")
        assert response.status_code == 200, response.data

    def batch():
        body = json.dumps({"marks": [mark(p) for p in people]})
        response = client.post("/sync/roll-call", data=body, content_type="application/json")
        assert response.status_code == 200, response.data

    def form():
        status = next(statuses)
        data = {
            "person_id": people[1],
            "status": status,
            "reason": "ill" if status == "absent" else "",
        }
        assert client.post(page, data=data).status_code == 303

    with app.app_context(), clock.freeze(NOW, tick=True):
        print(f"{db.engine.dialect.name}, {MEMBERS} members, {RUNS} runs (median ms)")
        print(f"{'what':<58}{'median':>9}{'queries':>9}")
        for name, fn in (
            ("one mark saved in place (POST /sync/roll-call)", in_place),
            ("one mark through the form (POST, 303)", form),
            (f"a batch of {MEMBERS} marks (POST /sync/roll-call)", batch),
        ):
            ms = timed(fn, RUNS)
            print(f"{name:<58}{ms:9.1f}{count_queries(fn):9d}")
        # What travels for one mark: the JSON request and answer in place, against the page
        # the form's 303 sends the browser back to (what every tap reloaded before issue 18).
        sent = json.dumps({"marks": [mark(people[0])]})
        answer = client.post("/sync/roll-call", data=sent, content_type="application/json")
        reload = client.get(page)
        print(
            f"bytes for one mark: in place {len(sent)} sent + {len(answer.data)} answered; "
            f"by the form, the page reloaded after the 303: {len(reload.data)}"
        )
        db.session.remove()
        db.drop_all()


if __name__ == "__main__":
    main()
