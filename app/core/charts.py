"""The app's charts: bars by category (vertical or horizontal), medal bars stacked gold,
silver and bronze, and a line of one measure over time — as numbers for the one SVG macro
file, app/templates/_macros/charts.html (no script, no inline style: the CSP forbids both).

A chart is never the only way to read its numbers (accessibility.md): the macro draws an
``<svg role="img">`` titled by the chart's title and described by its summary sentence,
shown under it, and a page prints the same numbers in a table — the chart's own
(``Chart.table``, drawn by the macro) or the page's. Colour is never the only signal: each
bar carries its label and value as text or in its tooltip, the medal parts are stacked in a
fixed order that the legend states, and the table names every medal.

Each builder returns None when there is nothing to draw. Every coordinate is computed here,
so the macro only draws, and tests can check the geometry without a browser."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

TEXT = "#0b0c0c"
AXIS = "#484949"
BAR = "#1d70b8"
MEDALS = (  # bottom to top, as the legend says
    ("gold", "chart-gold", "#b58b00"),
    ("silver", "chart-silver", "#8a8d90"),
    ("bronze", "chart-bronze", "#8c4d1f"),
)

WIDTH = 320
# Vertical bars (one series, or stacked medals): the plot's margins inside the viewBox.
BARS_HEIGHT = 180
BARS_MARGINS = (36, 8, 14, 30)  # left, right, top, bottom
MEDAL_MARGINS = (32, 8, 12, 28)
# Horizontal bars: a label column, the bars, room for the value after each bar.
LABEL_WIDTH, VALUE_WIDTH, ROW, ROW_TOP, LABEL_CHARS = 112, 44, 22, 6, 9
# Line chart.
LINE_HEIGHT = 160
LINE_MARGINS = (48, 12, 12, 28)


@dataclass(frozen=True)
class Item:
    """One category: its full label (table, tooltip, sentence), its value, and what is drawn
    at its bar when the label would not fit (a number keyed to the table, a month)."""

    label: str
    value: int
    axis: str = ""


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    title: str  # the tooltip: the label and the value in words
    fill: str = BAR
    css: str = "chart-bar"


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"
    size: int = 12


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass
class Table:
    """The chart's numbers as a table: the first cell of each row is its header."""

    id: str
    caption: str
    header: list
    rows: list[list]
    total: list | None = None


@dataclass
class Chart:
    id: str  # unique on the page: the SVG's title and the summary hang on it
    title: str
    summary: str  # one or two whole sentences saying what the chart shows
    width: int = WIDTH
    height: int = BARS_HEIGHT
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    legend: str = ""  # what the colours mean, where they mean something
    table: Table | None = None

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


# --- sentences -----------------------------------------------------------------------------


def spoken_list(labels: Sequence[str]) -> str:
    """Labels joined as the reader's language lists them: "A, B and C" / "A、B和C"."""
    return format_list(list(labels), locale=str(get_locale() or "zh_Hans"))


def sentences(*parts: str) -> str:
    """Whole sentences as one paragraph: a space between them in English, none in Chinese
    (whose full stop closes the sentence)."""
    glue = "" if str(get_locale() or "zh_Hans").startswith("zh") else " "
    return glue.join(part for part in parts if part)


# A tie for the largest value names this many labels, then counts the others (two or more).
MOST_NAMED = 3


def most(
    items: Sequence[Item],
    sentence: Callable[[str, int], str],
    *,
    name: Callable[[Item], str] = lambda item: item.label,
) -> str:
    """``sentence(labels, value)`` about the largest value — the items that have it, named
    by ``name`` and listed in the reader's language ("A, B, C and 5 others" when more than
    one would follow the first MOST_NAMED) — or "" when nothing was counted."""
    top = max((item.value for item in items), default=0)
    if not top:
        return ""
    leaders = [name(item) for item in items if item.value == top]
    if len(leaders) > MOST_NAMED + 1:  # "and 1 other" would be longer than its name
        others = len(leaders) - MOST_NAMED
        leaders = [
            *leaders[:MOST_NAMED],
            ngettext("%(num)d other", "%(num)d others", others),
        ]
    return sentence(spoken_list(leaders), top)


# --- builders ------------------------------------------------------------------------------


