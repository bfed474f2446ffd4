"""Statistics of performances held (status done) in a period, from grouped SQL: totals and
the same four measures by setting, by town (of the venue), by programme and by month."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from app.core import charts
from app.core.reference import Town
from app.core.templating import fmt_month
from app.extensions import db
from app.performances.enums import PerformanceStatus, Setting
from app.performances.models import Performance, Programme
from app.venues.models import Venue


@dataclass
class Row:
    key: object
    label: str
    performances: int = 0
    beneficiaries: int = 0
    audience: int = 0
    audience_disabled: int = 0
    name: str = ""  # a town's Chinese name (the API's key)


@dataclass
class Statistics:
    date_from: date
    date_to: date
    totals: Row
    by_setting: list[Row] = field(default_factory=list)
    by_town: list[Row] = field(default_factory=list)
    by_programme: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)


MEASURES = (
    sa.func.count(Performance.id),
    sa.func.coalesce(sa.func.sum(Performance.beneficiaries), 0),
    sa.func.coalesce(sa.func.sum(Performance.audience), 0),
    sa.func.coalesce(sa.func.sum(Performance.audience_disabled), 0),
)


def _held(query, date_from: date, date_to: date):
    return query.where(
        Performance.status == PerformanceStatus.DONE,
        Performance.held_on >= date_from,
        Performance.held_on <= date_to,
    )


def _row(key, label, counts) -> Row:
    return Row(key, label, *(int(c or 0) for c in counts))


def statistics(date_from: date, date_to: date) -> Statistics:
    """Five grouped queries, whatever the number of performances."""
    totals = db.session.execute(_held(sa.select(*MEASURES), date_from, date_to)).one()
    stats = Statistics(date_from, date_to, _row(None, "", totals))
    order = list(Setting)
    for setting, *counts in sorted(
        db.session.execute(
            _held(sa.select(Performance.setting, *MEASURES), date_from, date_to).group_by(
                Performance.setting
            )
        ),
        key=lambda r: order.index(r[0]),
    ):
        stats.by_setting.append(_row(setting, str(setting.label), counts))
    english = str(get_locale() or "") == "en"
    for town_id, name, name_en, *counts in db.session.execute(
        _held(
            sa.select(Town.id, Town.name, Town.name_en, *MEASURES)
            .join(Venue, Venue.id == Performance.venue_id)
            .join(Town, Town.id == Venue.town_id),
            date_from,
            date_to,
        )
        .group_by(Town.id, Town.name, Town.name_en, Town.sort_order)
        .order_by(Town.sort_order, Town.id)
    ):
        row = _row(town_id, name_en if english else name, counts)
        row.name = name
        stats.by_town.append(row)
    for programme_id, name, *counts in db.session.execute(
        _held(
            sa.select(Programme.id, Programme.name, *MEASURES).join(
                Programme, Programme.id == Performance.programme_id
            ),
            date_from,
            date_to,
        )
        .group_by(Programme.id, Programme.name)
        .order_by(Programme.name)
    ):
        stats.by_programme.append(_row(programme_id, name, counts))
    year = sa.extract("year", Performance.held_on)
    month = sa.extract("month", Performance.held_on)
    for y, m, *counts in db.session.execute(
        _held(sa.select(year, month, *MEASURES), date_from, date_to)
        .group_by(year, month)
        .order_by(year, month)
    ):
        key = f"{int(y):04d}-{int(m):02d}"
        stats.by_month.append(_row(key, key, counts))
    return stats


def chart_items(rows: list[Row], measure: str) -> list[charts.Item]:
    """The bars of a chart of ``rows`` for ``measure`` ("performances" or "beneficiaries")."""
    return [charts.Item(row.label, getattr(row, measure)) for row in rows]


def _month_name(item: charts.Item) -> str:
    year, month = item.label.split("-")
    return fmt_month(date(int(year), int(month), 1))


# (group, measure) -> the sentence about the largest value: f(labels, count as written, count).
MOST = {
    ("setting", "beneficiaries"): lambda label, count, n: _(
        "The setting with the most beneficiaries: %(label)s, %(count)s person-times.",
        label=label,
        count=count,
    ),
    ("town", "beneficiaries"): lambda label, count, n: _(
        "The town with the most beneficiaries: %(label)s, %(count)s person-times.",
        label=label,
        count=count,
    ),
    ("programme", "beneficiaries"): lambda label, count, n: _(
        "The programme with the most beneficiaries: %(label)s, %(count)s person-times.",
        label=label,
        count=count,
    ),
    ("programme", "performances"): lambda label, count, n: ngettext(
        "The programme with the most performances held: %(label)s, %(count)s performance.",
        "The programme with the most performances held: %(label)s, %(count)s performances.",
        n,
        label=label,
        count=count,
    ),
    ("month", "performances"): lambda label, count, n: _(
        "Most performances in one month: %(count)s, in %(label)s.", label=label, count=count
    ),
}


def most_sentence(group: str, measure: str, rows: list[Row], number=str) -> str:
    """The largest value of ``rows`` (grouped by ``group``) for ``measure`` in one sentence,
    naming every group that has it (months by name); "" when nothing was counted. ``number``
    writes the count (the term report groups digits its own way)."""
    sentence = MOST[(group, measure)]
    return charts.most(
        chart_items(rows, measure),
        lambda label, value: sentence(label, number(value), value),
        name=_month_name if group == "month" else (lambda item: item.label),
    )
