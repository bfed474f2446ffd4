"""Sunshine homes: pages.

Public: the homes by town (coverage), a home's services and public activities, public
activity pages, the statistics. Home staff (their own homes) and admins (all): members,
activities and their exceptions, roll-call, the dashboard. Members and caregivers: their own
schedule and attendance (/homes/mine)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from itertools import cycle

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, format_datetime, format_time, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.enums import Role
from app.core import audit, charts, clock, confirm, editing, params
from app.core.auth import get_or_404, login_required, public, role_required
from app.core.errors import DomainError, EditConflict
from app.core.exports import FORMATS, send_table
from app.core.params import whole_number
from app.core.reference import town_choices
from app.core.security import form_view, mark_personal
from app.core.templating import fmt_date
from app.extensions import db
from app.homes import access, bp, merge, queries, recurrence, series, services, stats
from app.homes.enums import AbsenceReason, AttendanceStatus
from app.homes.forms import (
    WEEKDAY_LABELS,
    ActivityForm,
    CancelOccurrenceForm,
    EndMembershipForm,
    HomeForm,
    MembershipForm,
    MoveOccurrenceForm,
    listed_id,
)
from app.homes.models import Activity, Home, Membership
from app.people import lookup
from app.people.models import Person
from app.replies import pages as reply_pages
from app.venues.models import Venue
from app.venues.queries import venue_choices

SCHEDULE_WEEKS_AHEAD = 8
# One answer for every failed register look-up (app.people.lookup): it confirms nothing.
NO_SUCH_PERSON = _l("No person in the register has this number and date of birth.")
SCHEDULE_WEEKS_BACK = 4


# --- template helpers ---------------------------------------------------------------------


@bp.app_template_filter("homes_when")
def homes_when(occ) -> str:
    """ "Mon 2026-11-30 09:00–11:00" in the reader's language and Beijing time."""
    return "{} {}–{}".format(
        format_datetime(occ.start, "EEE yyyy-MM-dd"),
        format_time(occ.start, "HH:mm"),
        format_time(occ.end, "HH:mm"),
    )


@bp.app_template_filter("month_key")
def month_key(value) -> str:
    """The ``?month=`` value of a month (a date, or an instant read in Beijing time)."""
    if isinstance(value, datetime):
        value = clock.local_date(value)
    return f"{value.year:04d}-{value.month:02d}"


@bp.app_template_filter("homes_links")
def homes_links(homes) -> Markup:
    """Links to homes, listed as the reader's language does ("甲、乙和丙" / "A, B and C")."""
    links = [
        Markup('<a href="{}">{}</a>').format(url_for("homes.detail", home_id=h.id), h.name)
        for h in homes
    ]
    # The language's list pattern, laid out around numbered placeholders; its words are
    # escaped by join, the links are markup already.
    pattern = charts.spoken_list([f"\x00{n}\x00" for n in range(len(links))])
    parts = re.split("\x00(\\d+)\x00", pattern)
    return Markup("").join(
        links[int(part)] if odd else part for odd, part in zip(cycle((0, 1)), parts)
    )


@bp.app_template_filter("homes_day")
def homes_day(value) -> str:
    return format_datetime(value, "EEE yyyy-MM-dd HH:mm")


def _venue_names(ids) -> dict[int, Venue]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {v.id: v for v in db.session.scalars(sa.select(Venue).where(Venue.id.in_(ids)))}


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


def _manage_or_404(home_id: int) -> None:
    if not access.can_manage(home_id):
        abort(404)


def _member_of(home_id: int) -> bool:
    own = access.own_person_ids()
    if not own:
        return False
    return bool(
        db.session.scalar(
            sa.select(Membership.id).where(
                Membership.home_id == home_id,
                Membership.person_id.in_(own),
                Membership.left_on.is_(None),
            )
        )
    )


def _can_see_activity(activity: Activity) -> bool:
    if activity.is_archived and not access.can_manage(activity.home_id):
        return False
    return activity.is_public or access.can_manage(activity.home_id) or _member_of(activity.home_id)


def _may_see_reasons(activity: Activity, manage: bool) -> bool:
    """Why a session was cancelled or moved is free text that may be about a member: it is
    shown to the home's staff and admins, and to its members and their caregivers only."""
    return manage or _member_of(activity.home_id)


def _load_activity(activity_id: int, *, manage: bool = False) -> Activity:
    activity = get_or_404(Activity, activity_id)
    if manage:
        _manage_or_404(activity.home_id)
    elif not _can_see_activity(activity):
        abort(404)
    return activity


