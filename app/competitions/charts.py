"""A bar chart of medals per year (stacked gold, silver, bronze) as numbers for an inline SVG
template — no script, no inline style. The page prints the same numbers in the year × level
table and a sentence, so the chart is never the only way to read them. (The athletes' line
chart in app/athletes/charts.py draws one measure over time and does not fit bars.)"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 32, 8, 12, 28


@dataclass
class Bar:
    x: float
    width: float
    label: str
    # (css class, y, height, text) bottom to top
    parts: list[tuple[str, float, float, str]] = field(default_factory=list)


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


def summary_text(table) -> str:
    totals = table.totals
    if not table.years:
        return _("No medals match these filters.")
    best = max(table.years, key=lambda y: (table.year_total(y).total, table.year_total(y).gold))
    return _(
        "%(total)d medals from %(first)d to %(last)d: %(gold)d gold, %(silver)d silver and "
        "%(bronze)d bronze. The best year was %(best)d with %(best_total)d medals.",
        total=totals.total,
        first=table.years[0],
        last=table.years[-1],
        gold=totals.gold,
        silver=totals.silver,
        bronze=totals.bronze,
        best=best,
        best_total=table.year_total(best).total,
    )


def medals_by_year(table) -> BarChart | None:
    years = table.years
    if not years:
        return None
    top = max(table.year_total(y).total for y in years) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(years)
    bars = []
    for index, year in enumerate(years):
        tally = table.year_total(year)
        bar = Bar(x=LEFT + slot * index + slot * 0.15, width=slot * 0.7, label=str(year))
        y = float(HEIGHT - BOTTOM)
        # One whole sentence per medal for the translators (not "year: count" + "gold").
        for css, count, label in (
            ("chart-gold", tally.gold, _("%(year)d: %(count)d gold", year=year, count=tally.gold)),
            (
                "chart-silver",
                tally.silver,
                _("%(year)d: %(count)d silver", year=year, count=tally.silver),
            ),
            (
                "chart-bronze",
                tally.bronze,
                _("%(year)d: %(count)d bronze", year=year, count=tally.bronze),
            ),
        ):
            if count:
                h = plot_h * count / top
                y -= h
                bar.parts.append((css, y, h, label))
        bars.append(bar)
    return BarChart(
        title=_("Medals by year"), summary=summary_text(table), bars=bars, top_value=top
    )
