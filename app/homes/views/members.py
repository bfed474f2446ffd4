"""Members of a home: adding one (found in the register by number and date of birth), ending a
membership, recording the call that followed an absence alert."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app.core import clock, editing
from app.core.auth import get_or_404, role_required
from app.core.errors import DomainError, EditConflict
from app.core.security import form_page, mark_personal
from app.extensions import db
from app.homes import bp, services
from app.homes.forms import EndMembershipForm, MembershipForm
from app.homes.models import Home, Membership
from app.homes.views._common import manage_or_404
from app.people import lookup

# One answer for every failed register look-up (app.people.lookup): it confirms nothing.
NO_SUCH_PERSON = _l("No person in the register has this number and date of birth.")


@form_page(bp, "/<int:home_id>/members/new", "home_staff")
def add_member(home_id: int):
    home = get_or_404(Home, home_id)
    manage_or_404(home_id)
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
    return editing.render("homes/member_form.html", form, home=home)


@form_page(bp, "/members/<int:membership_id>/end", "home_staff")
def end_member(membership_id: int):
    membership = get_or_404(Membership, membership_id)
    manage_or_404(membership.home_id)
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
    manage_or_404(membership.home_id)
    services.record_contact(membership, current_user)
    db.session.commit()
    flash(_("The call has been recorded."), "success")
    return redirect(url_for("homes.dashboard") + "#alerts", code=303)


def _render_end(form, membership, status=None):
    return editing.render("homes/end_member.html", form, status, membership=membership)
