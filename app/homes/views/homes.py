"""Homes pages: the homes by town (coverage), a home's page, adding and editing a home (admins),
the staff dashboard, and members' and caregivers' own schedule (/homes/mine)."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.enums import Role
from app.accounts.queries import active_users_with
from app.core import clock, editing
from app.core.auth import get_or_404, login_required, public, role_required
from app.core.reference import town_choices
from app.core.security import form_page, mark_personal
from app.extensions import db
from app.homes import access, bp, merge, queries, recurrence, services
from app.homes.forms import WEEKDAY_LABELS, HomeForm
from app.homes.models import Home
from app.homes.views._common import venue_names
from app.venues.queries import venue_choices


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
    member = access.is_member(home_id)
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
        venues=venue_names([o.venue_id for o in occs]),
        members=members,
        past=past,
        staff=staff,
        week_start=today - timedelta(days=today.weekday()),
        weekdays=WEEKDAY_LABELS,
    )


def _staff_choices(keep=()):
    """Active home staff accounts (and ``keep``: the home's own, active or not)."""
    users = active_users_with(Role.HOME_STAFF, keep=keep)
    return [(u.id, f"{u.display_name} ({u.username})") for u in users]


def _home_form(*args, current_venue=None, home=None, **kwargs) -> HomeForm:
    return HomeForm(
        *args,
        towns=town_choices(db.session),
        venues=venue_choices(current_venue),
        staff=_staff_choices(keep=[row.user_id for row in home.staff_rows] if home else ()),
        **kwargs,
    )


@form_page(bp, "/new", "admin")
def create_home():
    form = _home_form()
    response = editing.save(
        form,
        lambda: services.create_home(
            form.service_values(), form.services.data, form.staff.data or ()
        ),
        flash_message=_("The home has been added."),
        redirect_to=lambda home: url_for("homes.detail", home_id=home.id),
    )
    return response or _render_home_form(form, None)


@form_page(bp, "/<int:home_id>/edit", "admin")
def edit_home(home_id: int):
    home = get_or_404(Home, home_id)
    if request.method == "GET":
        form = _home_form(data=HomeForm.data_from(home), current_venue=home.venue_id, home=home)
        merge.remember(form, "home", home_id)
        return _render_home_form(form, home)
    form = _home_form(current_venue=home.venue_id, home=home)

    def apply():
        services.update_home(home, form.version.data, form.service_values(), form.services.data)
        services.set_staff(home, form.staff.data or ())
        return home

    def saved_form():
        current = get_or_404(Home, home_id)
        return _home_form(
            formdata=None,
            data=HomeForm.data_from(current),
            current_venue=current.venue_id,
            home=current,
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
        venues=venue_names([o.venue_id for o in schedule.occurrences]),
    )
