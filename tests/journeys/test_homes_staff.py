"""Home staff on a phone (390x844): a roll-call with an absence whose reason was forgotten (the
error is at the member, who has the focus), then given; the rest marked present after a
confirmation; one coming session cancelled with a reason. After a reload the page and the
database agree."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.accounts.services import find_by_username
from app.core import clock
from app.extensions import db
from app.homes import queries
from app.homes.enums import AbsenceReason, AttendanceStatus, ExceptionKind
from app.homes.models import ActivityException, Attendance, Home
from app.homes.recurrence import parse_occurrence_key
from tests.browser_fixtures import axe_violations

pytestmark = pytest.mark.browser

ROLL_CALL_URL = re.compile(r"/homes/activities/(\d+)/sessions/(\w+)/roll-call$")
SESSION_URL = re.compile(r"/homes/activities/(\d+)/sessions/(\w+)$")


def marks(activity_id: int, start) -> dict[int, tuple]:
    db.session.expire_all()
    rows = db.session.scalars(
        sa.select(Attendance).where(
            Attendance.activity_id == activity_id, Attendance.occurrence_start == start
        )
    )
    return {a.person_id: (a.status, a.absence_reason) for a in rows}


def test_staff_take_a_roll_call_with_absences_and_cancel_a_session(demo, open_page, screenshot):
    home = db.session.scalar(sa.select(Home).order_by(Home.id).limit(1))
    staff = find_by_username("staff")
    page = open_page("home_staff")
    assert page.viewport_size == {"width": 390, "height": 844}

    page.goto("/homes/dashboard")
    row = page.locator("tbody tr").filter(has=page.get_by_role("cell", name=home.name, exact=True))
    row.first.get_by_role("link", name=re.compile("^打开点名")).click()
    found = ROLL_CALL_URL.search(page.url)
    assert found, page.url
    activity_id, start = int(found[1]), parse_occurrence_key(found[2])
    before = marks(activity_id, start)
    expected = {pid for pid, _n in queries.expected_members(home.id, clock.today())}

    # An absence without a reason: the error is shown at that member, whose list has the focus.
    line = page.locator("li.rollcall-line:not([class*=rollcall-marked])").first
    person_id = int(line.get_attribute("id").removeprefix("member-"))
    # (offline.js checks it in place: no round trip, the same message at the member.)
    line.locator("button.rollcall-absent-button").click()
    line = page.locator(f"#member-{person_id}")
    assert "请选择缺席原因。" in line.locator(".field-error").inner_text()
    assert page.evaluate("document.activeElement.id") == f"reason-{person_id}"
    screenshot(page, "absence-without-reason")
    assert axe_violations(page) == []  # the crawl leaves the Absent button alone

    # The reason chosen, the absence saved.
    line.get_by_label(re.compile("^原因")).select_option(AbsenceReason.TRANSPORT.value)
    line.locator("button.rollcall-absent-button").click()  # saved in place
    page.wait_for_selector(f"#member-{person_id}.rollcall-marked-absent:not(.rollcall-waiting)")
    assert line.locator(".field-error").count() == 0

    # The rest present, after a confirmation page.
    with page.expect_navigation():
        page.locator("form.rollcall-rest button").click()
    assert page.locator("h1").inner_text().startswith("将尚未点名的")
    screenshot(page, "confirm-rest-present")
    with page.expect_navigation():
        page.get_by_role("button", name="是的，都记为到").click()

    page.reload()
    absent_line = page.locator(f"#member-{person_id}")
    absent_line.scroll_into_view_if_needed()
    assert "交通原因" in absent_line.locator(".rollcall-state").inner_text()
    after = marks(activity_id, start)
    absent = [p for p, (status, _r) in after.items() if status is AttendanceStatus.ABSENT]
    present = len(after) - len(absent)
    assert page.locator("#roll-call-summary").inner_text() == (
        f"到：{present}。缺席：{len(absent)}。未点：0。"
    )
    assert set(after) == expected
    assert after[person_id] == (AttendanceStatus.ABSENT, AbsenceReason.TRANSPORT)
    for pid, mark in before.items():  # marks made before the journey are untouched
        if pid != person_id:
            assert after[pid] == mark
    screenshot(page, "roll-call-after-reload")

    # Cancel the first coming session of the activity, with a reason.
    page.goto(f"/homes/activities/{activity_id}")
    page.locator(".occurrence-list li:not(:has(del)) a").nth(1).click()
    session = SESSION_URL.search(page.url)
    assert session, page.url
    cancelled_start = parse_occurrence_key(session[2])
    page.get_by_role("link", name="取消这次活动").click()
    page.get_by_label(re.compile("^原因")).fill("社区停电检修")
    with page.expect_navigation():
        page.get_by_role("button", name="取消这次活动").click()
    page.reload()
    item = page.locator(".occurrence-list li").filter(
        has=page.locator(f'a[href$="/sessions/{session[2]}"]')
    )
    assert "已取消" in item.inner_text()
    screenshot(page, "activity-after-cancel")
    db.session.expire_all()
    row = db.session.scalar(
        sa.select(ActivityException).where(
            ActivityException.activity_id == activity_id,
            ActivityException.original_start == cancelled_start,
        )
    )
    assert row.kind is ExceptionKind.CANCELLED and row.reason == "社区停电检修"
    assert row.created_by_id == staff.id