def _load_occurrence(activity: Activity, key: str):
    start = recurrence.parse_occurrence_key(key)
    occ = recurrence.occurrence_at(activity, start) if start else None
    if occ is None:
        if request.method == "POST" and not _csrf_ok():
            abort(400)  # a forged or expired POST is refused before anything is revealed
        abort(404)
    return occ


def _csrf_ok() -> bool:
    from flask_wtf.csrf import validate_csrf
    from wtforms.validators import ValidationError

    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return True
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


# --- homes --------------------------------------------------------------------------------


def _render(template: str, form, status: int | None = None, **context):
    """A form page: 422 when the form has errors (and the title says so), else 200."""
    if status is None:
        status = 422 if form.has_errors else 200
    return (
        render_template(template, form=form, page_has_errors=form.has_errors, **context),
        status,
    )


@bp.route("/")
@public
def index():
    rows, counts = queries.homes_by_town()
    covered = sum(1 for row in rows if row.homes)
    managed = access.managed_home_ids() if current_user.is_authenticated else set()
    return render_template(
        "homes/index.html",
        rows=rows,
        counts=counts,
        covered=covered,
        is_admin=current_user.is_authenticated and current_user.is_admin,
        is_staff=managed is None or bool(managed),
        has_own=bool(access.own_person_ids()),
    )


@bp.route("/<int:home_id>")
@public
def detail(home_id: int):
    home = get_or_404(Home, home_id)
    manage = access.can_manage(home_id) if current_user.is_authenticated else False
    if home.is_archived and not manage:
        abort(404)
    member = _member_of(home_id)
    today = clock.today()
    activities, occs = queries.week_occurrences(
        {home_id}, today, public_only=not (manage or member)
    )
    members = past = staff = []
    if manage:
        mark_personal()
        members = queries.active_memberships(home_id)
        past = queries.past_memberships(home_id)
        staff = queries.staff_of(home_id)
    return render_template(
        "homes/detail.html",
        home=home,
        manage=manage,
        service_counts=queries.home_service_counts(home_id),
        member_total=services.active_member_count(home_id),
        activities=activities,
        all_activities=queries.home_activities(home_id, public_only=not (manage or member)),
        occurrences=occs,
        show_reasons=manage or member,
        venues=_venue_names([o.venue_id for o in occs]),
        members=members,
        past=past,
        staff=staff,
        week_start=today - timedelta(days=today.weekday()),
        weekdays=WEEKDAY_LABELS,
    )


def _staff_choices():
    from app.accounts.models import User, UserRole

    users = db.session.scalars(
        sa.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.HOME_STAFF)
        .order_by(User.display_name)
    )
    return [(u.id, f"{u.display_name} ({u.username})") for u in users]


