"""Programmes: the list (public), adding one and editing it (its organisers and admins)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.enums import Role
from app.accounts.models import User
from app.accounts.queries import active_users_with
from app.core import editing
from app.core.auth import get_or_404, public
from app.core.security import form_page
from app.extensions import db
from app.performances import bp, queries, rules, services
from app.performances.enums import PerformanceStatus
from app.performances.forms import ProgrammeForm
from app.performances.models import Performance, Programme


def _organiser_choices() -> list[User]:
    return active_users_with(Role.ORGANISER, Role.ADMIN)


@bp.get("/programmes")
@public
def programmes():
    items = queries.programmes()
    counts = dict(
        db.session.execute(
            sa.select(Performance.programme_id, sa.func.count(Performance.id))
            .where(Performance.status == PerformanceStatus.DONE)
            .group_by(Performance.programme_id)
        ).all()
    )
    return render_template(
        "performances/programmes.html",
        programmes=items,
        counts=counts,
        staff=rules.is_staff(current_user),
        can_manage=lambda p: rules.can_manage_programme(current_user, p),
        can_create=rules.can_create_programme(current_user),
    )


@form_page(bp, "/programmes/new", "organiser")
def create_programme():
    form = ProgrammeForm(organisers=_organiser_choices())
    if request.method == "GET" and not current_user.is_admin:
        form.organiser_ids.data = [current_user.id]

    def apply():
        data = form.service_values()
        if not current_user.is_admin and current_user.id not in data["organiser_ids"]:
            data["organiser_ids"].append(current_user.id)
        return services.create_programme(data, actor=current_user)

    response = editing.save(
        form, apply, flash_message=_("Programme added."), redirect_to=url_for(".programmes")
    )
    return response or editing.render("performances/programme_form.html", form, programme=None)


@form_page(bp, "/programmes/<int:programme_id>/edit", "organiser")
def edit_programme(programme_id: int):
    programme = get_or_404(Programme, programme_id)
    if not rules.can_manage_programme(current_user, programme):
        abort(404)  # not theirs: the same answer as a programme that does not exist
    options = {"organisers": _organiser_choices()}
    form = editing.edit_form(ProgrammeForm, programme, **options)
    response = editing.save(
        form,
        lambda: services.update_programme(
            programme, form.service_values(), version=form.version.data, actor=current_user
        ),
        saved_form=editing.saved_form_of(
            ProgrammeForm, lambda: get_or_404(Programme, programme_id), **options
        ),
        flash_message=_("Programme saved."),
        redirect_to=url_for(".programmes"),
    )
    return response or editing.render("performances/programme_form.html", form, programme=programme)
