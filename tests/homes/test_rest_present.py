""" "Mark the rest present" never overwrites a mark saved at the same moment (issue 13 item 8),
and asks first (issue 12 item 15)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.core import clock
from app.extensions import db
from app.homes import recurrence, services
from app.homes.enums import AbsenceReason, AttendanceStatus
from app.homes.models import Attendance

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
START = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # today's session, 09:00 Beijing


def _sheet(make_home, make_activity, bulk_people, add_members, make_user):
    staff = make_user("home_staff")
    home = make_home(staff=[staff])
    people = bulk_people(4)
    add_members(home, people)
    activity = make_activity(home, first_day=date(2026, 11, 2))
    return staff, activity, people


def _marks():
    return {
        a.person_id: (a.status, a.absence_reason)
        for a in db.session.scalars(sa.select(Attendance)).all()
    }


def test_the_rest_are_inserted_only_where_no_mark_exists(
    make_home, make_activity, bulk_people, add_members, make_user
):
    staff, activity, people = _sheet(make_home, make_activity, bulk_people, add_members, make_user)
    with clock.freeze(NOW):
        services.record_marks(
            activity,
            START,
            [services.Mark(people[0], AttendanceStatus.ABSENT, AbsenceReason.ILL)],
            set(people),
            staff,
        )
        assert services.mark_rest_present(activity, START, set(people), staff) == 3
    db.session.commit()
    assert _marks() == {
        people[0]: (AttendanceStatus.ABSENT, AbsenceReason.ILL),
        people[1]: (AttendanceStatus.PRESENT, None),
        people[2]: (AttendanceStatus.PRESENT, None),
        people[3]: (AttendanceStatus.PRESENT, None),
    }


def test_an_absence_saved_by_another_connection_meanwhile_is_kept(
    app, make_home, make_activity, bulk_people, add_members, make_user
):
    """Two database sessions: the first reads the sheet (nobody marked yet), the second saves
    an absence and commits, then the first marks the rest present. Runs on SQLite and on
    PostgreSQL (DATABASE_URL)."""
    staff, activity, people = _sheet(make_home, make_activity, bulk_people, add_members, make_user)
    seen = db.session.scalars(
        sa.select(Attendance.person_id).where(Attendance.activity_id == activity.id)
    ).all()
    assert seen == []
    with Session(db.engine) as other:
        other.add(
            Attendance(
                activity_id=activity.id,
                occurrence_start=START,
                person_id=people[2],
                status=AttendanceStatus.ABSENT,
                absence_reason=AbsenceReason.TRANSPORT,
                recorded_at=NOW,
            )
        )
        other.commit()
    with clock.freeze(NOW):
        services.mark_rest_present(activity, START, set(people), staff)
    db.session.commit()
    assert _marks()[people[2]] == (AttendanceStatus.ABSENT, AbsenceReason.TRANSPORT)
    assert sum(1 for status, _r in _marks().values() if status == AttendanceStatus.PRESENT) == 3


def test_mark_the_rest_present_asks_first_without_javascript(
    client, login_as, make_home, make_activity, bulk_people, add_members, make_user
):
    staff, activity, people = _sheet(make_home, make_activity, bulk_people, add_members, make_user)
    url = f"/homes/activities/{activity.id}/sessions/{recurrence.occurrence_key(START)}/roll-call"
    login_as(user=staff)
    with clock.freeze(NOW):
        asked = client.post(url, data={"mark": "rest_present"})
        assert asked.status_code == 200
        page = asked.get_data(as_text=True)
        assert "Mark the 4 members not marked yet as present?" in page
        assert 'name="mark" value="rest_present"' in page and 'name="confirmed"' in page
        assert _marks() == {}
        done = client.post(url, data={"mark": "rest_present", "confirmed": "yes"})
        assert done.status_code == 303
    assert len(_marks()) == 4


def test_roll_call_on_a_phone_is_in_pinyin_order_and_errors_stay_at_the_member(
    client, login_as, make_home, make_activity, make_person, add_members, make_user
):
    staff = make_user("home_staff")
    home = make_home(staff=[staff])
    # Code-point order would be 张, 李, 阿; pinyin order is A, Li, Zhang.
    people = [make_person(name=name) for name in ("张三", "李四", "阿明")]
    add_members(home, [p.id for p in people])
    activity = make_activity(home, first_day=date(2026, 11, 2))
    url = f"/homes/activities/{activity.id}/sessions/{recurrence.occurrence_key(START)}/roll-call"
    login_as(user=staff)
    with clock.freeze(NOW):
        page = client.get(url).get_data(as_text=True)
        assert page.index("阿明") < page.index("李四") < page.index("张三")
        resp = client.post(url, data={"person_id": str(people[1].id), "status": "absent"})
        assert resp.status_code == 422
        page = resp.get_data(as_text=True)
        line = page[page.index(f'id="member-{people[1].id}"') :]
        line = line[: line.index("</li>")]
        assert "Choose the reason for the absence." in line
        assert "autofocus" in line and 'aria-invalid="true"' in line
        assert page.count("autofocus") == 1
        assert "data-error-summary" not in page  # no summary that would take the focus away


def test_marking_the_rest_days_later_is_audited_as_late_marks(
    make_home, make_activity, bulk_people, add_members, make_user
):
    """Review: the insert-if-absent path had dropped the audit of late marks that record_marks
    writes: marks written two days after the session leave one row per member."""
    from datetime import timedelta

    from app.core.audit import AuditEvent

    staff, activity, people = _sheet(make_home, make_activity, bulk_people, add_members, make_user)
    with clock.freeze(NOW):
        assert services.mark_rest_present(activity, START, set(people[:2]), staff) == 2
    with clock.freeze(NOW + timedelta(days=2)):
        assert services.mark_rest_present(activity, START, set(people), staff) == 2
    db.session.commit()
    rows = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "correct_attendance")
    ).all()
    assert sorted((r.actor_id, r.details["person_id"], r.details["late"]) for r in rows) == [
        (staff.id, people[2], True),
        (staff.id, people[3], True),
    ]


def test_the_roll_call_heading_is_one_sentence_in_chinese(client, login_as, app):
    """Found on a 390 px phone: the heading joined its parts with half-width ': ' and ', '
    in Chinese. One translatable sentence, the date kept on one line."""
    import re

    from flask_babel import force_locale

    with app.test_request_context(), force_locale("zh_Hans"):
        from flask import render_template_string

        html = render_template_string(
            '{{ _("Roll-call: %(activity)s, %(when)s", activity=a, when=w) }}',
            a="<晨练>",
            w="周一 2026-12-07 08:30–09:00",
        )
    assert html == "点名：&lt;晨练&gt;，周一 2026-12-07 08:30–09:00"
    assert re.search(r"[\u4e00-\u9fff][,:]", html) is None
