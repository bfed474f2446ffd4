"""Statistics of the homes for a period, from grouped SQL (a fixed number of queries,
whatever the number of members or attendance rows).

- homes open: homes opened on or before the period's last day and not archived before its
  first day; towns covered: their distinct towns.
- members served: distinct people with a membership overlapping the period (joined on or
  before its last day, not left before its first day), also by service.
- attendance person-times: "present" marks of occurrences planned in the period (by the
  occurrence's original start, in the federation's zone), by activity kind, by month, by home,
  added up from the per-day aggregates (``AttendanceDay``, app/homes/aggregates.py).
"""

from __future__ import annotations

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
class PeriodStats:
    first: date
    last: date
    homes: int = 0
    towns_covered: int = 0
    towns_total: int = 0
    members: int = 0
    by_service: list[tuple[Service, int]] = field(default_factory=list)
    attendance: int = 0
    # Roll-call marks of any status in the period: 0 means no roll-call was taken at all,
    # which the report says in words instead of "0 person-times".
    recorded: int = 0
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


def _month(day_column):
    """A local date column's month as YYYY-MM."""
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.to_char(day_column, "YYYY-MM")
    return sa.func.strftime("%Y-%m", day_column)


def members_served(first: date, last: date) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Membership.person_id))).where(_overlapping(first, last))
    )


def period_stats(first: date, last: date) -> PeriodStats:
    # Any well-formed dates are accepted (the API's from=0001-01-01 or to=9999-12-31): the
    # instant windows are clamped by recurrence.local_day_window.
    stats = PeriodStats(first, last)
    stats.homes, stats.towns_covered = db.session.execute(
        sa.select(sa.func.count(Home.id), sa.func.count(sa.distinct(Home.town_id))).where(
            _open_homes(first, last)
        )
    ).one()
    stats.towns_total = db.session.scalar(sa.select(sa.func.count(Town.id)))
    stats.members = members_served(first, last)
    by_service = dict(
        db.session.execute(
            sa.select(MembershipService.service, sa.func.count(sa.distinct(Membership.person_id)))
            .join(Membership, Membership.id == MembershipService.membership_id)
            .where(_overlapping(first, last))
            .group_by(MembershipService.service)
        ).all()
    )
    stats.by_service = [(s, by_service.get(s, 0)) for s in Service]
    # Person-times from the per-day aggregates (app/homes/aggregates.py): rows per activity
    # and day, not per mark, so the cost does not grow with the number of members.
    in_period = AttendanceDay.day.between(first, last)
    marked = db.session.execute(
        sa.select(
            Activity.kind,
            sa.func.coalesce(sa.func.sum(AttendanceDay.present), 0),
            sa.func.coalesce(sa.func.sum(AttendanceDay.recorded), 0),
        )
        .join(Activity, Activity.id == AttendanceDay.activity_id)
        .where(in_period)
        .group_by(Activity.kind)
    ).all()
    by_kind = {kind: int(present_count) for kind, present_count, _all in marked if present_count}
    stats.by_kind = [(k, by_kind.get(k, 0)) for k in ActivityKind]
    stats.attendance = sum(by_kind.values())
    stats.recorded = sum(int(all_count) for _kind, _present, all_count in marked)
    month = _month(AttendanceDay.day).label("month")
    present_sum = sa.func.sum(AttendanceDay.present)
    stats.by_month = [
        (m, int(c))
        for m, c in db.session.execute(
            sa.select(month, present_sum)
            .where(in_period)
            .group_by(month)
            .having(present_sum > 0)
            .order_by(month)
        )
    ]
    members_by_home = dict(
        db.session.execute(
            sa.select(Membership.home_id, sa.func.count(sa.distinct(Membership.person_id)))
            .where(_overlapping(first, last))
            .group_by(Membership.home_id)
        ).all()
    )
    attendance_by_home = {
        home_id: int(count)
        for home_id, count in db.session.execute(
            sa.select(Activity.home_id, sa.func.sum(AttendanceDay.present))
            .join(Activity, Activity.id == AttendanceDay.activity_id)
            .where(in_period)
            .group_by(Activity.home_id)
        )
    }
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
