"""The one chart model (app/core/charts.py) and its macros (_macros/charts.html): geometry,
nothing drawn when there is nothing to draw, the sentences, and the accessible markup (an
SVG with role="img" titled and described, the same numbers in the table)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from flask import render_template_string
from flask_babel import refresh

from app.core import charts
from app.core.charts import Item, MedalYear

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN"}


def test_vertical_bars_geometry():
    chart = charts.bars("c", "Title", "Summary.", [Item("Day care", 4, "1"), Item("Rehab", 2, "2")])
    first, second = chart.rects
    assert (first.height, second.height) == (136.0, 68.0)  # the plot is 136 high; 4 is the top
    assert first.y + first.height == second.y + second.height == 150  # one baseline
    assert (first.title, second.title) == ("Day care: 4", "Rehab: 2")
    texts = [(t.text, t.anchor) for t in chart.texts]
    assert texts == [("4", "end"), ("1", "middle"), ("2", "middle")]  # top value, then axis
    assert len(chart.lines) == 1


@pytest.mark.parametrize("items", [[], [Item("a", 0), Item("b", 0)]])
def test_vertical_bars_draw_nothing_without_a_value(items):
    assert charts.bars("c", "T", "S", items) is None


def test_horizontal_bars_geometry():
    chart = charts.hbars(
        "c", "T", "S", [Item("Into a village far away", 170), Item("School", 0), Item("x", 17)]
    )
    assert chart.height == 6 * 2 + 22 * 3
    widths = [r.width for r in chart.rects]
    assert widths == [164.0, 0, pytest.approx(16.4)]  # the span is 320 - 112 - 44
    labels = [t.text for t in chart.texts if t.anchor == "end"]
    assert labels == ["Into a v…", "School", "x"]
    values = [t.text for t in chart.texts if t.anchor == "start"]
    assert values == ["170", "0", "17"]
    assert chart.rects[0].title == "Into a village far away: 170"
    assert charts.hbars("c", "T", "S", []) is None


def test_a_small_value_still_shows_a_bar():
    chart = charts.hbars("c", "T", "S", [Item("a", 1000), Item("b", 1)])
    assert chart.rects[1].width == 1


def test_medals_stack_gold_silver_bronze_bottom_up(app):
    with app.test_request_context(headers=EN):
        chart = charts.medals(
            "m", "Medals", "S", [MedalYear(2017, 2, 1, 1), MedalYear(2018, 0, 0, 2)]
        )
    gold, silver, bronze, bronze_2018 = chart.rects
    assert [r.css for r in chart.rects] == [
        "chart-gold",
        "chart-silver",
        "chart-bronze",
        "chart-bronze",
    ]
    assert gold.y > silver.y > bronze.y  # bottom to top
    assert gold.y + gold.height == 152 and bronze.y == pytest.approx(12)  # 4 medals fill it
    assert [r.title for r in chart.rects] == [
        "2017: 2 gold",
        "2017: 1 silver",
        "2017: 1 bronze",
        "2018: 2 bronze",
    ]
    assert chart.legend == "Bars, bottom to top: gold (dark yellow), silver (grey), bronze (brown)."
    assert charts.medals("m", "Medals", "S", []) is None


def test_line_chart():
    points = [(date(2024, 3, 1), Decimal("10.5")), (date(2025, 3, 1), Decimal("12.0"))]
    chart = charts.line("l", "T", "S", points, str, lambda on, v: f"{on}: {v}")
    assert [(round(p.x), round(p.y)) for p in chart.points] == [(48, 132), (308, 12)]
    assert chart.polyline == "48.0,132.0 308.0,12.0"
    assert [t.text for t in chart.texts] == ["12.0", "10.5", "2024", "2025"]
    assert chart.points[0].label == "2024-03-01: 10.5"
    assert charts.line("l", "T", "S", points[:1], str, str) is None


def test_most_names_every_tie_in_the_readers_language(app):
    items = [Item("May 2019", 2), Item("June 2019", 2), Item("July 2019", 1)]

    def sentence(label, value):
        return f"{value}: {label}"

    with app.test_request_context(headers=EN):
        assert charts.most(items, sentence) == "2: May 2019 and June 2019"
    with app.test_request_context(headers=ZH):
        refresh()  # the suite's app context keeps the locale of the request before
        assert charts.most(items, sentence) == "2: May 2019和June 2019"
        assert charts.most([Item("a", 0)], sentence) == ""
        many = [Item(f"{month}月", 1) for month in range(1, 8)]
        assert charts.most(many, sentence) == "1: 1月、2月、3月和其他4个"
        assert charts.most(many[:4], sentence) == "1: 1月、2月、3月和4月"
    with app.test_request_context(headers=EN):
        refresh()
        assert charts.most(many, sentence) == "1: 1月, 2月, 3月, and 4 others"
        assert charts.most([], sentence) == ""


def test_sentences_are_joined_as_each_language_writes_them(app):
    with app.test_request_context(headers=EN):
        assert charts.sentences("One.", "", "Two.") == "One. Two."
    with app.test_request_context(headers=ZH):
        refresh()
        assert charts.sentences("一。", "", "二。") == "一。二。"


MACRO = '{% from "_macros/charts.html" import chart %}{{ chart(c) }}'


def test_the_macro_draws_an_accessible_figure_with_its_table(app):
    table = charts.Table(
        "t", "Members by service", ["Service", "Members"], [["Day care", 4]], ["Total", 4]
    )
    chart = charts.hbars(
        "svc", "Members by service", "4 members.", [Item("Day care", 4)], table=table
    )
    with app.test_request_context(headers=EN):
        html = render_template_string(MACRO, c=chart)
    assert (
        '<svg class="chart" role="img" aria-labelledby="svc-title" aria-describedby="svc-summary"'
        in html
    )
    assert '<title id="svc-title">Members by service</title>' in html
    assert '<figcaption id="svc-summary"><p>4 members.</p></figcaption>' in html
    assert re.search(r"<title>Day care: 4</title>", html)
    assert '<caption id="t-caption">Members by service</caption>' in html
    assert (
        '<th scope="col">Service</th>' in html and '<th scope="row">Day care</th><td>4</td>' in html
    )
    assert '<tfoot><tr><th scope="row">Total</th><td>4</td></tr></tfoot>' in html
    assert 'role="region" tabindex="0" aria-labelledby="t-caption"' in html
    with app.test_request_context():
        assert render_template_string(MACRO, c=None).strip() == ""


def test_the_macro_states_what_the_medal_colours_mean(app):
    with app.test_request_context(headers=EN):
        chart = charts.medals("m", "Medals", "3 medals.", [MedalYear(2017, 1, 1, 1)])
        html = render_template_string(MACRO, c=chart)
    assert 'aria-describedby="m-summary m-legend"' in html
    assert '<p id="m-legend">Bars, bottom to top: gold (dark yellow)' in html
    assert html.index('<p id="m-legend">') < html.index(
        '<figcaption id="m-summary"><p>3 medals.</p>'
    )
    assert html.count('class="chart-gold" fill="#b58b00"') == 1
