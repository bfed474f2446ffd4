"""An organiser at a desk (1366×768): creates a performance, hits a clash with a show at the
same venue, resolves it by moving the time, records the audience on the after-show form;
after a reload the page shows what the database holds. And a destructive action asks first in
the browser (issue 19 item 4): removing a troupe member answers a confirmation page, "No, go
back" keeps them, confirming removes them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.accounts.services import find_by_username
from app.core import clock
from app.extensions import db
from app.performances import services
from app.performances.enums import PerformanceStatus
from app.performances.models import Performance, Programme, Troupe, TroupeMember

pytestmark = pytest.mark.browser

DETAIL_URL = re.compile(r"/performances/(\d+)$")


def a_past_show(organiser) -> Performance:
    """A held demo performance of one of the organiser's programmes."""
    return db.session.scalars(
        sa.select(Performance)
        .join(Programme, Programme.id == Performance.programme_id)
        .where(
            Programme.organisers.any(id=organiser.id),
            Performance.status == PerformanceStatus.DONE,
        )
        .order_by(Performance.starts_at.desc())
        .limit(1)
    ).one()


def a_free_hour(show: Performance):
    """The first hour after ``show`` on its day at its venue that clashes with nothing."""
    start = show.ends_at
    while True:
        end = start + timedelta(hours=1)
        if not services.clashes_for(start, end, show.venue_id, []):
            return start, end
        start = end


def test_organiser_creates_a_performance_resolves_a_clash_and_records_the_audience(
    demo, open_page, screenshot
):
    organiser = find_by_username("organiser")
    other = a_past_show(organiser)
    start, end = clock.to_local(other.starts_at), clock.to_local(other.ends_at)
    free_start, free_end = (clock.to_local(t) for t in a_free_hour(other))
    assert free_start.date() == start.date()
    page = open_page("organiser", locale="en")
    assert page.viewport_size == {"width": 1366, "height": 768}

    # A new performance at the other show's venue and time.
    page.goto("/performances/new")
    page.get_by_label("Title").fill("手语歌《感恩的心》，社区专场")
    page.get_by_label("Programme").select_option(str(other.programme_id))
    page.get_by_label("Setting").select_option("community")
    page.get_by_label("Venue").select_option(str(other.venue_id))
    page.locator('[name="day-year"]').fill(str(start.year))
    page.locator('[name="day-month"]').fill(str(start.month))
    page.locator('[name="day-day"]').fill(str(start.day))
    page.get_by_label("Start time").fill(start.strftime("%H:%M"))
    page.get_by_label("End time").fill(end.strftime("%H:%M"))
    page.get_by_role("button", name="Save performance").click()

    # The clash: the summary links to the other show; nothing was saved.
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    assert f"Clash with {other.title}" in summary.inner_text()
    assert "same venue" in summary.inner_text()
    assert page.get_by_label("Title").input_value() == "手语歌《感恩的心》，社区专场"
    screenshot(page, "clash")
    count = db.session.scalar(sa.select(sa.func.count(Performance.id)))

    # Resolve it: the first free hour after the other show.
    page.get_by_label("Start time").fill(free_start.strftime("%H:%M"))
    page.get_by_label("End time").fill(free_end.strftime("%H:%M"))
    page.get_by_role("button", name="Save performance").click()
    page.wait_for_url(DETAIL_URL)
    performance_id = int(DETAIL_URL.search(page.url)[1])
    assert "Performance saved." in page.locator("main").inner_text()

    # The audience, on the after-show form.
    page.get_by_role("link", name="Record the audience and the after-show report").click()
    page.get_by_label("The performance took place: count it as held").check()
    page.get_by_label(re.compile(r"^Audience")).fill("180")
    page.get_by_label("Of which people with disabilities").fill("42")
    page.get_by_label("Beneficiaries (person-times)").fill("165")
    page.get_by_label("Short report").fill("演出顺利，观众反响热烈。")
    screenshot(page, "after-show-form")
    page.get_by_role("button", name="Save the after-show report").click()
    page.wait_for_url(DETAIL_URL)

    page.reload()
    text = page.locator("main").inner_text()
    assert "手语歌《感恩的心》，社区专场" in text
    assert f"{free_start.strftime('%H:%M')}–{free_end.strftime('%H:%M')}" in text
    facts = {
        dt.inner_text(): dd.inner_text()
        for dt, dd in zip(
            page.locator(".summary-list dt").all(),
            page.locator(".summary-list dd").all(),
            strict=True,
        )
    }
    assert facts["Status"] == "Done"
    assert facts["Audience"] == "180"
    assert facts["Of which people with disabilities"] == "42"
    assert facts["Beneficiaries (person-times)"] == "165"
    assert "演出顺利，观众反响热烈。" in text
    screenshot(page, "after-reload", full_page=True)

    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Performance.id))) == count + 1
    stored = db.session.get(Performance, performance_id)
    assert (stored.title, stored.venue_id, stored.programme_id) == (
        "手语歌《感恩的心》，社区专场",
        other.venue_id,
        other.programme_id,
    )
    assert (clock.to_local(stored.starts_at), clock.to_local(stored.ends_at)) == (
        free_start,
        free_end,
    )
    assert stored.status is PerformanceStatus.DONE
    assert (stored.audience, stored.audience_disabled, stored.beneficiaries) == (180, 42, 165)
    assert stored.report == "演出顺利，观众反响热烈。"
    assert stored.overrides == []


def test_removing_a_troupe_member_asks_first_in_the_browser(demo, open_page, screenshot):
    troupe = db.session.scalars(sa.select(Troupe).order_by(Troupe.id).limit(1)).one()
    member = troupe.members[0]
    name, member_id = member.person.name, member.id

    def still_a_member() -> bool:
        db.session.expire_all()
        found = sa.select(sa.func.count(TroupeMember.id)).where(TroupeMember.id == member_id)
        return db.session.scalar(found) == 1

    page = open_page("organiser", locale="en")
    page.goto(f"/performances/troupes/{troupe.id}")
    page.get_by_role("button", name=f"Remove {name}").click()

    # A confirmation page: one click removed nothing.
    assert page.locator("h1").inner_text() == f"Remove {name} from {troupe.name}?"
    screenshot(page, "confirm")
    assert still_a_member()
    page.get_by_role("link", name="No, go back").click()
    assert page.url.endswith(f"/performances/troupes/{troupe.id}")
    expect(page.get_by_role("button", name=f"Remove {name}")).to_be_visible()

    page.get_by_role("button", name=f"Remove {name}").click()
    page.get_by_role("button", name="Yes, remove").click()
    page.wait_for_url(re.compile(rf"/performances/troupes/{troupe.id}$"))
    page.reload()
    assert page.get_by_role("button", name=f"Remove {name}").count() == 0
    assert not still_a_member()
