"""Troupes (organisers): the list, a troupe's page, adding and editing one, adding a member
(found in the register) and removing one."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app.core import confirm, editing
from app.core.auth import role_required
from app.core.errors import DomainError, EditConflict
from app.core.security import form_page, mark_personal
from app.extensions import db
from app.performances import bp, queries, rules, services
from app.performances.forms import MemberForm, RemoveMemberForm, TroupeForm
from app.performances.models import Troupe, TroupeMember


@bp.get("/troupes")
@role_required("organiser")
def troupes():
    items = queries.troupes()
    sizes = dict(
        db.session.execute(
            sa.select(TroupeMember.troupe_id, sa.func.count(TroupeMember.id)).group_by(
                TroupeMember.troupe_id
            )
        ).all()
    )
    return render_template("performances/troupes.html", troupes=items, sizes=sizes)


def _troupe(troupe_id: int) -> Troupe:
    troupe = queries.troupe_for_page(troupe_id)
    if troupe is None:
        abort(404)
    return troupe


@bp.get("/troupes/<int:troupe_id>")
@role_required("organiser")
def troupe(troupe_id: int, member_form=None, status: int = 200):
    mark_personal()
    item = _troupe(troupe_id)
    form = member_form or MemberForm()
    organised = queries.booked_in_programmes_of(current_user, [m.person_id for m in item.members])
    return (
        render_template(
            "performances/troupe.html",
            troupe=item,
            # Link a member's bookings page only where the user may open it.
            links_bookings=lambda m: rules.can_view_bookings_of(current_user, m.person, organised),
            member_form=form,
            remove_form=RemoveMemberForm(),
            page_has_errors=form.has_errors,
        ),
        status,
    )


@form_page(bp, "/troupes/new", "organiser")
def create_troupe():
    form = TroupeForm()
    response = editing.save(
        form,
        lambda: services.create_troupe(form.data_of("name", "notes"), actor=current_user),
        flash_message=_("Troupe added."),
        redirect_to=lambda item: url_for(".troupe", troupe_id=item.id),
    )
    return response or editing.render("performances/troupe_form.html", form, troupe=None)


@form_page(bp, "/troupes/<int:troupe_id>/edit", "organiser")
def edit_troupe(troupe_id: int):
    item = _troupe(troupe_id)
    form = editing.edit_form(TroupeForm, item)
    response = editing.save(
        form,
        lambda: services.update_troupe(
            item, form.data_of("name", "notes"), version=form.version.data, actor=current_user
        ),
        saved_form=editing.saved_form_of(TroupeForm, lambda: _troupe(troupe_id)),
        flash_message=_("Troupe saved."),
        redirect_to=url_for(".troupe", troupe_id=troupe_id),
    )
    return response or editing.render("performances/troupe_form.html", form, troupe=item)


@form_page(bp, "/troupes/<int:troupe_id>/members", "organiser", methods=("POST",))
def add_member(troupe_id: int):
    item = _troupe(troupe_id)
    form = MemberForm()
    # core.editing.save keeps a failed look-up's audit row (DomainError.keep) after the
    # rollback, so the ration counts it.
    response = editing.save(
        form,
        lambda: services.add_member(
            item,
            **form.data_of("person_id", "birth_on", "role"),
            actor=current_user,
        ),
        flash_message=_("Member added."),
        redirect_to=url_for(".troupe", troupe_id=item.id),
    )
    if response is not None:
        return response
    if form.status_code == 409:
        form.status_code = 422  # no version: another save in between, try again
    return troupe(troupe_id, member_form=form, status=form.status_code)


@bp.post("/troupes/<int:troupe_id>/members/<int:member_id>/remove")
@role_required("organiser")
def remove_member(troupe_id: int, member_id: int):
    item = _troupe(troupe_id)
    member = next((m for m in item.members if m.id == member_id), None)
    if member is None:
        abort(404)
    page = confirm.ask(
        _("Remove %(name)s from %(troupe)s?", name=member.person.name, troupe=item.name),
        consequence=_(
            "They are no longer offered for the troupe's performances. Performances they are "
            "already booked for keep them."
        ),
        confirm_label=_("Yes, remove"),
        cancel_url=url_for(".troupe", troupe_id=item.id),
    )
    if page is not None:
        return page
    try:
        services.remove_member(item, member_id, actor=current_user)
        db.session.commit()
    except (EditConflict, StaleDataError):
        db.session.rollback()
        flash(_("Someone else changed the troupe at the same moment: check it and try again."))
        return redirect(url_for(".troupe", troupe_id=troupe_id), 303)
    except DomainError:
        db.session.rollback()
        abort(404)
    flash(_("Member removed."), "success")
    return redirect(url_for(".troupe", troupe_id=item.id), 303)
