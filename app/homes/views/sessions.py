"""One session of an activity: its page, cancelling or moving it, and undoing that."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import confirm, editing
from app.core.auth import public, role_required
from app.core.security import form_page
from app.core.templating import fmt_date
from app.extensions import db
from app.homes import access, bp, services
from app.homes.forms import CancelOccurrenceForm, MoveOccurrenceForm, listed_id
from app.homes.views._common import (
    load_activity,
    load_occurrence,
    may_see_reasons,
    venue_names,
)
from app.replies import pages as reply_pages
from app.venues.queries import venue_choices


@bp.route("/activities/<int:activity_id>/sessions/<key>")
@public
def occurrence(activity_id: int, key: str):
    activity = load_activity(activity_id)
    occ = load_occurrence(activity, key)
    manage = access.can_manage(activity.home_id) if current_user.is_authenticated else False
    return render_template(
        "homes/occurrence.html",
        activity=activity,
        occ=occ,
        manage=manage,
        show_reasons=may_see_reasons(activity, manage),
        venues=venue_names([occ.venue_id, activity.venue_id]),
        can_roll_call=manage and services.roll_call_open(occ),
        reply_panel=reply_pages.panel("session", activity.id, occ.original_start),
    )


@form_page(bp, "/activities/<int:activity_id>/sessions/<key>/cancel", "home_staff")
def cancel_occurrence(activity_id: int, key: str):
    activity = load_activity(activity_id, manage=True)
    occ = load_occurrence(activity, key)
    form = CancelOccurrenceForm()
    response = editing.save(
        form,
        lambda: services.cancel_occurrence(
            activity, occ.original_start, form.reason.data, current_user
        ),
        flash_message=_("The session has been cancelled."),
        redirect_to=url_for("homes.activity", activity_id=activity_id),
    )
    return response or editing.render(
        "homes/cancel.html", form, activity=activity, occ=occ, venues=venue_names([occ.venue_id])
    )


@form_page(bp, "/activities/<int:activity_id>/sessions/<key>/move", "home_staff")
def move_occurrence(activity_id: int, key: str):
    activity = load_activity(activity_id, manage=True)
    occ = load_occurrence(activity, key)
    form = MoveOccurrenceForm(venues=venue_choices(occ.venue_id))
    if request.method == "GET":
        local = occ.local_start
        form.new_day.process(None, local.date())
        form.start_time.data = local.strftime("%H:%M")
        form.end_time.data = occ.local_end.strftime("%H:%M")
        if occ.moved and occ.venue_id != activity.venue_id:
            form.venue_id.data = str(occ.venue_id or "")
    response = editing.save(
        form,
        lambda: services.move_occurrence(
            activity,
            occ.original_start,
            form.new_day.data,
            form.start_time.time,
            form.end_time.time,
            listed_id(form.venue_id.data),
            form.reason.data,
            current_user,
        ),
        flash_message=_("The session has been moved."),
        redirect_to=url_for("homes.activity", activity_id=activity_id),
    )
    return response or editing.render(
        "homes/move.html", form, activity=activity, occ=occ, venues=venue_names([occ.venue_id])
    )


@bp.route("/activities/<int:activity_id>/sessions/<key>/restore", methods=["POST"])
@role_required("home_staff")
def restore_occurrence(activity_id: int, key: str):
    activity = load_activity(activity_id, manage=True)
    occ = load_occurrence(activity, key)
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
