"""Working at the venue on a phone, even offline (issue 18): home staff take a roll-call
without a connection and the marks reach the database once each when it returns; a coach
does the same with results rows; two staff marking the same member offline end with the
later mark whichever phone syncs first; a new release replaces the service worker's cache."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.competitions.models import Result
from app.extensions import db
from app.homes.enums import AbsenceReason, AttendanceStatus
from app.homes.models import Attendance
from app.sync.models import ClientMark
from tests.browser_fixtures import PHONE, axe_violations
from tests.sync.conftest import (  # noqa: F401
    KEY,
    _english,
    add_members,
    bulk_people,
    enter,
    make_activity,
    make_athlete,
    make_competition,
    make_event,
    make_home,
    make_user,
    screen,
    sheet,
    sports,
)

pytestmark = pytest.mark.browser


def roll_call_url(activity) -> str:
    return f"/homes/activities/{activity.id}/sessions/{KEY}/roll-call"


def marks(activity) -> dict[int, tuple]:
    db.session.expire_all()
    return {
        a.person_id: (a.status, a.absence_reason, a.recorded_by_id)
        for a in db.session.scalars(
            sa.select(Attendance).where(Attendance.activity_id == activity.id)
        )
    }


def wait_kept(page, path: str) -> None:
    """Until the service worker controls the page and keeps ``path`` for offline use."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        "path => caches.open('ronghe-pages').then(c => c.match(location.origin + path))"
        ".then(hit => { window.__kept = !!hit; }) && window.__kept === true",
        arg=path,
        polling=200,
    )


def sync_line(page) -> str:
    return page.locator("[data-sync-line]").inner_text()


def test_staff_take_a_roll_call_offline_and_it_is_sent_once(sheet, open_page, screenshot):  # noqa: F811
    activity, people, staff = sheet["activity"], sheet["people"], sheet["staff"]
    page = open_page(user=staff, viewport=PHONE, locale="en")
    page.goto(roll_call_url(activity))
    wait_kept(page, roll_call_url(activity))

    page.context.set_offline(True)
    lines = page.locator("li.rollcall-line")
    assert lines.count() == 5
    for number in range(4):
        button = lines.nth(number).locator("button.rollcall-present")
        button.click()
        # Focus stays on the member's button; the page did not reload.
        assert page.evaluate("document.activeElement.classList.contains('rollcall-present')")
    absent = lines.nth(4)
    absent.locator("select").select_option("ill")
    absent.locator("button.rollcall-absent-button").click()
    page.wait_for_function(
        "() => document.querySelector('[data-sync-line]').textContent.includes('5 marks are waiting')"
    )
    assert marks(activity) == {}
    screenshot(page, "offline-five-waiting")

    # Reload without a connection: the kept page, with the five marks still waiting.
    page.reload()
    page.wait_for_function("() => document.querySelectorAll('li.rollcall-waiting').length === 5")
    # The lines are marked from the queue first, the status line after one more read of it.
    page.wait_for_function(
        "() => document.querySelector('[data-sync-line]').textContent.startsWith('No connection')"
    )
    assert "5 marks are waiting to be sent." in sync_line(page)
    assert " ".join(lines.nth(4).locator(".rollcall-state").inner_text().split()) == (
        "– absent (Ill) (waiting to be sent)"
    )
    assert page.locator("#roll-call-summary").inner_text() == (
        "Present: 4. Absent: 1. Not marked yet: 0."
    )
    screenshot(page, "offline-after-reload")

    hour_before = page.evaluate("new Date().getUTCHours()")
    page.context.set_offline(False)
    page.wait_for_function("() => document.querySelectorAll('li.rollcall-waiting').length === 0")
    page.wait_for_function(
        "() => document.querySelector('[data-sync-line]').textContent.includes('has been sent')"
    )
    # In Beijing time, as the pages write times, whatever zone the phone (here: CI's) is in;
    # the send fell between the two readings of the phone's clock, an hour may turn between.
    shown = re.search(r"Last sent at (\d{4}-\d{2}-\d{2}) (\d{2}):\d{2}:\d{2}\.", sync_line(page))
    hour_after = page.evaluate("new Date().getUTCHours()")
    assert shown and int(shown.group(2)) in {(hour_before + 8) % 24, (hour_after + 8) % 24}
    # The live region is emptied and refilled 50 ms later, so a screen reader repeats it.
    page.wait_for_function(
        "() => document.querySelector('[data-sync-live]').textContent.startsWith('Saved: ')"
    )
    expected = {pid: (AttendanceStatus.PRESENT, None, staff.id) for pid in people}
    ids = [int(lines.nth(n).get_attribute("data-person")) for n in range(5)]
    expected[ids[4]] = (AttendanceStatus.ABSENT, AbsenceReason.ILL, staff.id)
    assert marks(activity) == expected
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientMark)) == 5
    assert axe_violations(page) == []

    # An absence without a reason: the error at the member, the reason list focused.
    lines.nth(0).locator("select").select_option("")
    lines.nth(0).locator("button.rollcall-absent-button").click()
    error = lines.nth(0).locator("[data-sync-error]")
    assert " ".join(error.inner_text().split()) == "Error: Choose the reason for the absence."
    assert page.evaluate("document.activeElement.name") == "reason"
    assert lines.nth(0).locator("select").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
    screenshot(page, "error-at-member")

    page.reload()  # online again: the page as the server has it
    assert page.locator("#roll-call-summary").inner_text() == (
        "Present: 4. Absent: 1. Not marked yet: 0."
    )


