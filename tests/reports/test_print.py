"""The printed term report (issue 12 item 17): an A4 print stylesheet with a page header and
footer (the federation's name, the report and its period, the print date, "page N of M"),
no forced page per part (no near-empty pages), headings kept with what follows them and each
figure (chart, summary and table) kept whole. The PDF itself is checked by the admin's
journey (tests/journeys/test_admin_report.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "app" / "static" / "css" / "site.css"


def print_blocks(css: str) -> str:
    """The text of every ``@media print { … }`` block of the stylesheet."""
    blocks = []
    for match in re.finditer(r"@media print\s*\{", css):
        depth, i = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[i], 0)
            i += 1
        blocks.append(css[match.end() : i - 1])
    return "\n".join(blocks)


def rule(css: str, selector: str) -> str:
    found = re.search(r"(?:^|[}\s])" + re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert found, f"no print rule for {selector!r}"
    return found.group(1)


def test_the_print_rules_of_the_report_exist():
    printed = print_blocks(CSS.read_text("utf-8"))
    page = rule(printed, "@page")
    assert "size: A4" in page and "margin: 20mm 15mm 18mm" in page
    assert "break-inside: avoid" in rule(printed, ".report-figure")
    assert "break-after: avoid" in rule(printed, ".report-section h2, .report-figure h3")
    assert "break-inside: avoid" in rule(printed, ".report-figure tr")
    hidden = rule(printed, ".report-period, .report-downloads, .report-figure caption")
    assert "display: none" in hidden
    # A part no longer starts a page of its own: that left pages nearly empty.
    assert "break-before: page" not in printed


def test_the_page_links_its_print_stylesheet(app, client):
    html = client.get("/reports/?preset=term2017").get_data(as_text=True)
    assert (
        '<link rel="stylesheet" media="print" href="/reports/print.css?lang=en'
        '&amp;first=2017-01-01&amp;last=2021-12-31&amp;printed=2026-11-30">' in html
    )


@pytest.mark.parametrize(
    ("lang", "header", "period", "printed", "pages"),
    [
        (
            "en",
            "District Disabled Persons' Federation",
            "Term report: Jan 1, 2017 to Dec 31, 2021",
            "Printed on Nov 30, 2026",
            '"Page " counter(page) " of " counter(pages)',
        ),
        (
            "zh_Hans",
            "区残联",
            "任期工作报告：2017年1月1日至2021年12月31日",
            "打印日期：2026年11月30日",
            '"第 " counter(page) " 页，共 " counter(pages) " 页"',
        ),
    ],
)
def test_the_print_stylesheet_has_the_page_header_and_footer(
    app, client, lang, header, period, printed, pages
):
    response = client.get(
        f"/reports/print.css?lang={lang}&first=2017-01-01&last=2021-12-31&printed=2026-11-30"
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/css; charset=utf-8"
    css = response.get_data(as_text=True)
    boxes = dict(re.findall(r"@([a-z-]+)\s*\{\s*content:\s*([^;]+);", css))
    assert boxes == {
        "top-left": f'"{header}"',
        "top-right": f'"{period}"',
        "bottom-left": f'"{printed}"',
        "bottom-right": pages,
    }


def test_quotes_and_backslashes_in_a_translation_cannot_break_out_of_the_css_string():
    from app.reports.routes import css_string

    assert css_string('Say "hi" \\ }{ <x>\n') == '"Say \\"hi\\" \\\\ }{ <x> "'


@pytest.mark.parametrize(
    "query",
    [
        "lang=fr&first=2017-01-01&last=2021-12-31&printed=2026-11-30",
        "lang=en&first=2017-13-01&last=2021-12-31&printed=2026-11-30",
        "lang=en&first=2017-01-01&last=2021-12-31",
        "lang=en&first=2021-01-01&last=2017-12-31&printed=2026-11-30",
        "lang=en&first=2017-01-01&last=2021-12-31&printed=2026-W49-4",  # a week date
    ],
)
def test_bad_print_stylesheet_parameters_are_404(client, query):
    assert client.get(f"/reports/print.css?{query}").status_code == 404