def _home_form(*args, current_venue=None, **kwargs) -> HomeForm:
    return HomeForm(
        *args,
        towns=town_choices(db.session),
        venues=venue_choices(current_venue),
        staff=_staff_choices(),
        **kwargs,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required("admin")
@form_view
def create_home():
    form = _home_form()
    if form.validate_on_submit():
        try:
            home = services.create_home(
                form.service_values(), form.services.data, form.staff.data or ()
            )
        except DomainError as error:
            db.session.rollback()
            form.add_error(error.field, error.message)
        else:
            db.session.commit()
            flash(_("The home has been added."), "success")
            return redirect(url_for("homes.detail", home_id=home.id), code=303)
    return _render_home_form(form, None)


@bp.route("/<int:home_id>/edit", methods=["GET", "POST"])
@role_required("admin")
@form_view
def edit_home(home_id: int):
    home = get_or_404(Home, home_id)
    if request.method == "GET":
        form = _home_form(data=HomeForm.data_from(home), current_venue=home.venue_id)
        merge.remember(form, "home", home_id)
        return _render_home_form(form, home)
    form = _home_form(current_venue=home.venue_id)

    def apply():
        services.update_home(home, form.version.data, form.service_values(), form.services.data)
        services.set_staff(home, form.staff.data or ())
        return home

    def saved_form():
        current = get_or_404(Home, home_id)
        return _home_form(
            formdata=None, data=HomeForm.data_from(current), current_venue=current.venue_id
        )

    response = editing.save(
        form,
        apply,
        saved_form=saved_form,
        flash_message=_("Your changes to the home have been saved."),
        redirect_to=url_for("homes.detail", home_id=home_id),
    )
    if response is not None:
        return response
    if form.status_code == 409:
        form.taken_over = merge.take_over(form, saved_form(), "home", home_id)
    return _render_home_form(form, home)


def _render_home_form(form, home):
    return editing.render("homes/home_form.html", form, home=home)


# --- members ------------------------------------------------------------------------------


@bp.route("/<int:home_id>/members/new", methods=["GET", "POST"])
@role_required("home_staff")
@form_view
def add_member(home_id: int):
    home = get_or_404(Home, home_id)
    _manage_or_404(home_id)
    form = MembershipForm()
    if request.method == "GET":
        form.joined_on.process(None, clock.today())
        form.services.data = [s.value for s in home.services][:1]

    def apply():
        person = lookup.find_person(
            request.form.get("person_number"),
            form.birth_on.data,
            actor=current_user,
            purpose="home_member",
            message=NO_SUCH_PERSON,
            field="person_number",
            refuse=lambda found: services.is_active_member(home.id, found.id),
        )
        return services.add_member(home, person.id, form.joined_on.data, form.services.data)

    def added(result) -> str:
        for warning in result[1]:
            flash(str(warning), "warning")
        return url_for("homes.detail", home_id=home_id) + "#members"

    response = editing.save(
        form, apply, flash_message=_("The member has been added."), redirect_to=added
    )
    if response is not None:
        return response
    return _render("homes/member_form.html", form, home=home)


@bp.route("/members/<int:membership_id>/end", methods=["GET", "POST"])
@role_required("home_staff")
@form_view
def end_member(membership_id: int):
    membership = get_or_404(Membership, membership_id)
    _manage_or_404(membership.home_id)
    mark_personal()
    form = EndMembershipForm()
    if request.method == "GET":
        form.left_on.process(None, clock.today())
        form.version.data = membership.version
    elif form.validate_on_submit():
        try:
            services.end_membership(
                membership,
                form.version.data,
                form.left_on.data,
                form.reason.data,
                form.note.data,
            )
        except (EditConflict, StaleDataError):
            # StaleDataError: another save of the membership between the version check and
            # the write (a racing second session), the same conflict (issue 13 item 10).
            db.session.rollback()
            form.version.data = db.session.get(Membership, membership_id).version
            form.add_error(
                None,
                _("Someone else changed this membership after you opened it. Check it again."),
            )
            return _render_end(form, membership, 409)
        except DomainError as error:
            db.session.rollback()
            form.add_error(error.field, error.message)
        else:
            db.session.commit()
            flash(_("The membership has ended."), "success")
            return redirect(
                url_for("homes.detail", home_id=membership.home_id) + "#members", code=303
            )
    return _render_end(form, membership)


@bp.route("/members/<int:membership_id>/contacted", methods=["POST"])
@role_required("home_staff")
def record_contact(membership_id: int):
    """An absence alert followed up: the staff reached the member or their caregiver."""
    membership = get_or_404(Membership, membership_id)
    _manage_or_404(membership.home_id)
    if not _csrf_ok():
        abort(400)
    services.record_contact(membership, current_user)
    db.session.commit()
    flash(_("The call has been recorded."), "success")
    return redirect(url_for("homes.dashboard") + "#alerts", code=303)


def _render_end(form, membership, status=None):
    return _render("homes/end_member.html", form, status, membership=membership)


# --- activities ---------------------------------------------------------------------------


@bp.route("/activities/<int:activity_id>")
@public
def activity(activity_id: int):
    activity = _load_activity(activity_id)
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
        show_reasons=_may_see_reasons(activity, manage),
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
        venues=_venue_names([o.venue_id for o in occs] + [activity.venue_id]),
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


@bp.route("/<int:home_id>/activities/new", methods=["GET", "POST"])
@role_required("home_staff")
@form_view
def create_activity(home_id: int):
    home = get_or_404(Home, home_id)
    _manage_or_404(home_id)
    if request.method == "GET":
        today = clock.today()
        form = _activity_form(
            home,
            new=True,
            data={
                "first_day": today,
                "interval": 1,
                "ends": "until",
                "until_on": date(today.year, 12, 31)
                if today.month < 10
                else date(today.year + 1, 6, 30),
                "is_public": True,
            },
        )
        return _render_activity_form(form, home, None)
    form = _activity_form(home, new=True)
    if form.validate_on_submit():
        try:
            activity = services.create_activity(home, form.service_values(), form.schedule())
        except DomainError as error:
            db.session.rollback()
            form.add_error(error.field, error.message)
        else:
            db.session.commit()
            flash(_("The activity has been added. Its sessions are listed below."), "success")
            _flash_clashes(activity)
            return redirect(url_for("homes.activity", activity_id=activity.id), code=303)
    return _render_activity_form(form, home, None)


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
@role_required("home_staff")
@form_view
def edit_activity(activity_id: int):
    activity = _load_activity(activity_id, manage=True)
    home = activity.home
    if request.method == "GET":
        data = ActivityForm.data_from(activity)
        data["change_from"] = series.default_change_from(activity, clock.now())
        form = _activity_form(home, data=data, current_venue=activity.venue_id)
        merge.remember(form, "activity", activity_id)
        return _render_activity_form(form, home, activity)
    form = _activity_form(home, current_venue=activity.venue_id)

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
        venues=_venue_names([e.new_venue_id for e in lapsing or ()]),
    )