@pytest.mark.parametrize("first", ["earlier", "later"])
def test_two_staff_mark_the_same_member_offline_and_the_later_mark_wins(sheet, open_page, first):  # noqa: F811
    activity, person = sheet["activity"], sheet["people"][0]
    phones = {}
    for who, user, at in (
        ("earlier", sheet["staff"], datetime(2026, 11, 30, 1, 40, tzinfo=UTC)),
        ("later", sheet["colleague"], datetime(2026, 11, 30, 1, 45, tzinfo=UTC)),
    ):
        page = open_page(user=user, viewport=PHONE, locale="en")
        page.clock.set_fixed_time(at)
        page.goto(roll_call_url(activity))
        wait_kept(page, roll_call_url(activity))
        page.context.set_offline(True)
        phones[who] = page
    line = f"li[data-person='{person}']"
    earlier = phones["earlier"].locator(line)
    earlier.locator("select").select_option("family")
    earlier.locator("button.rollcall-absent-button").click()
    phones["later"].locator(line).locator("button.rollcall-present").click()
    for page in phones.values():
        page.wait_for_function(
            "() => document.querySelectorAll('li.rollcall-waiting').length === 1"
        )

    second = "later" if first == "earlier" else "earlier"
    for who in (first, second):
        phones[who].context.set_offline(False)
        phones[who].wait_for_function(
            "() => document.querySelectorAll('li.rollcall-waiting').length === 0"
        )
    assert marks(activity) == {person: (AttendanceStatus.PRESENT, None, sheet["colleague"].id)}

    loser = phones["earlier"]
    if first == "earlier":
        loser.reload()  # the next sync tells the loser
    told = loser.locator(line).locator("[data-sync-error]")
    told.wait_for()
    text = " ".join(told.inner_text().split())
    assert text.startswith("Error: A colleague marked ")
    assert text.endswith(" later; their mark was kept.")
    assert axe_violations(loser) == []


def result_of(entry):
    db.session.expire_all()
    return db.session.scalar(sa.select(Result).where(Result.entry_id == entry.id))