def bars(
    chart_id: str, title: str, summary: str, items: Sequence[Item], *, table: Table | None = None
) -> Chart | None:
    """Vertical bars, one per item, left to right; the top value is written on the axis,
    each bar's label (``axis``, else the label) under it, label and value in its tooltip.
    None when there is no item or every value is 0."""
    if not items or not any(item.value for item in items):
        return None
    left, right, top_margin, bottom = BARS_MARGINS
    chart = Chart(id=chart_id, title=title, summary=summary, table=table)
    plot_w, plot_h = WIDTH - left - right, BARS_HEIGHT - top_margin - bottom
    baseline = BARS_HEIGHT - bottom
    top = max(item.value for item in items) or 1
    chart.lines.append(Line(left, baseline, WIDTH - right, baseline))
    chart.texts.append(Text(left - 4, 20, str(top), "end"))
    slot = plot_w / len(items)
    for index, item in enumerate(items):
        x, width = left + slot * index + slot * 0.15, slot * 0.7
        height = plot_h * item.value / top
        chart.rects.append(Rect(x, baseline - height, width, height, f"{item.label}: {item.value}"))
        chart.texts.append(
            Text(x + width / 2, BARS_HEIGHT - 10, item.axis or item.label, "middle", 11)
        )
    return chart


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def hbars(
    chart_id: str, title: str, summary: str, items: Sequence[Item], *, table: Table | None = None
) -> Chart | None:
    """Horizontal bars, one row per item, top to bottom: the label (shortened) before the
    bar, the value after it, label and value in the tooltip. None when there is no item."""
    if not items:
        return None
    top = max(item.value for item in items) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bar_height = ROW - 6
    chart = Chart(
        id=chart_id,
        title=title,
        summary=summary,
        height=ROW_TOP * 2 + ROW * len(items),
        table=table,
    )
    for index, item in enumerate(items):
        y = ROW_TOP + ROW * index
        width = max(span * item.value / top, 1 if item.value else 0)
        chart.texts.append(Text(LABEL_WIDTH - 4, y + 13, item.axis or _short(item.label), "end"))
        chart.rects.append(Rect(LABEL_WIDTH, y, width, bar_height, f"{item.label}: {item.value}"))
        chart.texts.append(Text(LABEL_WIDTH + width + 4, y + 13, str(item.value)))
    return chart


@dataclass(frozen=True)
class MedalYear:
    year: int
    gold: int
    silver: int
    bronze: int


def medal_part_title(year: int, medal: str, count: int) -> str:
    # One whole sentence per medal for the translators (not "year: count" + "gold").
    if medal == "gold":
        return _("%(year)d: %(count)d gold", year=year, count=count)
    if medal == "silver":
        return _("%(year)d: %(count)d silver", year=year, count=count)
    return _("%(year)d: %(count)d bronze", year=year, count=count)


def medals(
    chart_id: str,
    title: str,
    summary: str,
    columns: Sequence[MedalYear],
    *,
    table: Table | None = None,
) -> Chart | None:
    """One bar per year, stacked bottom to top gold, silver, bronze; the legend says so in
    words. None when there is no year."""
    if not columns:
        return None
    left, right, top_margin, bottom = MEDAL_MARGINS
    chart = Chart(
        id=chart_id,
        title=title,
        summary=summary,
        legend=_("Bars, bottom to top: gold (dark yellow), silver (grey), bronze (brown)."),
        table=table,
    )
    plot_w, plot_h = WIDTH - left - right, BARS_HEIGHT - top_margin - bottom
    baseline = BARS_HEIGHT - bottom
    top = max(c.gold + c.silver + c.bronze for c in columns) or 1
    chart.lines.append(Line(left, baseline, WIDTH - right, baseline))
    chart.texts.append(Text(left - 4, 20, str(top), "end"))
    slot = plot_w / len(columns)
    for index, column in enumerate(columns):
        x, width = left + slot * index + slot * 0.15, slot * 0.7
        y = float(baseline)
        for medal, css, fill in MEDALS:
            count = getattr(column, medal)
            if count:
                height = plot_h * count / top
                y -= height
                title_text = medal_part_title(column.year, medal, count)
                chart.rects.append(Rect(x, y, width, height, title_text, fill, css))
        chart.texts.append(Text(x + width / 2, BARS_HEIGHT - 8, str(column.year), "middle"))
    return chart


def line(
    chart_id: str,
    title: str,
    summary: str,
    points: Sequence[tuple[date, Decimal]],
    fmt: Callable[[Decimal], str],
    point_label: Callable[[date, Decimal], str],
) -> Chart | None:
    """One value over time: points placed by date, the highest and lowest value written on
    the y axis (``fmt``), the first (and, if different, last) year on the x axis. None with
    fewer than two points (the summary says the one value)."""
    if len(points) < 2:
        return None
    left, right, top_margin, bottom = LINE_MARGINS
    plot_w, plot_h = WIDTH - left - right, LINE_HEIGHT - top_margin - bottom
    values = [value for _on, value in points]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - Decimal(1), high + Decimal(1)
    first_day, last_day = points[0][0], points[-1][0]
    span_days = max((last_day - first_day).days, 1)
    baseline = LINE_HEIGHT - bottom

    def x_of(on: date) -> float:
        return left + plot_w * (on - first_day).days / span_days

    def y_of(value) -> float:
        return top_margin + plot_h * float((high - value) / (high - low))

    chart = Chart(id=chart_id, title=title, summary=summary, height=LINE_HEIGHT)
    chart.lines += [
        Line(left, baseline, WIDTH - right, baseline),
        Line(left, top_margin, left, baseline),
    ]
    chart.points = [Point(x_of(on), y_of(value), point_label(on, value)) for on, value in points]
    chart.texts += [
        Text(left - 4, y_of(high) + 4, fmt(high), "end"),
        Text(left - 4, y_of(low) + 4, fmt(low), "end"),
        Text(left, LINE_HEIGHT - 8, str(first_day.year), "start"),
    ]
    if last_day.year != first_day.year:
        chart.texts.append(Text(WIDTH - right, LINE_HEIGHT - 8, str(last_day.year), "end"))
    return chart
