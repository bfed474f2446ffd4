"""Statistics of the homes for a period, from grouped SQL (a fixed number of queries,
whatever the number of members or attendance rows): ``period_stats`` with the breakdowns by
service, kind, month and home (seven statements), ``period_totals`` the totals alone (four).

- homes open: homes opened on or before the period's last day and not archived before its
  first day; towns covered: their distinct towns.
- members served: distinct people with a membership overlapping the period (joined on or
  before its last day, not left before its first day), also by service.
- attendance person-times: "present" marks of occurrences planned in the period (by the
  occurrence's original start, in the federation's zone), by activity kind, by month, by home,
  added up from the per-day aggregates (``AttendanceDay``, app/homes/aggregates.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from app.core.reference import Town
from app.extensions import db
from app.homes import recurrence
from app.homes.enums import ActivityKind, Service
from app.homes.models import Activity, AttendanceDay, Home, Membership, MembershipService


@dataclass
class HomeFigures:
    home_id: int
    name: str
    town: str
    members: int
    attendance: int


@dataclass
class PeriodTotals:
    """The period's headline figures (the public report's): what ``period_totals`` answers in
    four statements."""

    first: date
    last: date
    homes: int = 0
    towns_covered: int = 0
    towns_total: int = 0
    members: int = 0
    attendance: int = 0
    # Roll-call marks of any status in the period: 0 means no roll-call was taken at all,
    # which the report says in words instead of "0 person-times".
    recorded: int = 0


@dataclass
class PeriodStats(PeriodTotals):
    """The totals and their breakdowns (the statistics page, the homes API, the term report)."""

    by_service: list[tuple[Service, int]] = field(default_factory=list)
    by_kind: list[tuple[ActivityKind, int]] = field(default_factory=list)
    by_month: list[tuple[str, int]] = field(default_factory=list)
    by_home: list[HomeFigures] = field(default_factory=list)


def _overlapping(first: date, last: date):
    return sa.and_(
        Membership.joined_on <= last,
        sa.or_(Membership.left_on.is_(None), Membership.left_on >= first),
    )


def _open_homes(first: date, last: date):
    start, _end = recurrence.local_day_window(first)
    return sa.and_(
        Home.opened_on <= last,
        sa.or_(Home.is_archived.is_(False), Home.archived_at >= start),
    )


def _months(day_column) -> tuple[sa.ColumnElement, Callable[[sa.ColumnElement], sa.ColumnElement]]:
    """A local date column's month to group by, and how to show a grouped month as YYYY-MM.
    On PostgreSQL the grouping is by date_trunc and only the grouped months are formatted:
    to_char on every per-day row cost a third of the statement (docs/benchmarks.md)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.date_trunc(
            "month", sa.cast(day_column, sa.DateTime)
        ), lambda month: sa.func.to_char(month, "YYYY-MM")
    return sa.func.strftime("%Y-%m", day_column), lambda month: month


def _coverage(figures: PeriodTotals) -> None:
    first, last = figures.first, figures.last
    figures.homes, figures.towns_covered = db.session.execute(
        sa.select(sa.func.count(Home.id), sa.func.count(sa.distinct(Home.town_id))).where(
            _open_homes(first, last)
        )
    ).one()
    figures.towns_total = db.session.scalar(sa.select(sa.func.count(Town.id)))
    figures.members = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Membership.person_id))).where(_overlapping(first, last))
    )


def period_totals(first: date, last: date) -> PeriodTotals:
    """Homes open, towns covered, members served and person-times: four statements."""
    totals = PeriodTotals(first, last)
    _coverage(totals)
    present, recorded = db.session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(AttendanceDay.present), 0),
            sa.func.coalesce(sa.func.sum(AttendanceDay.recorded), 0),
        ).where(AttendanceDay.day.between(first, last))
    ).one()
    totals.attendance, totals.recorded = int(present), int(recorded)
    return totals


def _attendance(stats: PeriodStats) -> dict[int, int]:
    """Person-times by kind, by home and by month from the per-day aggregates
    (app/homes/aggregates.py: rows per activity and day, not per mark): one statement, the
    period's rows grouped by activity and, apart, by month; the activities' kind and home
    joined to the (few hundred) grouped rows, not to every per-day row."""
    in_period = AttendanceDay.day.between(stats.first, stats.last)
    month_key, month_text = _months(AttendanceDay.day)
    present, recorded = sa.func.sum(AttendanceDay.present), sa.func.sum(AttendanceDay.recorded)
    grouped = sa.union_all(
        sa.select(
            AttendanceDay.activity_id.label("activity_id"),
            sa.null().label("month"),
            present.label("present"),
            recorded.label("recorded"),
        )
        .where(in_period)
        .group_by(AttendanceDay.activity_id),
        sa.select(sa.null(), month_key, present, recorded).where(in_period).group_by(month_key),
    ).subquery()
    by_kind: dict[ActivityKind, int] = {}
    by_home: dict[int, int] = {}
    by_month: list[tuple[str, int]] = []
    for month, kind, home_id, present_count, all_count in db.session.execute(
        sa.select(
            month_text(grouped.c.month),
            Activity.kind,
            Activity.home_id,
            grouped.c.present,
            grouped.c.recorded,
        ).outerjoin(Activity, Activity.id == grouped.c.activity_id)
    ):
        if month is not None:
            if present_count:
                by_month.append((month, int(present_count)))
        elif kind is not None:
            by_kind[kind] = by_kind.get(kind, 0) + int(present_count)
            by_home[home_id] = by_home.get(home_id, 0) + int(present_count)
            stats.recorded += int(all_count)
    stats.by_kind = [(k, by_kind.get(k, 0)) for k in ActivityKind]
    stats.attendance = sum(by_kind.values())
    stats.by_month = sorted(by_month)
    return by_home


def period_stats(first: date, last: date) -> PeriodStats:
    # Any well-formed dates are accepted (the API's from=0001-01-01 or to=9999-12-31): the
    # instant windows are clamped by recurrence.local_day_window.
    stats = PeriodStats(first, last)
    _coverage(stats)
    by_service = dict(
        db.session.execute(
            sa.select(MembershipService.service, sa.func.count(sa.distinct(Membership.person_id)))
            .join(Membership, Membership.id == MembershipService.membership_id)
            .where(_overlapping(first, last))
            .group_by(MembershipService.service)
        ).all()
    )
    stats.by_service = [(s, by_service.get(s, 0)) for s in Service]
    attendance_by_home = _attendance(stats)
    members_by_home = dict(
        db.session.execute(
            sa.select(Membership.home_id, sa.func.count(sa.distinct(Membership.person_id)))
            .where(_overlapping(first, last))
            .group_by(Membership.home_id)
        ).all()
    )
    for home_id, name, town in db.session.execute(
        sa.select(Home.id, Home.name, Town)
        .join(Town, Town.id == Home.town_id)
        .where(_open_homes(first, last))
        .order_by(Town.sort_order, Home.name)
    ):
        stats.by_home.append(
            HomeFigures(
                home_id,
                name,
                town.display_name,
                members_by_home.get(home_id, 0),
                attendance_by_home.get(home_id, 0),
            )
        )
    return stats