def test_a_coach_records_results_rows_offline(screen, open_page, screenshot):  # noqa: F811
    coach, blank, scored = screen["coach"], screen["blank"], screen["scored"]
    url = f"/competitions/events/{screen['event'].id}/results"
    page = open_page(user=coach, viewport=PHONE, locale="en")
    page.goto(url)
    wait_kept(page, url)
    page.context.set_offline(True)

    page.fill(f"#rank-{blank.id}", "2")
    page.fill(f"#mark-{blank.id}", "640")
    page.select_option(f"#medal-{blank.id}", "silver")
    page.focus(f"#notes-{scored.id}")  # focus leaves the row: it is queued
    page.fill(f"#notes-{scored.id}", "wind 2 m/s")
    page.get_by_role("button", name="Save results").click()
    page.wait_for_function(
        "() => document.querySelector('[data-sync-line]').textContent.includes('2 marks are waiting')"
    )
    assert result_of(blank) is None

    page.reload()
    page.wait_for_function("() => document.querySelectorAll('[data-sync-waiting]').length === 2")
    assert page.input_value(f"#mark-{blank.id}") == "640"
    assert page.input_value(f"#notes-{scored.id}") == "wind 2 m/s"
    screenshot(page, "results-offline-after-reload")

    page.context.set_offline(False)
    page.wait_for_function("() => document.querySelectorAll('[data-sync-waiting]').length === 0")
    saved = result_of(blank)
    assert (saved.rank, saved.mark, str(saved.medal), saved.version) == (2, "640", "silver", 1)
    assert result_of(scored).notes == "wind 2 m/s"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientMark)) == 2
    assert axe_violations(page) == []

    # Someone else saves the scored row meanwhile: the next save of it is a conflict shown
    # with both versions, and nothing is overwritten.
    from app.competitions import services

    other = result_of(scored)
    services.save_result(
        other.entry, rank=1, mark="655", status="OK", medal="gold", notes="", version=other.version
    )
    db.session.commit()
    page.fill(f"#mark-{scored.id}", "650")
    page.get_by_role("button", name="Save results").click()
    conflict = page.locator(f"#conflict-{scored.id}")
    conflict.wait_for()
    assert conflict.locator("tbody th").all_inner_texts() == ["Mark as written", "Notes"]
    assert conflict.locator("tbody tr").first.locator("td").all_inner_texts() == [
        "650",
        "655",
        "650",
    ]
    # The box the coach did not change takes the saved value; the changed one keeps theirs.
    assert page.input_value(f"#notes-{scored.id}") == ""
    assert page.input_value(f"#mark-{scored.id}") == "650"
    assert result_of(scored).mark == "655"
    assert axe_violations(page) == []
    screenshot(page, "results-conflict")


def test_a_row_shows_what_was_stored_and_is_not_sent_again(screen, open_page):  # noqa: F811
    """Full-width digits and a trailing zero are stored as 2 and 66.1: the row then shows
    that, and passing through it again sends nothing (it was sent at every visit, and a
    colleague's later note made it a false conflict)."""
    coach, blank, scored = screen["coach"], screen["blank"], screen["scored"]
    url = f"/competitions/events/{screen['event'].id}/results"
    page = open_page(user=coach, viewport=PHONE, locale="en")
    page.goto(url)
    page.wait_for_function(  # the page's own first send is over
        "() => document.querySelector('[data-sync-line]').textContent.includes('has been sent')"
    )
    posts = []
    page.on(
        "request",
        lambda r: posts.append(r.url) if r.method == "POST" and "/sync/results" in r.url else None,
    )
    page.fill(f"#rank-{blank.id}", "２")
    page.fill(f"#mark-{blank.id}", "66.10")
    page.fill(f"#mark_value-{blank.id}", "66.10")
    page.focus(f"#notes-{scored.id}")  # focus leaves the row: it is saved
    page.wait_for_function(f"() => document.querySelector('#rank-{blank.id}').value === '2'")
    assert page.input_value(f"#mark_value-{blank.id}") == "66.1"
    assert page.input_value(f"#mark-{blank.id}") == "66.10"  # a mark is kept as written
    saved = result_of(blank)
    assert (saved.rank, saved.mark, saved.mark_value) == (2, "66.10", Decimal("66.1"))
    assert len(posts) == 1

    page.focus(f"#rank-{blank.id}")  # through the row and out again, then "Save results"
    page.focus(f"#notes-{scored.id}")
    page.get_by_role("button", name="Save results").click()
    page.wait_for_timeout(500)
    assert len(posts) == 1
    assert page.locator(f"#conflict-{blank.id}").count() == 0
    assert result_of(blank).version == saved.version

    page.reload()
    assert page.input_value(f"#rank-{blank.id}") == "2"
    assert page.input_value(f"#mark_value-{blank.id}") == "66.1"


