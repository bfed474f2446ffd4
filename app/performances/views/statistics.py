"""Performance statistics (public): held performances, beneficiaries and audience by setting,
town, programme and month, as charts with their tables, and their CSV / .xlsx download."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.core import audit, charts, params
from app.core.auth import public
from app.core.exports import send_table
from app.extensions import db
from app.performances import bp, stats


def statistics_sections(result: stats.Statistics) -> list[tuple]:
    """(key, heading, chart with its table) for each grouping; no chart when nothing was
    held. The bars show one measure; the table all four."""
    t = result.totals
    header = [
        _("Performances held"),
        _("Beneficiaries (person-times)"),
        _("Audience"),
        _("Of which people with disabilities"),
    ]
    sections = []
    for key, heading, rows, measure, title, intro in (
        (
            "setting",
            _("By setting"),
            result.by_setting,
            "beneficiaries",
            _("Beneficiaries (person-times) by setting"),
            _("Beneficiaries of performances held, by setting; the numbers are in the table."),
        ),
        (
            "town",
            _("By town"),
            result.by_town,
            "beneficiaries",
            _("Beneficiaries (person-times) by town"),
            _("Beneficiaries of performances held, by town; the numbers are in the table."),
        ),
        (
            "programme",
            _("By programme"),
            result.by_programme,
            "performances",
            _("Performances held by programme"),
            _("Performances held, by programme; the numbers are in the table."),
        ),
        (
            "month",
            _("By month"),
            result.by_month,
            "performances",
            _("Performances held by month"),
            _("Performances held, by month; the numbers are in the table."),
        ),
    ):
        table = charts.Table(
            id=f"table-{key}",
            caption=_("Performances held: %(group)s", group=heading),
            header=[heading, *header],
            rows=[
                [r.label, r.performances, r.beneficiaries, r.audience, r.audience_disabled]
                for r in rows
            ],
            total=[_("Total"), t.performances, t.beneficiaries, t.audience, t.audience_disabled],
        )
        summary = charts.sentences(intro, stats.most_sentence(key, measure, rows))
        chart = charts.hbars(
            f"chart-{key}", title, summary, stats.chart_items(rows, measure), table=table
        )
        sections.append((key, heading, chart))
    return sections


@bp.get("/statistics")
@public
def statistics():
    span = params.statistics_period(request.args)
    result = stats.statistics(span.first, span.last)
    sections = statistics_sections(result)
    return (
        render_template(
            "performances/statistics.html",
            result=result,
            sections=sections,
            period=span,
            errors=span.errors,
            page_has_errors=bool(span.errors),
        ),
        422 if span.errors else 200,
    )


def statistics_rows(result: stats.Statistics) -> list[list]:
    header = [
        _("Group"),
        # What the group's row is: a setting, town, programme or month (never a person).
        _("Setting, town, programme or month"),
        _("Performances held"),
        _("Beneficiaries (person-times)"),
        _("Audience"),
        _("Of which people with disabilities"),
    ]
    rows = [header]
    t = result.totals
    rows.append([_("Total"), "", t.performances, t.beneficiaries, t.audience, t.audience_disabled])
    for group, items in (
        (_("Setting"), result.by_setting),
        (_("Town"), result.by_town),
        (_("Programme"), result.by_programme),
        (_("Month"), result.by_month),
    ):
        for r in items:
            rows.append(
                [group, r.label, r.performances, r.beneficiaries, r.audience, r.audience_disabled]
            )
    return rows


@bp.get("/statistics.<any(csv, xlsx):fmt>")
@public
def statistics_export(fmt: str):
    span = params.statistics_period(request.args)
    if not span.ok:
        abort(400)
    date_from, date_to = span.first, span.last
    rows = statistics_rows(stats.statistics(date_from, date_to))
    if current_user.is_authenticated:
        audit.record(
            "export",
            "performance_statistics",
            None,
            [],
            details={"format": fmt, "from": date_from.isoformat(), "to": date_to.isoformat()},
        )
        db.session.commit()
    name = f"performances-{date_from.isoformat()}-{date_to.isoformat()}"
    return send_table(rows, fmt, name, _("Performances"))
