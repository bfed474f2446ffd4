"""An administrator prints the 2017–2021 term report on a desktop (1366×768): the figures on
the page are the database's, the PDF is a short A4 report with a page header and footer on
every page, each figure kept with its table, and the table they download is in the audit log
(shown in words on their dashboard after a reload). Issue 12 item 17 and the journeys."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from pypdf import PdfReader

from app.accounts.services import find_by_username
from app.core import clock
from app.core.audit import AuditEvent
from app.extensions import db
from app.performances.enums import PerformanceStatus
from app.performances.models import Performance
from app.reports import figures

pytestmark = pytest.mark.browser

FIRST, LAST = date(2017, 1, 1), date(2021, 12, 31)


def squeeze(text: str) -> str:
    """Text without spaces and line breaks (the PDF wraps and spaces cells its own way)."""
    return re.sub(r"\s+", "", text)


def page_rows(page, key: str) -> list[list[str]]:
    rows = page.locator(f"#figure-{key} table tbody tr")
    return [
        [cell.strip() for cell in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_admin_prints_the_term_report(demo, open_page, screenshot, frozen_clock):
    admin = find_by_username("admin")
    with force_locale("zh_Hans"):
        report = figures.build_report(FIRST, LAST)
        expected = {f.key: [[str(cell) for cell in row] for row in f.rows] for f in report.figures}
        headline_sentences = list(report.headline)
        titles = {f.key: f.title for f in report.figures}
        summaries = {f.key: f.summary for f in report.figures}
    held = db.session.execute(
        sa.select(sa.func.count(Performance.id), sa.func.sum(Performance.beneficiaries)).where(
            Performance.status == PerformanceStatus.DONE,
            Performance.held_on >= FIRST,
            Performance.held_on <= LAST,
        )
    ).one()
    assert held[0] > 0  # the demo has performances in the 2017 term

    page = open_page("admin")
    assert page.viewport_size == {"width": 1366, "height": 768}
    page.goto("/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="任期工作报告").click()
    page.locator('a[href="/reports/?preset=term2017"]').click()
    assert page.url.endswith("/reports/?preset=term2017")
    assert page.locator("h1").inner_text() == "任期工作报告"
    screenshot(page, "report")

    # The page's tables are the database's figures, every one (an admin sees them all).
    shown = {key: page_rows(page, key) for key in expected}
    assert shown == expected
    headline = dict(page_rows(page, "headline"))
    assert headline["已举办场次"] == str(held[0])
    assert headline["受益人次"] == str(held[1])

    # Print: A4 pages with the header and footer, far fewer than the 13 of the issue.
    page.wait_for_load_state("load")  # the print stylesheet (the header and footer) is in
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]
    assert 3 <= len(pages) <= 9, len(pages)
    width, height = PdfReader(io.BytesIO(pdf)).pages[0].mediabox.upper_right
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points
    for number, text in enumerate(pages, 1):
        assert "区残联" in text
        assert "任期工作报告：2017年1月1日至2021年12月31日" in text
        assert f"第 {number} 页，共 {len(pages)} 页" in text
        assert "打印日期：2026年11月30日" in text
    # No near-empty first page: the headline sentences and their table are on it.
    first = squeeze(pages[0])
    for sentence in headline_sentences:
        assert squeeze(sentence) in first
    for label, value in expected["headline"]:
        assert squeeze(label + value) in first
    # Each figure: its heading, summary and every row of its table on one page.
    squeezed = [squeeze(text) for text in pages]
    for key, rows in expected.items():
        holding = [
            n
            for n, text in enumerate(squeezed)
            if squeeze(titles[key]) in text and squeeze(summaries[key]) in text
        ]
        assert len(holding) == 1, (key, holding)
        text = squeezed[holding[0]]
        for row in rows:
            assert squeeze("".join(row)) in text, (key, row)

    # Download one table, five minutes later: the audit log holds it.
    frozen_clock.set(clock.now() + timedelta(minutes=5))
    with page.expect_download() as download:
        page.locator("#figure-medals .report-downloads a").first.click()
    body = download.value.path().read_bytes()
    assert body.startswith("\ufeff年,级别,金牌,银牌,铜牌,合计\r\n".encode())
    db.session.expire_all()
    event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (event.action, event.entity, event.actor_id) == ("export", "term_report", admin.id)
    assert event.details == {
        "table": "medals",
        "format": "csv",
        "from": "2017-01-01",
        "to": "2021-12-31",
    }

    # After a reload: the same figures, and the dashboard names the download in words.
    page.reload()
    assert {key: page_rows(page, key) for key in expected} == expected
    page.goto("/")
    rows = page.locator("#audit-heading + .table-region tbody tr")
    words = [
        (rows.nth(i).locator("th").inner_text(), rows.nth(i).locator("td").nth(2).inner_text())
        for i in range(rows.count())
    ]
    assert words[0] == ("导出数据表", "任期工作报告")
    assert not [w for w in words if re.fullmatch(r"[a-z_]+( #\d+)?", w[0] + w[1])]
    page.locator("#audit-heading").scroll_into_view_if_needed()
    screenshot(page, "dashboard")
