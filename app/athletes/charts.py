"""A small line chart of one measure over time, as numbers for an inline SVG template (no
script, no inline style: colours come from site.css classes and SVG attributes). The page
shows the same numbers in a table and a sentence, so the chart is never the only way."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from app.athletes.rules import format_value
from app.core.templating import fmt_date

WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 28


@dataclass
class Chart:
    title: str
    summary: str
    points: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, label
    y_labels: list[tuple[float, str]] = field(default_factory=list)
    x_labels: list[tuple[float, str, str]] = field(default_factory=list)  # x, text, anchor
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _label in self.points)

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def plot_bottom(self) -> int:
        return HEIGHT - BOTTOM

    @property
    def plot_right(self) -> int:
        return WIDTH - RIGHT


def summary_text(series) -> str:
    """One sentence: first and latest value with dates, and the best."""
    measure = series.measure
    decimals = measure.unit.decimals
    unit = str(measure.unit.label)
    (first_on, first), (last_on, last) = series.points[0], series.points[-1]
    if len(series.points) == 1:
        return _(
            "%(measure)s: one assessment, %(value)s %(unit)s on %(date)s.",
            measure=measure.display_name,
            value=format_value(first, decimals),
            unit=unit,
            date=fmt_date(first_on),
        )
    values = [value for _on, value in series.points]
    best = min(values) if measure.lower_is_better else max(values)
    return _(
        "%(measure)s: %(count)d assessments, from %(first)s %(unit)s on %(first_on)s to "
        "%(last)s %(unit)s on %(last_on)s; best %(best)s %(unit)s.",
        measure=measure.display_name,
        count=len(values),
        first=format_value(first, decimals),
        first_on=fmt_date(first_on),
        last=format_value(last, decimals),
        last_on=fmt_date(last_on),
        best=format_value(best, decimals),
        unit=unit,
    )


def line_chart(series) -> Chart:
    measure = series.measure
    decimals = measure.unit.decimals
    values = [value for _on, value in series.points]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - Decimal(1), high + Decimal(1)
    first_day, last_day = series.points[0][0], series.points[-1][0]
    span_days = max((last_day - first_day).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(on) -> float:
        if len(series.points) == 1:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (on - first_day).days / span_days

    def y_of(value) -> float:
        return TOP + plot_h * float((high - value) / (high - low))

    chart = Chart(
        title=_(
            "%(measure)s over time (%(unit)s)",
            measure=measure.display_name,
            unit=measure.unit.label,
        ),
        summary=summary_text(series),
    )
    chart.points = [
        (x_of(on), y_of(value), f"{fmt_date(on)}: {format_value(value, decimals)}")
        for on, value in series.points
    ]
    chart.y_labels = [
        (y_of(high), format_value(high, decimals)),
        (y_of(low), format_value(low, decimals)),
    ]
    chart.x_labels = [(LEFT, str(first_day.year), "start")]
    if last_day.year != first_day.year:
        chart.x_labels.append((WIDTH - RIGHT, str(last_day.year), "end"))
    return chart