@bp.route("/activities/<int:activity_id>/sessions/<key>")
@public
def occurrence(activity_id: int, key: str):
    activity = _load_activity(activity_id)
    occ = _load_occurrence(activity, key)
    manage = access.can_manage(activity.home_id) if current_user.is_authenticated else False
    return render_template(
        "homes/occurrence.html",
        activity=activity,
        occ=occ,
        manage=manage,
        show_reasons=_may_see_reasons(activity, manage),
        venues=_venue_names([occ.venue_id, activity.venue_id]),
        can_roll_call=manage
        and not occ.cancelled
        and occ.start <= clock.now() + timedelta(hours=12),
        reply_panel=reply_pages.panel("session", activity.id, occ.original_start),
    )


@bp.route("/activities/<int:activity_id>/sessions/<key>/cancel", methods=["GET", "POST"])
@role_required("home_staff")
@form_view
def cancel_occurrence(activity_id: int, key: str):
    activity = _load_activity(activity_id, manage=True)
    occ = _load_occurrence(activity, key)
    form = CancelOccurrenceForm()
    if form.validate_on_submit():
        try:
            services.cancel_occurrence(activity, occ.original_start, form.reason.data, current_user)
        except DomainError as error:
            db.session.rollback()
            form.add_error(error.field, error.message)
        else:
            db.session.commit()
            flash(_("The session has been cancelled."), "success")
            return redirect(url_for("homes.activity", activity_id=activity_id), code=303)
    return _render(
        "homes/cancel.html", form, activity=activity, occ=occ, venues=_venue_names([occ.venue_id])
    )


@bp.route("/activities/<int:activity_id>/sessions/<key>/move", methods=["GET", "POST"])
@role_required("home_staff")
@form_view
def move_occurrence(activity_id: int, key: str):
    activity = _load_activity(activity_id, manage=True)
    occ = _load_occurrence(activity, key)
    form = MoveOccurrenceForm(venues=venue_choices(occ.venue_id))
    if request.method == "GET":
        local = occ.local_start
        form.new_day.process(None, local.date())
        form.start_time.data = local.strftime("%H:%M")
        form.end_time.data = occ.local_end.strftime("%H:%M")
        if occ.moved and occ.venue_id != activity.venue_id:
            form.venue_id.data = str(occ.venue_id or "")
    elif form.validate_on_submit():
        venue_id = listed_id(form.venue_id.data)
        try:
            services.move_occurrence(
                activity,
                occ.original_start,
                form.new_day.data,
                form.start_time.time,
                form.end_time.time,
                venue_id,
                form.reason.data,
                current_user,
            )
        except DomainError as error:
            db.session.rollback()
            form.add_error(
                {"end_time": "end_time", "new_day": "new_day", "venue_id": "venue_id"}.get(
                    error.field
                ),
                error.message,
            )
        else:
            db.session.commit()
            flash(_("The session has been moved."), "success")
            return redirect(url_for("homes.activity", activity_id=activity_id), code=303)
    return _render(
        "homes/move.html", form, activity=activity, occ=occ, venues=_venue_names([occ.venue_id])
    )


@bp.route("/activities/<int:activity_id>/sessions/<key>/restore", methods=["POST"])
@role_required("home_staff")
def restore_occurrence(activity_id: int, key: str):
    activity = _load_activity(activity_id, manage=True)
    occ = _load_occurrence(activity, key)
    page = confirm.ask(
        _("Undo the change to the session of %(day)s?", day=fmt_date(occ.local_original_start)),
        consequence=_(
            "The session goes back to its planned time and place, and the reason given for "
            "the change is deleted."
        ),
        confirm_label=_("Yes, undo the change"),
        cancel_url=url_for("homes.occurrence", activity_id=activity_id, key=key),
    )
    if page is not None:
        return page
    services.restore_occurrence(activity, occ.original_start)
    db.session.commit()
    flash(_("The session is back at its planned time and place."), "success")
    return redirect(url_for("homes.activity", activity_id=activity_id), code=303)


