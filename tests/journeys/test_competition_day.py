"""Competition day, before the start and after the finals (issue 17), at a desk (1366×768): the
coach who manages the demo's provincial swimming championship moves an entry to another lane
and gives it a bib on the entry form (the database and the page after a reload hold both),
prints the whole programme (Chromium's print to PDF: one A4 page per event, the federation's
name, the competition and "page N of M" on every page, each start list whole on its page),
then — the results recorded — prints the certificates of an event (one A4 landscape page per
medallist, each certificate's text whole on its page, the Beijing date written the Chinese
way) and the medal ceremony sheet."""

from __future__ import annotations

import io
import re
from datetime import time

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.accounts.services import find_by_username
from app.competitions import services
from app.competitions.models import Competition, Entry
from app.core import clock
from app.core.audit import AuditEvent
from app.extensions import db
from tests.browser_fixtures import DESK

pytestmark = pytest.mark.browser

SWIMMING = "浙江省残疾人游泳锦标赛"


def squeeze(text: str) -> str:
    """Text without spaces and line breaks (the PDF wraps and spaces its own way)."""
    return re.sub(r"\s+", "", text)


def pdf_pages(page, **options) -> tuple[list[str], tuple[int, int]]:
    # The header and footer come from the print stylesheet, which does not block rendering.
    page.wait_for_load_state("load")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True, **options)
    reader = PdfReader(io.BytesIO(pdf))
    width, height = reader.pages[0].mediabox.upper_right
    return [p.extract_text() or "" for p in reader.pages], (
        round(float(width)),
        round(float(height)),
    )


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def test_the_manager_prints_start_lists_and_certificates(demo, open_page, screenshot, frozen_clock):
    coach = find_by_username("coach")
    competition = db.session.scalar(sa.select(Competition).where(Competition.name == SWIMMING))
    assert competition.manager_id == coach.id
    first, second = competition.events
    entry = second.entries[1]
    entry_id = entry.id
    assert (entry.heat, entry.lane) == (1, "5")

    page = open_page("coach", viewport=DESK)
    assert page.viewport_size == {"width": 1366, "height": 768}
    page.goto(f"/competitions/{competition.id}")
    page.locator(f'a[href="/competitions/entries/{entry_id}/edit"]').first.click()
    assert page.url.endswith(f"/competitions/entries/{entry_id}/edit")
    assert page.input_value("#lane") == "5"
    page.fill("#lane", "３")  # a full-width digit, as a Chinese keyboard may type it
    page.fill("#heat", "2")
    screenshot(page, "entry-start")
    with page.expect_navigation():
        page.get_by_role("button", name="保存报名").click()
    assert page.url.endswith(f"/competitions/entries/{entry_id}")
    page.reload()
    bib = entry.bib
    assert f"号码布 {bib} · 第 2 组 · 道次或靶位 3" in page.locator("dl.summary-list").inner_text()
    db.session.expire_all()
    saved = db.session.get(Entry, entry_id)
    assert (saved.bib, saved.heat, saved.lane) == (bib, 2, "3")
    audited = db.session.scalar(
        sa.select(AuditEvent.fields)
        .where(AuditEvent.entity == "entry", AuditEvent.entity_id == entry_id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    assert audited == "heat,lane"

    # The programme: one page per event, the header and footer on each.
    page.goto(f"/competitions/{competition.id}")
    page.get_by_role("link", name="打印秩序册").click()
    assert page.url.endswith(f"/competitions/{competition.id}/programme")
    screenshot(page, "programme", full_page=True)
    pages, size = pdf_pages(page)
    assert size == (595, 842)  # A4 portrait, in points
    assert len(pages) == 2
    for number, (text, event) in enumerate(zip(pages, competition.events, strict=True), 1):
        assert "区残联" in text
        assert SWIMMING in text
        assert f"第 {number} 页，共 2 页" in text
        squeezed = squeeze(text)
        assert squeeze(f"出场名单：{event.name}") in squeezed
        db.session.refresh(event)
        for line in event.entries:
            assert squeeze(line.athletes[0].person.name) in squeezed
            assert line.bib in squeezed
    # The moved entry now starts in heat 2, after heat 1.
    second_page = squeeze(pages[1])
    names = [e.athletes[0].person.name for e in second.entries]
    assert second_page.index(names[0]) < second_page.index(names[1])

    # On the event's day (results cannot be entered before it), results recorded on the
    # results screen (tests/journeys/test_coach_results.py) …
    db.session.expire_all()
    first = db.session.get(Competition, competition.id).events[0]
    frozen_clock.set(clock.local_instant(first.day, time(17, 0)))
    gold, silver = first.entries
    services.save_result(gold, rank=1, medal="gold", mark="31.20", actor=coach)
    services.save_result(silver, rank=2, medal="silver", mark="33.05", actor=coach)
    db.session.commit()
    medallists = [gold.athletes[0].person.name, silver.athletes[0].person.name]

    # … the certificates of the event: one landscape page each, nothing cut off.
    page.goto(f"/competitions/{competition.id}")
    page.get_by_role("link", name=f"{first.name}的奖状").click()
    assert page.url.endswith(f"/competitions/events/{first.id}/certificates")
    screenshot(page, "certificates", full_page=True)
    pages, size = pdf_pages(page)
    assert size == (842, 595)  # A4 landscape
    assert len(pages) == 2
    day = chinese_date(first.day)
    for text, name, medal in zip(pages, medallists, ("金牌", "银牌"), strict=True):
        squeezed = squeeze(text)
        assert f"{name}：" in squeezed
        assert squeeze(f"在{SWIMMING}{first.name}比赛中，荣获{medal}。") in squeezed
        assert squeezed.endswith(squeeze(f"特发此状，以资鼓励。（盖章）区残联{day}")), squeezed
        assert "第 1 页" not in text  # a certificate has no page header or footer

    # One certificate alone.
    page.goto(f"/competitions/entries/{silver.id}/certificate")
    pages, size = pdf_pages(page)
    assert (len(pages), size) == (1, (842, 595))
    assert f"{medallists[1]}：" in squeeze(pages[0])

    # The medal ceremony sheet: who stands where, with the page header.
    page.goto(f"/competitions/{competition.id}")
    page.get_by_role("link", name=f"{first.name}的颁奖仪式").click()
    rows = page.locator("table.print-table tbody tr")
    assert rows.nth(2).inner_text().split("\t")[:4] == [
        "3",
        "金牌",
        "中间，最高台阶",
        medallists[0],
    ]
    pages, size = pdf_pages(page)
    assert (len(pages), size) == (1, (595, 842))
    assert "区残联" in pages[0] and "第 1 页，共 1 页" in pages[0]
    assert "不设" not in pages[0] and "暂无人获得此奖牌。" in pages[0]  # no bronze yet
