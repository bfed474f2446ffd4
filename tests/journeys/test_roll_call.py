"""Home staff take a roll-call on a phone: one member marked present stays present."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.accounts.services import find_by_username
from app.core import clock
from app.extensions import db
from app.homes import queries
from app.homes.enums import AttendanceStatus
from app.homes.models import Activity, Attendance, Home
from app.homes.recurrence import parse_occurrence_key

pytestmark = pytest.mark.browser

ROLL_CALL_URL = re.compile(r"/homes/activities/(\d+)/sessions/(\w+)/roll-call$")


def marks(activity_id: int, start) -> dict[int, tuple]:
    db.session.expire_all()
    rows = db.session.scalars(
        sa.select(Attendance).where(
            Attendance.activity_id == activity_id, Attendance.occurrence_start == start
        )
    )
    return {a.person_id: (a.status, a.absence_reason, a.recorded_by_id) for a in rows}


def test_staff_mark_a_member_present_at_todays_roll_call(demo, open_page, screenshot):
    home = db.session.scalar(sa.select(Home).order_by(Home.id).limit(1))
    staff = find_by_username("staff")
    page = open_page("home_staff")
    assert page.viewport_size == {"width": 390, "height": 844}

    # Today's sessions on the staff dashboard: open the first home's roll-call.
    page.goto("/homes/dashboard")
    row = page.locator("tbody tr").filter(has=page.get_by_role("cell", name=home.name, exact=True))
    row.first.get_by_role("link", name=re.compile("^打开点名")).click()
    found = ROLL_CALL_URL.search(page.url)
    assert found, page.url
    activity_id, start = int(found[1]), parse_occurrence_key(found[2])
    assert db.session.get(Activity, activity_id).home_id == home.id
    assert clock.local_date(start) == clock.today()
    before = marks(activity_id, start)
    screenshot(page, "roll-call")

    # The first member not marked yet: one tap on their "到" (present) button.
    line = page.locator("li.rollcall-line:not([class*=rollcall-marked])").first
    person_id = int(line.get_attribute("id").removeprefix("member-"))
    name = line.locator(".rollcall-name strong").inner_text()
    expected = len(queries.expected_members(home.id, clock.today()))
    present = sum(status is AttendanceStatus.PRESENT for status, _r, _u in before.values())
    absent = len(before) - present
    unmarked = expected - len(before)
    assert unmarked > 0
    assert page.locator("#roll-call-summary").inner_text() == (
        f"到：{present}。缺席：{absent}。未点：{unmarked}。"
    )
    # Saved in place (app/static/js/offline.js): no reload, the focus stays on the button.
    line.locator("button.rollcall-present").click()
    page.wait_for_selector(f"#member-{person_id}.rollcall-marked-present:not(.rollcall-waiting)")
    page.wait_for_function("() => !document.querySelector('li.rollcall-waiting')")
    assert page.evaluate("document.activeElement.classList.contains('rollcall-present')")
    # The counts and the "mark the rest" button follow the mark without a reload.
    assert page.locator("#roll-call-summary").inner_text() == (
        f"到：{present + 1}。缺席：{absent}。未点：{unmarked - 1}。"
    )
    rest = page.locator("form.rollcall-rest button")
    assert rest.inner_text() == f"将尚未点名的 {unmarked - 1} 名成员记为到"

    page.reload()
    assert rest.inner_text() == f"将尚未点名的 {unmarked - 1} 名成员记为到"
    line = page.locator(f"#member-{person_id}")
    line.scroll_into_view_if_needed()
    assert line.locator(".rollcall-name strong").inner_text() == name
    assert " ".join(line.locator(".rollcall-state").inner_text().split()) == "– 到"
    assert "rollcall-marked-present" in line.get_attribute("class")
    assert page.locator("#roll-call-summary").inner_text() == (
        f"到：{present + 1}。缺席：{absent}。未点：{unmarked - 1}。"
    )
    screenshot(page, "after-reload")

    after = marks(activity_id, start)
    assert after == {**before, person_id: (AttendanceStatus.PRESENT, None, staff.id)}
