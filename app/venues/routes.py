"""Venue pages: the public list and detail pages, and the admin's create, edit and archive."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import editing
from app.core.auth import get_or_404, public, role_required
from app.core.forms import BaseForm
from app.core.reference import town_choices
from app.core.security import form_page
from app.extensions import db
from app.venues import bp, queries, services
from app.venues.forms import VenueFilterForm, VenueForm
from app.venues.models import Venue


def _is_admin() -> bool:
    return bool(current_user.is_authenticated and current_user.is_admin)


class ArchiveForm(BaseForm):
    """The confirmation: only the CSRF token."""


@bp.route("/")
@public
def index():
    form = VenueFilterForm(request.args, town_choices=town_choices(db.session))
    is_admin = _is_admin()
    if not is_admin:
        del form.archived
    form.validate()
    filters = form.filters(allow_archived=is_admin)
    page = queries.list_venues(
        filters,
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
    )
    args = {key: request.args.getlist(key) for key in request.args if key != "page"}
    return render_template(
        "venues/index.html",
        form=form,
        page=page,
        filters=filters,
        page_args=args,
        is_admin=is_admin,
    )


@bp.route("/<int:venue_id>")
@public
def detail(venue_id: int):
    venue = queries.get_venue(venue_id)
    if venue is None or (venue.is_archived and not _is_admin()):
        abort(404)
    return render_template("venues/detail.html", venue=venue, is_admin=_is_admin())


@form_page(bp, "/new", "admin")
def create():
    form = VenueForm(town_choices=town_choices(db.session))
    response = editing.save(
        form,
        lambda: services.create_venue(**form.service_values()),
        flash_message=lambda venue: _("The venue %(name)s has been added.", name=venue.name),
        redirect_to=lambda venue: url_for("venues.detail", venue_id=venue.id),
    )
    return response or editing.render("venues/form.html", form, venue=None)


@form_page(bp, "/<int:venue_id>/edit", "admin")
def edit(venue_id: int):
    venue = get_or_404(Venue, venue_id)
    choices = town_choices(db.session)
    form = editing.edit_form(VenueForm, venue, town_choices=choices)
    response = editing.save(
        form,
        lambda: services.update_venue(venue, version=form.version.data, **form.service_values()),
        saved_form=editing.saved_form_of(
            VenueForm, lambda: get_or_404(Venue, venue_id), town_choices=choices
        ),
        flash_message=lambda saved: _("Your changes to %(name)s have been saved.", name=saved.name),
        redirect_to=url_for("venues.detail", venue_id=venue_id),
    )
    return response or editing.render("venues/form.html", form, venue=venue)


@form_page(bp, "/<int:venue_id>/archive", "admin")
def archive(venue_id: int):
    venue = get_or_404(Venue, venue_id)
    if venue.is_archived:
        return redirect(url_for("venues.detail", venue_id=venue_id), code=303)
    form = ArchiveForm()
    response = editing.save(
        form,
        lambda: services.archive_venue(venue),
        flash_message=lambda _result: _("The venue %(name)s has been archived.", name=venue.name),
        redirect_to=url_for("venues.detail", venue_id=venue_id),
    )
    return response or editing.render("venues/archive.html", form, venue=venue)


@bp.route("/<int:venue_id>/restore", methods=["POST"])
@role_required("admin")
def restore(venue_id: int):
    venue = get_or_404(Venue, venue_id)
    services.restore_venue(venue)
    db.session.commit()
    flash(_("The venue %(name)s is shown in the lists again.", name=venue.name), "success")
    return redirect(url_for("venues.detail", venue_id=venue_id), code=303)