# --- roll-call ----------------------------------------------------------------------------


@bp.route("/activities/<int:activity_id>/sessions/<key>/roll-call", methods=["GET", "POST"])
@role_required("home_staff")
def roll_call(activity_id: int, key: str):
    activity = _load_activity(activity_id, manage=True)
    occ = _load_occurrence(activity, key)
    mark_personal()
    error = None
    error_person = None
    if request.method == "POST":
        expected = {
            pid for pid, _name in queries.expected_members(activity.home_id, occ.local_start.date())
        }
        try:
            if request.form.get("mark") == "rest_present":
                unmarked = expected - set(
                    db.session.scalars(
                        sa.select(services.Attendance.person_id).where(
                            services.Attendance.activity_id == activity.id,
                            services.Attendance.occurrence_start == occ.original_start,
                        )
                    )
                )
                page = confirm.ask(
                    ngettext(
                        "Mark the %(num)d member not marked yet as present?",
                        "Mark the %(num)d members not marked yet as present?",
                        len(unmarked),
                    ),
                    consequence=_(
                        "Members already marked keep their mark, including marks other staff "
                        "save at the same moment."
                    ),
                    confirm_label=_("Yes, mark them present"),
                    cancel_url=url_for("homes.roll_call", activity_id=activity_id, key=key),
                )
                if page is not None:
                    return page
                services.mark_rest_present(
                    activity, occ.original_start, expected, current_user, now=clock.now()
                )
                db.session.commit()
                return redirect(
                    url_for("homes.roll_call", activity_id=activity_id, key=key)
                    + "#roll-call-summary",
                    code=303,
                )
            error_person = whole_number(request.form.get("person_id"))
            if error_person is None:  # not digits, or too large for anyone's id
                raise DomainError(_("That person is not expected at this session."))
            marks = [
                services.parse_mark(
                    error_person, request.form.get("status", ""), request.form.get("reason")
                )
            ]
            anchor = f"member-{error_person}"
            services.record_marks(
                activity, occ.original_start, marks, expected, current_user, now=clock.now()
            )
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            return redirect(
                url_for("homes.roll_call", activity_id=activity_id, key=key) + "#" + anchor,
                code=303,
            )
    lines = queries.roll_call(activity, occ)
    if error_person not in {line.person_id for line in lines}:
        error_person = None  # the summary links only to a line on the page
    counts = {
        "present": sum(
            1
            for line in lines
            if line.attendance and line.attendance.status == AttendanceStatus.PRESENT
        ),
        "absent": sum(
            1
            for line in lines
            if line.attendance and line.attendance.status == AttendanceStatus.ABSENT
        ),
    }
    counts["unmarked"] = len(lines) - counts["present"] - counts["absent"]
    return (
        render_template(
            "homes/roll_call.html",
            activity=activity,
            occ=occ,
            lines=lines,
            counts=counts,
            reasons=list(AbsenceReason),
            error=error,
            error_person=error_person,
            page_has_errors=error is not None,
            open=not occ.cancelled and occ.start <= clock.now() + timedelta(hours=12),
        ),
        422 if error else 200,
    )


# --- dashboard, own schedule --------------------------------------------------------------


@bp.route("/dashboard")
@role_required("home_staff")
def dashboard():
    mark_personal()
    today = clock.today()
    board = queries.dashboard(access.managed_home_ids(), today, clock.now())
    homes = {h.id: h for h in board.homes}
    return render_template(
        "homes/dashboard.html",
        board=board,
        homes=homes,
        today=today,
        days=queries.ABSENT_DAYS,
        history_days=queries.HISTORY_DAYS,
    )


@bp.route("/mine")
@login_required
def mine():
    mark_personal()
    person_ids = access.own_person_ids()
    now = clock.now()
    today = clock.today()
    start, _e = recurrence.local_day_window(today)
    _s, end = recurrence.local_day_window(today + timedelta(days=27))
    schedule = queries.own_schedule(person_ids, start, end, now - timedelta(days=90))
    return render_template(
        "homes/mine.html",
        schedule=schedule,
        venues=_venue_names([o.venue_id for o in schedule.occurrences]),
    )


# --- statistics ---------------------------------------------------------------------------


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