def test_results_before_the_events_day_are_refused_at_the_row_and_open_on_the_day(
    screen,  # noqa: F811
    open_page,
    screenshot,
):
    """A row typed offline for an event moved meanwhile to a later day is refused at the row
    and leaves the queue (not sent again and again); the screen then says from which day and
    has no box or save button, and the copy kept offline opens its rows on that day."""
    coach, blank = screen["coach"], screen["blank"]
    url = f"/competitions/events/{screen['event'].id}/results"
    page = open_page(user=coach, viewport=PHONE, locale="en")
    page.clock.set_fixed_time(datetime(2026, 11, 30, 2, 0, tzinfo=UTC))  # the server's day
    page.goto(url)
    wait_kept(page, url)
    page.context.set_offline(True)
    page.fill(f"#rank-{blank.id}", "3")
    page.focus(f"#mark-{blank.id}")
    page.focus(f"#notes-{screen['scored'].id}")  # focus leaves the row: it is queued
    page.wait_for_function("() => document.querySelectorAll('[data-sync-waiting]').length === 1")

    competition = screen["event"].competition
    competition.start_on, competition.end_on = date(2026, 12, 3), date(2026, 12, 5)
    db.session.commit()
    sentence = "This event has not taken place yet: results can be entered from Dec 3, 2026."
    page.context.set_offline(False)
    error = page.locator(f"#rank-{blank.id}-sync-error")
    error.wait_for()
    assert " ".join(error.text_content().split()) == f"Error: {sentence}"
    assert page.get_attribute(f"#rank-{blank.id}", "aria-invalid") == "true"
    page.wait_for_function("() => document.querySelectorAll('[data-sync-waiting]').length === 0")
    assert queued(page) == 0
    assert result_of(blank) is None
    assert [(m.target, m.outcome) for m in db.session.scalars(sa.select(ClientMark))] == [
        (f"result:{blank.id}", "invalid")
    ]
    assert axe_violations(page) == []
    screenshot(page, "results-refused-before-the-day")

    page.reload()
    main = page.locator("main")
    assert main.get_by_role("status").filter(has_text=sentence).count() == 1
    assert (main.get_by_role("textbox").count(), main.get_by_role("combobox").count()) == (0, 0)
    assert main.get_by_role("button", name="Save results").count() == 0
    assert axe_violations(page) == []
    page.wait_for_function(  # the worker keeps this copy, the one written before the day
        "path => caches.open('ronghe-pages').then(c => c.match(location.origin + path))"
        ".then(hit => hit.text()).then(t => { window.__early = t.includes('data-rendered-on'); })"
        " && window.__early === true",
        arg=url,
        polling=200,
    )

    # At the venue on the event's day, offline: the kept copy opens its rows.
    page.context.set_offline(True)
    page.clock.set_fixed_time(datetime(2026, 12, 3, 1, 0, tzinfo=UTC))  # 09:00 Beijing
    page.reload()
    page.locator(f"#rank-{blank.id}").wait_for()
    assert page.locator("template[data-results-open-on]").count() == 0
    assert main.get_by_text(sentence).count() == 0
    assert main.get_by_role("button", name="Save results").count() == 1
    assert page.input_value(f"#rank-{blank.id}") == ""
    assert axe_violations(page) == []


