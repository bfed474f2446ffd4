"""Bar charts of the homes statistics (one series each) as numbers for an inline SVG
template — no script, no inline style. The page prints the same numbers in tables, so the
chart is never the only way to read them."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 14, 30


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the axis label
    title: str  # label and value, for the tooltip


@dataclass
class BarChart:
    title: str
    summary: str
    bars: list[Bar]
    top_value: int
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM
    plot_right: int = WIDTH - RIGHT


def bar_chart(title: str, summary: str, items: list[tuple[str, str, int]]) -> BarChart | None:
    """``items``: (axis label, full label, value). None when there is nothing to draw."""
    if not items or not any(value for _a, _l, value in items):
        return None
    top = max(value for _a, _l, value in items) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(items)
    bars = []
    for index, (axis, full, value) in enumerate(items):
        h = plot_h * value / top
        bars.append(
            Bar(
                x=LEFT + slot * index + slot * 0.15,
                y=HEIGHT - BOTTOM - h,
                width=slot * 0.7,
                height=h,
                label=axis,
                title=f"{full}: {value}",
            )
        )
    return BarChart(title=title, summary=summary, bars=bars, top_value=top)
