"""A coach on a phone edits an entry of a competition they manage: the event's list shows the
entry's support person, the entry form changes the status and the guide's name (typed with
full-width brackets), and after a reload the entry page and the database hold both
(issue 12 item 6, issue 19 item 15)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.services import find_by_username
from app.competitions.enums import EntryStatus
from app.competitions.models import Competition, CompetitionEvent, Entry, EntrySupport
from app.core.audit import AuditEvent
from app.extensions import db

pytestmark = pytest.mark.browser


def test_coach_edits_an_entry_and_its_guide(demo, open_page, screenshot):
    coach = find_by_username("coach")
    entry = db.session.scalar(
        sa.select(Entry)
        .join(CompetitionEvent, CompetitionEvent.id == Entry.event_id)
        .join(Competition, Competition.id == CompetitionEvent.competition_id)
        .join(EntrySupport, EntrySupport.entry_id == Entry.id)
        .where(
            Competition.manager_id == coach.id,
            EntrySupport.name == "王向导",
            Entry.status == EntryStatus.NOMINATED,
        )
        .order_by(Entry.id)
        .limit(1)
    )
    entry_id, competition_id = entry.id, entry.event.competition_id
    page = open_page("coach")
    assert page.viewport_size == {"width": 390, "height": 844}

    page.goto(f"/competitions/{competition_id}")
    row = page.locator("tr").filter(
        has=page.locator(f'a[href="/competitions/entries/{entry_id}/edit"]')
    )
    assert "王向导" in row.inner_text()
    row.locator(f'a[href="/competitions/entries/{entry_id}/edit"]').click()
    assert page.url.endswith(f"/competitions/entries/{entry_id}/edit")
    page.select_option("#status", "confirmed")
    page.fill("#support_name", "王向导（左眼）")
    screenshot(page, "entry-form")
    with page.expect_navigation():
        page.get_by_role("button", name="保存报名").click()
    assert page.url.endswith(f"/competitions/entries/{entry_id}")

    page.reload()
    summary = page.locator("dl.summary-list").inner_text()
    assert "王向导（左眼）" in summary
    assert "已确认" in summary or "Confirmed" in summary
    screenshot(page, "entry-after-reload")

    db.session.expire_all()
    saved = db.session.get(Entry, entry_id)
    assert saved.status is EntryStatus.CONFIRMED
    assert [(s.role.value, s.name) for s in saved.support] == [("guide", "王向导（左眼）")]
    assert saved.version == 2
    fields = db.session.scalar(
        sa.select(AuditEvent.fields).where(
            AuditEvent.entity == "entry",
            AuditEvent.entity_id == entry_id,
            AuditEvent.action == "update",
        )
    )
    assert fields == "status,support"
