"""Activities of a home (weekly series): the activity page with its sessions by month, the
sentence describing its rule, adding and editing a series (with clash warnings)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import flash, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from app.core import charts, clock, editing, notify, params
from app.core.auth import get_or_404, public
from app.core.security import form_page
from app.core.templating import fmt_date
from app.extensions import db
from app.homes import access, bp, merge, queries, recurrence, series, services
from app.homes.forms import WEEKDAY_LABELS, ActivityForm
from app.homes.models import Activity, Home
from app.homes.views._common import load_activity, manage_or_404, may_see_reasons, venue_names
from app.people.models import Person
from app.venues.queries import venue_choices

SCHEDULE_WEEKS_AHEAD = 8
SCHEDULE_WEEKS_BACK = 4


def _leader_choices(home: Home) -> list[tuple[str, str]]:
    """People who may lead: the home's staff who have a person record. A current leader who
    is no longer one of them is not offered (the service refuses them too)."""
    ids = services.leader_person_ids(home.id)
    if not ids:
        return []
    people = db.session.execute(
        sa.select(Person.id, Person.name).where(Person.id.in_(ids)).order_by(Person.name_pinyin)
    )
    return [(str(pid), name) for pid, name in people]


@bp.route("/activities/<int:activity_id>")
@public
def activity(activity_id: int):
    activity = load_activity(activity_id)
    manage = access.can_manage(activity.home_id) if current_user.is_authenticated else False
    now = clock.now()
    today = clock.today()
    start, _end = recurrence.local_week_window(today - timedelta(weeks=SCHEDULE_WEEKS_BACK))
    _start, end = recurrence.local_week_window(today + timedelta(weeks=SCHEDULE_WEEKS_AHEAD))
    exceptions = queries.exceptions_of(activity.id)
    months = _series_months(activity)
    month = params.month(request.args.get("month"))
    if month not in months:
        month = None
    if month is not None:
        # One chosen month of the series (sessions beyond the eight weeks; issue 19 item 16).
        start, end = recurrence.local_day_window(month, _month_end(month))
    occs = recurrence.occurrences(activity, start, end, exceptions)
    following = None
    if month is None and not any(o.end >= now for o in occs):
        following = recurrence.next_rule_start(activity.starts_at, activity.rrule, now)
    later = None
    if month is None and activity.series_end_at > end:
        later = _month_of(clock.local_date(end))
    index = months.index(month) if month is not None else None
    parts = recurrence.parse_rrule(activity.rrule)
    return render_template(
        "homes/activity.html",
        activity=activity,
        manage=manage,
        show_reasons=may_see_reasons(activity, manage),
        occurrences=occs,
        upcoming=occs if month is not None else [o for o in occs if o.end >= now],
        past=[] if month is not None else [o for o in occs if o.end < now][-10:],
        month=month,
        months=months,
        # The month the list shows selected: the chosen one, else this month (or the series'
        # next month), not the series' first month.
        selected_month=month
        or next((m for m in months if m >= _month_of(today)), months[-1] if months else None),
        previous_month=months[index - 1] if index else None,
        next_month=months[index + 1] if index is not None and index + 1 < len(months) else None,
        following=following,
        later=later,
        exceptions=[
            e
            for e in exceptions
            if recurrence.is_rule_start(activity.starts_at, activity.rrule, e.original_start)
        ],
        venues=venue_names([o.venue_id for o in occs] + [activity.venue_id]),
        rule=parts,
        rule_text=rule_sentence(activity),
        continued_by=queries.continuation_of(activity.id),
        clashes=services.clashing_sessions(activity, now) if manage else [],
    )


def _month_of(day: date) -> date:
    return date(day.year, day.month, 1)


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _series_months(activity: Activity) -> list[date]:
    """The months the series has sessions in, first to last (a series lasts three years at
    most, so a few dozen)."""
    month = _month_of(clock.local_date(activity.starts_at))
    last = _month_of(clock.local_date(activity.series_end_at))
    months = []
    while month <= last and len(months) < 12 * 12:
        months.append(month)
        month = _month_of(_month_end(month) + timedelta(days=1))
    return months


def rule_sentence(activity: Activity) -> str:
    parts = recurrence.parse_rrule(activity.rrule)
    days = charts.spoken_list([str(WEEKDAY_LABELS[d]) for d in parts.weekdays])
    start = activity.dtstart_local
    end = start + activity.duration
    if parts.interval == 1:
        text = _(
            "Every week on %(days)s, %(start)s–%(end)s, from %(first)s",
            days=days,
            start=start.strftime("%H:%M"),
            end=end.strftime("%H:%M"),
            first=format_date(start.date()),
        )
    else:
        text = _(
            "Every %(n)d weeks on %(days)s, %(start)s–%(end)s, from %(first)s",
            n=parts.interval,
            days=days,
            start=start.strftime("%H:%M"),
            end=end.strftime("%H:%M"),
            first=format_date(start.date()),
        )
    if parts.until_on:
        return text + " " + _("until %(last)s.", last=format_date(parts.until_on))
    return text + " " + _("for %(count)d sessions.", count=parts.count)


def _activity_form(
    home: Home, *args, current_venue=None, new: bool = False, **kwargs
) -> ActivityForm:
    form = ActivityForm(
        *args,
        venues=venue_choices(current_venue),
        leaders=_leader_choices(home),
        **kwargs,
    )
    if new:
        del form.change_from  # a new series starts on its first day
    return form


@form_page(bp, "/<int:home_id>/activities/new", "home_staff")
def create_activity(home_id: int):
    home = get_or_404(Home, home_id)
    manage_or_404(home_id)
    today = clock.today()
    form = editing.new_form(
        _activity_form,
        {
            "first_day": today,
            "interval": 1,
            "ends": "until",
            "until_on": date(today.year, 12, 31)
            if today.month < 10
            else date(today.year + 1, 6, 30),
            "is_public": True,
        },
        home=home,
        new=True,
    )

    def added(activity) -> str:
        _flash_clashes(activity)  # after the "added" message
        return url_for("homes.activity", activity_id=activity.id)

    response = editing.save(
        form,
        lambda: services.create_activity(home, form.service_values(), form.schedule()),
        flash_message=_("The activity has been added. Its sessions are listed below."),
        redirect_to=added,
    )
    return response or _render_activity_form(form, home, None)


@form_page(bp, "/activities/<int:activity_id>/edit", "home_staff")
def edit_activity(activity_id: int):
    activity = load_activity(activity_id, manage=True)
    home = activity.home
    if request.method == "GET":
        data = ActivityForm.data_from(activity)
        data["change_from"] = series.default_change_from(activity, clock.now())
        form = _activity_form(home, data=data, current_venue=activity.venue_id)
        notify.offer(form, "activity", activity_id)
        merge.remember(form, "activity", activity_id)
        return _render_activity_form(form, home, activity)
    form = _activity_form(home, current_venue=activity.venue_id)
    notify.offer(form, "activity", activity_id)

    def saved_form():
        current = get_or_404(Activity, activity_id)
        data = ActivityForm.data_from(current)
        data["change_from"] = form.change_from.data  # not a value of the record
        return _activity_form(home, formdata=None, data=data, current_venue=current.venue_id)

    def done(saved: Activity) -> str:
        _flash_clashes(saved)
        return url_for("homes.activity", activity_id=saved.id)

    response = editing.save(
        form,
        lambda: services.update_activity(
            activity,
            form.version.data,
            form.service_values(),
            form.schedule(),
            form.change_from.data,
            request.form.get("drop_lapsed"),
        ),
        saved_form=saved_form,
        flash_message=lambda saved: (
            _("Your changes to the activity have been saved.")
            if saved.id == activity_id
            else _(
                "The activity has been saved. The new days and times apply from %(day)s; earlier "
                "sessions keep theirs.",
                day=fmt_date(saved.dtstart_local.date()),
            )
        ),
        redirect_to=done,
    )
    if response is not None:
        return response
    if form.status_code == 409:
        form.taken_over = merge.take_over(form, saved_form(), "activity", activity_id)
    return _render_activity_form(form, home, activity)


def _flash_clashes(activity: Activity) -> None:
    """A warning (not a block) when coming sessions overlap other bookings of the venue or
    the leader; the activity page lists them."""
    pairs = services.clashing_sessions(activity, clock.now())
    if pairs:
        flash(
            ngettext(
                "%(num)d coming session overlaps another booking of the venue or the leader: "
                "see the list below.",
                "%(num)d coming sessions overlap other bookings of the venue or the leader: "
                "see the list below.",
                len({occ.original_start for occ, _booking in pairs}),
            ),
            "warning",
        )


def _render_activity_form(form, home, activity):
    lapsing = getattr(form.domain_error, "lapsing", None)
    return editing.render(
        "homes/activity_form.html",
        form,
        home=home,
        activity=activity,
        lapsing=lapsing,
        lapsing_token=getattr(form.domain_error, "token", None),
        venues=venue_names([e.new_venue_id for e in lapsing or ()]),
    )