def test_a_mark_made_while_a_send_is_under_way_is_sent_after_it(sheet, open_page):  # noqa: F811
    """Two members marked in quick succession on a slow link: the second mark is queued while
    the first is on its way, and is sent when that send ends, without another mark or a
    connection coming back."""
    activity, staff = sheet["activity"], sheet["staff"]
    page = open_page(user=staff, viewport=PHONE, locale="en")
    page.goto(roll_call_url(activity))
    # The page's own first send (nothing waiting: it asks what colleagues replaced) is over.
    page.wait_for_function(
        "() => document.querySelector('[data-sync-line]').textContent.includes('has been sent')"
    )
    held = []

    def hold_the_first(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/sync/roll-call", hold_the_first)
    lines = page.locator("li.rollcall-line")
    lines.nth(0).locator("button.rollcall-present").click()
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1
    lines.nth(1).locator("button.rollcall-present").click()
    wait_queued(page, 2)

    held[0].continue_()
    page.wait_for_function("() => document.querySelectorAll('li.rollcall-waiting').length === 0")
    ids = [int(lines.nth(n).get_attribute("data-person")) for n in range(2)]
    assert marks(activity) == {pid: (AttendanceStatus.PRESENT, None, staff.id) for pid in ids}
    wait_queued(page, 0)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientMark)) == 2


