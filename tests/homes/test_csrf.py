"""The homes pages have no CSRF check of their own (issue 14): a POST without the page's token
is refused by the app's one rule (``core.security``: checked before the view, or by the
BaseForm of a ``form_view``) and changes nothing; the same POST with the token works."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.homes import services
from app.homes.enums import AbsenceReason, AttendanceStatus
from app.homes.models import ActivityException, Attendance, Membership
from tests.homes.test_routes import NOW, frozen, occurrence_key, setup_home
from tests.security.routes import csrf_token


@pytest.fixture
def csrf_on(app):
    saved = app.config.get("WTF_CSRF_ENABLED")
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = saved


pytestmark = pytest.mark.usefixtures("csrf_on")


@pytest.fixture
def session_of_a_home(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user
):
    staff, home, people, activity = setup_home(
        make_home, make_activity, bulk_people, add_members, make_user
    )
    login_as(user=staff)
    return staff, home, people, activity


def test_recording_a_call_needs_the_token(client, session_of_a_home):
    staff, home, people, activity = session_of_a_home
    membership = db.session.scalar(sa.select(Membership).where(Membership.home_id == home.id))
    for week in range(4):
        start = activity.starts_at + timedelta(weeks=week)
        services.record_marks(
            activity,
            start,
            [services.Mark(people[0], AttendanceStatus.ABSENT, AbsenceReason.ILL)],
            set(people),
            staff,
            start + timedelta(hours=3),
        )
    db.session.commit()
    url = f"/homes/members/{membership.id}/contacted"
    with frozen():
        assert client.post(url).status_code == 400
        db.session.expire_all()
        assert db.session.get(Membership, membership.id).contacted_at is None
        page = client.get("/homes/dashboard").get_data(as_text=True)
        assert client.post(url, data={"csrf_token": csrf_token(page)}).status_code == 303
        db.session.expire_all()
        assert db.session.get(Membership, membership.id).contacted_at == NOW


def test_cancelling_a_session_needs_the_token(client, session_of_a_home):
    _staff, _home, _people, activity = session_of_a_home
    base = f"/homes/activities/{activity.id}/sessions/{occurrence_key(activity, weeks=5)}"
    with frozen():
        response = client.post(base + "/cancel", data={"reason": "Holiday"})
        # The form's own check: the page again (422), the reason kept, nothing saved.
        assert response.status_code == 422
        assert "Holiday" in response.get_data(as_text=True)
        assert db.session.scalar(sa.select(sa.func.count(ActivityException.id))) == 0
        # A session that does not exist: refused as forged before the 404 says so.
        bad = f"/homes/activities/{activity.id}/sessions/1/cancel"
        assert client.post(bad, data={"reason": "Holiday"}).status_code == 400
        token = csrf_token(client.get(base + "/cancel").get_data(as_text=True))
        assert client.post(bad, data={"reason": "Holiday", "csrf_token": token}).status_code == 404
        response = client.post(base + "/cancel", data={"reason": "Holiday", "csrf_token": token})
        assert response.status_code == 303
        assert db.session.scalar(sa.select(sa.func.count(ActivityException.id))) == 1


def test_roll_call_needs_the_token(client, session_of_a_home):
    _staff, _home, people, activity = session_of_a_home
    url = f"/homes/activities/{activity.id}/sessions/{occurrence_key(activity, weeks=4)}/roll-call"
    mark = {"person_id": str(people[0]), "status": "present"}
    with frozen():
        assert client.post(url, data=mark).status_code == 400
        assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 0
        token = csrf_token(client.get(url).get_data(as_text=True))
        assert client.post(url, data=mark | {"csrf_token": token}).status_code == 303
        assert db.session.scalar(sa.select(sa.func.count(Attendance.id))) == 1
