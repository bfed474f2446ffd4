"""Homes statistics (public): coverage, members served and person-times in a period, as
charts with their tables, or downloaded as CSV / .xlsx (?format=)."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.core import audit, charts, params
from app.core.auth import public
from app.core.exports import FORMATS, send_table
from app.extensions import db
from app.homes import bp, stats


@bp.route("/statistics")
@public
def statistics():
    span = params.statistics_period(request.args)
    first, last = span.first, span.last
    figures = stats.period_stats(first, last)
    export = request.args.get("format")
    if export in FORMATS and span.ok:
        rows = _stats_rows(figures)
        if current_user.is_authenticated:
            audit.record("export", "home_statistics", None, details={"format": export})
            db.session.commit()
        name = f"homes-{first.isoformat()}-{last.isoformat()}"
        return send_table(rows, export, name, _("Sunshine homes"))
    person_times = _("%(total)d person-times in the period.", total=figures.attendance)
    # Kinds and services are numbered under their bars (the table gives each number's name).
    kind_chart = charts.bars(
        "kind-chart",
        _("Attendance person-times by kind of activity"),
        person_times,
        [charts.Item(str(k.label), v, str(i + 1)) for i, (k, v) in enumerate(figures.by_kind)],
    )
    month_chart = charts.bars(
        "month-chart",
        _("Attendance person-times by month"),
        person_times,
        [charts.Item(m, v, m[5:]) for m, v in figures.by_month[-24:]],
    )
    service_chart = charts.bars(
        "service-chart",
        _("Members served by service"),
        _("%(total)d members served in the period.", total=figures.members),
        [charts.Item(str(s.label), v, str(i + 1)) for i, (s, v) in enumerate(figures.by_service)],
    )
    return (
        render_template(
            "homes/statistics.html",
            figures=figures,
            period=span,
            kind_chart=kind_chart,
            month_chart=month_chart,
            service_chart=service_chart,
            page_has_errors=bool(span.errors),
        ),
        422 if span.errors else 200,
    )


def _stats_rows(figures) -> list[list]:
    rows = [
        [_("Measure"), _("Group"), _("Value")],
        [_("Period"), _("First day"), figures.first],
        [_("Period"), _("Last day"), figures.last],
        [_("Homes open"), "", figures.homes],
        [_("Towns covered"), "", figures.towns_covered],
        [_("Members served"), "", figures.members],
        [_("Attendance person-times"), "", figures.attendance],
    ]
    rows += [[_("Members by service"), str(s.label), v] for s, v in figures.by_service]
    rows += [[_("Person-times by kind of activity"), str(k.label), v] for k, v in figures.by_kind]
    rows += [[_("Person-times by month"), m, v] for m, v in figures.by_month]
    for home in figures.by_home:
        rows.append([_("Members by home"), home.name, home.members])
        rows.append([_("Person-times by home"), home.name, home.attendance])
    return rows
