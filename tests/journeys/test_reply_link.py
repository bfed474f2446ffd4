"""A performer opens the reply link from a notice on a phone (no sign-in), says they cannot
come with a reason, and sees the stored answer after a reload; a tampered and an expired link
answer a plain page. axe passes on each state."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from app.core import clock
from app.extensions import db
from app.people.models import Person
from app.performances.enums import PerformanceStatus
from app.performances.models import Performance, PerformancePerson
from app.replies import links
from app.replies.enums import Answer
from app.replies.models import Reply
from app.replies.names import given_name
from tests.browser_fixtures import axe_violations

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def demo_booking() -> tuple[Performance, Person]:
    """The first coming demo performance with a register person booked, and that person."""
    row = db.session.execute(
        sa.select(Performance, Person)
        .join(PerformancePerson, PerformancePerson.performance_id == Performance.id)
        .join(Person, Person.id == PerformancePerson.person_id)
        .where(
            Performance.starts_at > clock.now(),
            Performance.status != PerformanceStatus.CANCELLED,
        )
        .order_by(Performance.starts_at, Performance.id, Person.id)
        .limit(1)
    ).one_or_none()
    assert row is not None, "the demo has no coming performance with a register person"
    return row[0], row[1]


def reply_path(live_app, person_id, performance) -> str:
    with live_app.test_request_context():
        url = links.reply_url(person_id, "performance", performance.id, performance.starts_at)
    return urlsplit(url).path


def test_a_performer_answers_cannot_come_from_the_link(
    demo, live_app, open_page, screenshot, frozen_clock
):
    performance, person = demo_booking()
    path = reply_path(live_app, person.id, performance)
    page = open_page(viewport=PHONE)
    page.goto(path)
    assert page.locator("h1").inner_text() == "是否参加"
    assert page.get_by_text(performance.title, exact=True).count() == 1
    assert page.locator("h2.reply-name").inner_text() == given_name(person.name)
    assert person.name not in page.content() or given_name(person.name) == person.name
    assert axe_violations(page) == []
    screenshot(page, "link-opened")

    page.fill(f"#reason-{person.id}", "要去医院复查")
    with page.expect_navigation():
        page.locator("button.reply-not-coming").click()
    assert page.url.endswith(path + "#answers")
    page.reload()
    state = page.locator(f"#reply-state-{person.id}").inner_text()
    assert " ".join(state.split()) == "已回复：不能参加。 原因：要去医院复查"
    assert page.locator(f"#reason-{person.id}").input_value() == "要去医院复查"
    assert axe_violations(page) == []
    screenshot(page, "after-reload")

    db.session.expire_all()
    reply = db.session.scalars(sa.select(Reply).where(Reply.person_id == person.id)).one()
    assert (reply.answer, reply.reason, reply.via_link, reply.version) == (
        Answer.NOT_COMING,
        "要去医院复查",
        True,
        1,
    )

    # The empty-choice error state (a keyboard user submitting the reason with Enter).
    page.locator(f"#reason-{person.id}").press("Enter")
    page.wait_for_load_state()
    assert axe_violations(page) == []

    # A tampered link: a plain page, in Chinese, not a 500.
    response = page.goto(path[:-3] + ("xyz" if not path.endswith("xyz") else "abc"))
    assert response.status == 404
    assert page.locator("h1").inner_text() == "此回复链接无效"
    assert axe_violations(page) == []

    # After the performance has ended: expired.
    frozen_clock.set(performance.ends_at)
    response = page.goto(path)
    assert response.status == 410
    assert page.locator("h1").inner_text() == "此回复链接已过期"
    assert axe_violations(page) == []
    screenshot(page, "expired")
