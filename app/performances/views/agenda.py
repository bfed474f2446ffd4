"""The agenda (by date, or a month table) with its filters, and each performance's page.

Permissions are in rules.py: staff see every performance; performers and their caregivers see
their own bookings; the public sees public confirmed or done performances, names only with
consent."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from itertools import groupby

from flask import abort, render_template, request
from flask_login import current_user

from app.core import clock, params
from app.core.auth import public
from app.core.reference import town_choices
from app.core.security import mark_personal
from app.extensions import db
from app.performances import bp, queries, rules, services
from app.performances.enums import PerformanceStatus, Setting
from app.performances.forms import PhotoForm
from app.performances.views._common import enum_arg, int_arg, viewer_people
from app.replies import pages as reply_pages

# Agenda ------------------------------------------------------------------------------------


# The month view's range: the months before and after stay valid dates.
FIRST_MONTH, LAST_MONTH = date(1900, 1, 1), date(2100, 12, 1)


def _month_arg() -> date:
    """``?month=YYYY-MM`` clamped to 1900-01..2100-12; anything else is this month."""
    text = request.args.get("month", "")
    try:
        if not text.isascii() or len(text) > 7:
            raise ValueError
        year, month = (int(part) for part in text.split("-"))
        first = date(year, month, 1)
    except ValueError:
        today = clock.today()
        return date(today.year, today.month, 1)
    return min(max(first, FIRST_MONTH), LAST_MONTH)


def _month_weeks(first: date) -> list[list[date | None]]:
    return [
        [day if day.month == first.month else None for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]


@bp.get("/")
@public
def index():
    view = "month" if request.args.get("view") == "month" else "agenda"
    # The month view has no from/to fields: its month decides.
    span = params.Period(None, None) if view == "month" else params.period(request.args)
    staff = rules.is_staff(current_user)
    filters = queries.AgendaFilters(
        programme_id=int_arg("programme"),
        troupe_id=int_arg("troupe") if staff else None,
        venue_id=int_arg("venue"),
        town_id=int_arg("town"),
        setting=enum_arg("setting", Setting),
        status=enum_arg("status", PerformanceStatus),
        date_from=span.first,
        date_to=span.last,
        organiser_id=current_user.id if staff and request.args.get("mine") == "1" else None,
    )
    month = None
    if view == "month":
        month = _month_arg()
        filters.date_from = month
        filters.date_to = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    elif filters.date_from is None and filters.date_to is None:
        filters.date_from = clock.today()
    own = viewer_people()
    performances, more = queries.agenda(filters, current_user, own)
    if staff or own:
        mark_personal()
    days = [(day, list(items)) for day, items in groupby(performances, key=lambda p: p.held_on)]
    by_day = dict(days)
    context = {
        "view": view,
        "days": days,
        "by_day": by_day,
        "more": more,
        "filters": filters,
        "args": request.args,
        "errors": span.errors,
        "period": span,
        "staff": staff,
        "programmes": queries.programmes(),
        "troupes": queries.troupes() if staff else [],
        "venues": queries.venues(),
        "towns": town_choices(db.session),
        "settings": list(Setting),
        "statuses": list(PerformanceStatus),
        "month": month,
        "weeks": _month_weeks(month) if month else [],
        "can_create": rules.can_create_programme(current_user),
        "page_has_errors": bool(span.errors),
    }
    if month:
        prev_month = (month - timedelta(days=1)).replace(day=1)
        next_month = (month + timedelta(days=32)).replace(day=1)
        context.update(prev_month=prev_month, next_month=next_month)
    return render_template("performances/index.html", **context), 422 if span.errors else 200


@bp.get("/<int:performance_id>")
@public
def detail(performance_id: int, photo_form=None, status: int = 200):
    performance = queries.performance_for_page(performance_id)
    own = viewer_people()
    if performance is None or not rules.can_view(current_user, performance, own):
        abort(404)
    staff = rules.is_staff(current_user)
    booked = bool(own & performance.person_ids)
    if staff or booked:
        mark_personal()
    manages = rules.can_manage_performance(current_user, performance)
    photo_form = photo_form or (PhotoForm() if manages else None)
    return (
        render_template(
            "performances/detail.html",
            performance=performance,
            staff=staff,
            manages=manages,
            shows_photos=staff or booked,
            # Free text (reasons, the after-show report, notes) may name people: only those
            # who manage the performance and the people booked (and their caregivers).
            shows_free_text=manages or booked,
            now=clock.now(),
            shows_name=lambda person: rules.shows_name(current_user, person, own),
            warnings=services.performance_warnings(performance) if staff or manages else [],
            photo_form=photo_form,
            page_has_errors=bool(photo_form is not None and photo_form.has_errors),
            reply_panel=reply_pages.panel("performance", performance.id, performance.starts_at),
            reply_tally=_reply_tally(performance) if staff else None,
        ),
        status,
    )


def _reply_tally(performance):
    """Who answered, for the staff: none for a cancelled show (nobody is expected), nor for
    one that has ended with no answer at all (a show from before answers existed)."""
    if performance.status == PerformanceStatus.CANCELLED:
        return None
    found = reply_pages.tally(
        "performance", performance.id, performance.starts_at, performance.person_ids
    )
    if performance.ends_at <= clock.now() and not (found.coming or found.not_coming):
        return None
    return found
