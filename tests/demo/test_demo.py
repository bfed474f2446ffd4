"""``flask demo load [--reset]``: idempotent, prints one login per role, every login works."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.demo import DEMO_USERS, DemoNotAllowed, load_demo
from app.extensions import db
from app.people.models import Person
from app.venues.enums import AccessibilityFeature, VenueKind
from app.venues.models import Venue

LOGIN_LINES = [
    "  admin        admin        ronghe-admin-demo",
    "  coach        coach        ronghe-coach-demo",
    "  organiser    organiser    ronghe-organiser-demo",
    "  home_staff   staff        ronghe-staff-demo",
    "  participant  participant  ronghe-participant-demo",
]


def row_counts() -> dict[str, int]:
    db.session.expire_all()
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def load(runner, *extra):
    result = runner.invoke(args=["demo", "load", *extra])
    assert result.exit_code == 0, result.output
    return result.output


def test_load_prints_one_login_per_role_and_is_idempotent(runner):
    output = load(runner)
    assert output.splitlines() == ["Demo logins (username / password):", *LOGIN_LINES]
    first = row_counts()
    assert first["venues"] == 16
    assert first["users"] == 5
    assert first["towns"] == 12
    assert first["people"] >= 36
    assert load(runner) == output
    assert row_counts() == first


def test_demo_venues_cover_every_kind_and_feature(runner):
    load(runner)
    venues = list(db.session.scalars(sa.select(Venue)))
    assert {v.kind for v in venues} == set(VenueKind)
    assert set().union(*(v.feature_set for v in venues)) == set(AccessibilityFeature)
    assert any(not v.features for v in venues)
    assert len({v.town_id for v in venues}) >= 10
    assert all(not v.is_archived for v in venues)


def test_reset_rebuilds_from_scratch(runner):
    load(runner)
    first = row_counts()
    venue = db.session.scalar(sa.select(Venue).where(Venue.name == "溪口镇文化礼堂"))
    venue.name = "改过的名字"
    db.session.delete(db.session.scalar(sa.select(User).where(User.username == "coach")))
    db.session.commit()
    load(runner)  # a plain load keeps the edit and restores only what is missing
    assert db.session.scalar(sa.select(sa.func.count()).where(Venue.name == "改过的名字")) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Venue)) == 17
    output = load(runner, "--reset")
    assert output.splitlines()[1:] == LOGIN_LINES
    assert row_counts() == first
    assert db.session.scalar(sa.select(sa.func.count()).where(Venue.name == "改过的名字")) == 0


def test_every_demo_user_can_sign_in_with_the_printed_password(runner, app):
    load(runner)
    for role, username, password, _display in DEMO_USERS:
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 303, username
        assert client.get("/account").status_code == 200
        user = db.session.scalar(sa.select(User).where(User.username == username))
        assert user.roles == {role}


def test_participant_is_linked_to_a_current_adult_person(runner):
    load(runner)
    user = db.session.scalar(sa.select(User).where(User.username == "participant"))
    person = db.session.get(Person, user.person_id)
    assert person is not None
    assert person.is_archived is False
    assert person.disability_category is not None
    assert person.is_minor() is False
    for username in ("admin", "coach", "organiser", "staff"):
        assert db.session.scalar(sa.select(User.person_id).where(User.username == username)) is None


def test_refused_where_demo_data_is_not_allowed(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_DATA_ALLOWED", False)
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "Demo data is not allowed in this configuration." in result.output
    with pytest.raises(DemoNotAllowed):
        load_demo()
    assert row_counts()["users"] == 0


def test_make_run_steps_work_from_the_command_line(tmp_path):
    """`make run` migrates and loads the demo with the real CLI, where no SERVER_NAME is
    configured (the suite sets one): nothing on the way may need a request."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "RONGHE_CONFIG": "development",
        "FLASK_APP": "wsgi",
        "DATABASE_URL": f"sqlite:///{tmp_path}/run.sqlite3",
    }
    for args in (["db", "upgrade"], ["demo", "load"]):
        result = subprocess.run(
            [sys.executable, "-m", "flask", *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr[-3000:]
    assert "participant" in result.stdout


def test_the_demo_fixture_holds_what_a_fresh_load_holds(demo):
    """Other tests take the demo from the ``demo`` fixture, a copy of the run's one load
    (tests/demo_snapshot.py): it must hold what loading the demo afresh holds, row for row
    in every table, with the same ids, and answer the same logins."""
    from tests.demo_snapshot import empty_tables, restart_ids

    def keyed() -> set[tuple]:
        return set(db.session.execute(sa.select(Person.id, Person.name))) | set(
            db.session.execute(sa.select(Venue.id, Venue.name))
        )

    copied, copied_names = row_counts(), keyed()
    assert copied["people"] >= 36 and copied["calendar_items"] > 100
    db.session.remove()
    empty_tables(db.engine, db.metadata.sorted_tables)
    restart_ids(db.engine, db.metadata.sorted_tables)
    assert load_demo() == demo
    assert row_counts() == copied
    assert keyed() == copied_names
