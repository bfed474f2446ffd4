"""Absence alerts reach the member's caregiver: the home's staff see the caregiver's and the
member's phone, and record that they made contact (issue 12 item 15)."""

from __future__ import annotations

from datetime import date, timedelta

from app.core import clock
from app.extensions import db
from app.homes import services
from app.homes.enums import AbsenceReason, AttendanceStatus
from app.homes.models import Membership

from .test_series_change import NOW


def test_staff_see_the_caregivers_phone_and_record_contact(
    client, login_as, make_home, make_activity, make_person, make_user
):
    staff, stranger = make_user("home_staff"), make_user("home_staff")
    home = make_home(staff=[staff])
    make_home(staff=[stranger])
    person = make_person(
        name="何静", phone="13800001111", guardian_name="何母", guardian_phone="13900002222"
    )
    membership, _w = services.add_member(home, person.id, date(2020, 1, 1), ["day_care"])
    activity = make_activity(home, first_day=date(2026, 11, 2))
    for week in range(4):
        start = activity.starts_at + timedelta(weeks=week)
        services.record_marks(
            activity,
            start,
            [services.Mark(person.id, AttendanceStatus.ABSENT, AbsenceReason.ILL)],
            {person.id},
            staff,
            start + timedelta(hours=3),
        )
    db.session.commit()
    url = f"/homes/members/{membership.id}/contacted"
    with clock.freeze(NOW):
        login_as(user=stranger)
        assert "13900002222" not in client.get("/homes/dashboard").get_data(as_text=True)
        assert client.post(url).status_code == 404
        login_as(user=staff)
        page = client.get("/homes/dashboard").get_data(as_text=True)
        alerts = page[page.index("Members to contact") :]
        assert "何母" in alerts and "13900002222" in alerts and "13800001111" in alerts
        assert 'href="tel:13900002222"' in alerts
        assert f'action="{url}"' in alerts
        resp = client.post(url)
        assert resp.status_code == 303 and resp.location.endswith("/homes/dashboard#alerts")
        db.session.expire_all()
        saved = db.session.get(Membership, membership.id)
        assert saved.contacted_at == NOW and saved.contacted_by_id == staff.id
        page = client.get("/homes/dashboard").get_data(as_text=True)
        assert "Contacted on Mon 2026-11-30 10:00" in page