def test_a_new_release_replaces_the_workers_cache(live_app, sheet, open_page):  # noqa: F811
    page = open_page(user=sheet["staff"], viewport=PHONE, locale="en")
    page.goto("/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    old = "ronghe-shell-" + live_app.extensions["static_hash"]
    assert old in page.evaluate("caches.keys()")
    live_app.config["RELEASE_VERSION"] = "next-release"
    try:
        page.reload()
        page.wait_for_function(
            "() => caches.keys().then(k => { window.__keys = k; }) && window.__keys"
            " && window.__keys.includes('ronghe-shell-next-release')"
            " && !window.__keys.some(k => k.startsWith('ronghe-shell-') && k !== 'ronghe-shell-next-release')",
            polling=200,
        )
    finally:
        live_app.config["RELEASE_VERSION"] = None
    assert old not in page.evaluate("caches.keys()")


def test_sign_out_forgets_the_kept_pages_and_the_queue(sheet, open_page):  # noqa: F811
    activity = sheet["activity"]
    page = open_page(user=sheet["staff"], viewport=PHONE, locale="en")
    page.goto(roll_call_url(activity))
    wait_kept(page, roll_call_url(activity))
    page.context.set_offline(True)
    page.locator("li.rollcall-line button.rollcall-present").first.click()
    page.wait_for_function("() => document.querySelectorAll('li.rollcall-waiting').length === 1")
    assert "ronghe-sync" in page.evaluate("indexedDB.databases().then(d => d.map(x => x.name))")
    page.context.set_offline(False)
    page.wait_for_function("() => document.querySelectorAll('li.rollcall-waiting').length === 0")

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert page.evaluate("caches.has('ronghe-pages')") is False
    assert "ronghe-sync" not in page.evaluate("indexedDB.databases().then(d => d.map(x => x.name))")
    # Offline now, the roll-call page is gone: the offline page (or nothing) answers.
    from playwright.sync_api import Error

    page.context.set_offline(True)
    try:
        page.goto(roll_call_url(activity))
    except Error:  # no worker any more (Clear-Site-Data): the browser's own offline error
        return
    assert "Roll-call" not in page.locator("h1").inner_text()


def queued(page) -> int:
    """How many marks wait in the phone's queue (IndexedDB), without creating it."""
    return page.evaluate(
        """() => indexedDB.databases().then(dbs => {
             if (!dbs.some(d => d.name === 'ronghe-sync')) { return 0; }
             return new Promise(resolve => {
               const open = indexedDB.open('ronghe-sync');
               open.onsuccess = () => {
                 const db = open.result;
                 const count = db.transaction('queue').objectStore('queue').count();
                 count.onsuccess = () => { db.close(); resolve(count.result); };
               };
             });
           })"""
    )


def wait_queued(page, expected: int) -> None:
    """Until ``expected`` marks wait in the queue: the line is marked at once, the mark is put
    in the queue a moment later (another IndexedDB transaction)."""
    for _ in range(100):
        if queued(page) == expected:
            return
        page.wait_for_timeout(100)
    assert queued(page) == expected


def ask_dialog(page):
    return page.get_by_role("dialog", name="1 mark not sent yet")


def test_signing_out_with_a_mark_waiting_asks_before_discarding_it(sheet, open_page, screenshot):  # noqa: F811
    """Nothing typed is dropped silently: offline, a mark, sign out → the user is asked; "Send
    later" (or Escape) keeps the mark and the page; "Sign out and discard" drops it."""
    activity = sheet["activity"]
    url = roll_call_url(activity)
    page = open_page(user=sheet["staff"], viewport=PHONE, locale="en")
    page.goto(url)
    wait_kept(page, url)
    page.context.set_offline(True)
    page.locator("li.rollcall-line button.rollcall-present").first.click()
    page.wait_for_function("() => document.querySelectorAll('li.rollcall-waiting').length === 1")

    sign_out = page.get_by_role("button", name="Sign out")
    sign_out.click()
    dialog = ask_dialog(page)
    dialog.wait_for()
    assert dialog.locator("h2").inner_text() == "1 mark not sent yet"
    assert " ".join(dialog.locator("p").inner_text().split()) == (
        "It is kept on this phone and sent when the connection returns, as long as you"
        " stay signed in. Signing out now discards it."
    )
    # Focus on the safe answer; the page behind is inert (a modal dialog).
    assert page.evaluate("document.activeElement.textContent") == "Send later"
    assert axe_violations(page) == []
    screenshot(page, "sign-out-asks")

    page.keyboard.press("Escape")  # keyboard: Escape is "Send later"
    dialog.wait_for(state="detached")
    assert page.evaluate("document.activeElement.textContent") == "Sign out"
    assert page.url.endswith(url)
    assert queued(page) == 1

    page.keyboard.press("Enter")  # asked again; the button says the same
    dialog.wait_for()
    dialog.get_by_role("button", name="Send later").click()
    dialog.wait_for(state="detached")
    assert page.locator("li.rollcall-waiting").count() == 1
    assert queued(page) == 1
    assert marks(activity) == {}

    # A connection that fails (the send is tried first, and fails): asked again; discard.
    page.route("**/sync/roll-call", lambda route: route.abort())
    page.context.set_offline(False)
    sign_out.click()
    dialog.wait_for()
    with page.expect_navigation():
        dialog.get_by_role("button", name="Sign out and discard").click()
    assert page.locator(".flash-messages").inner_text() == "You have signed out."
    assert queued(page) == 0
    assert marks(activity) == {}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientMark)) == 0


def test_signing_out_online_sends_the_waiting_marks_first(sheet, open_page):  # noqa: F811
    activity, staff = sheet["activity"], sheet["staff"]
    page = open_page(user=staff, viewport=PHONE, locale="en")
    page.goto(roll_call_url(activity))
    page.route("**/sync/roll-call", lambda route: route.abort())  # the send fails: it waits
    line = page.locator("li.rollcall-line").first
    person = int(line.get_attribute("data-person"))
    line.locator("button.rollcall-present").click()
    page.wait_for_function("() => document.querySelectorAll('li.rollcall-waiting').length === 1")
    wait_queued(page, 1)
    # The sends keep failing until the sign-out: the roll-call page's own first send, which
    # on a slow machine starts only after its set-up, must not empty the queue meanwhile.
    page.goto("/")  # a page that sends nothing itself: the sign-out form knows where to
    assert queued(page) == 1
    page.unroute("**/sync/roll-call")

    with page.expect_navigation():  # sent, then signed out: nothing to ask
        page.get_by_role("button", name="Sign out").click()
    assert page.locator(".flash-messages").inner_text() == "You have signed out."
    assert marks(activity) == {person: (AttendanceStatus.PRESENT, None, staff.id)}
    assert queued(page) == 0
