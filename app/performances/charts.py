"""Horizontal bar charts of the statistics (one measure per chart) as numbers for an inline
SVG template — no script, no inline style. The page prints the same numbers in the tables
next to each chart and a sentence, so the chart is never the only way to read them."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

WIDTH = 320
LABEL_WIDTH = 112
VALUE_WIDTH = 44
ROW = 22
TOP = 6
LABEL_CHARS = 9


@dataclass
class Bar:
    y: float
    width: float
    label: str  # as drawn (shortened)
    full_label: str
    value: int


@dataclass
class HBarChart:
    id: str
    title: str
    summary: str
    bars: list[Bar] = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    plot_left: int = LABEL_WIDTH
    bar_height: int = ROW - 6


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bar_chart(chart_id: str, title: str, summary: str, rows, measure: str) -> HBarChart | None:
    """One bar per row of ``rows`` (stats.Row) for the attribute ``measure``."""
    rows = list(rows)
    if not rows:
        return None
    best = max(rows, key=lambda r: getattr(r, measure))
    top = getattr(best, measure) or 1
    summary = " ".join(
        (
            summary,
            _("Highest: %(label)s, %(value)d.", label=best.label, value=getattr(best, measure)),
        )
    )
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    chart = HBarChart(id=chart_id, title=title, summary=summary, height=TOP * 2 + ROW * len(rows))
    for index, row in enumerate(rows):
        value = getattr(row, measure)
        chart.bars.append(
            Bar(
                y=TOP + ROW * index,
                width=max(span * value / top, 1 if value else 0),
                label=_short(row.label),
                full_label=row.label,
                value=value,
            )
        )
    return chart
