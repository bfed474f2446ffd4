"""Venue pages: the public list and detail pages, and the admin's create, edit and archive."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.auth import get_or_404, public, role_required
from app.core.errors import DomainError, EditConflict
from app.core.forms import BaseForm
from app.core.reference import town_choices
from app.core.security import form_view
from app.extensions import db
from app.venues import bp, queries, services
from app.venues.enums import AccessibilityFeature
from app.venues.forms import VenueFilterForm, VenueForm
from app.venues.models import Venue, degrees_text


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


@bp.route("/new", methods=["GET", "POST"])
@role_required("admin")
@form_view
def create():
    form = VenueForm(town_choices=town_choices(db.session))
    if form.validate_on_submit():
        try:
            venue = services.create_venue(**form.service_values())
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            db.session.commit()
            flash(_("The venue %(name)s has been added.", name=venue.name), "success")
            return redirect(url_for("venues.detail", venue_id=venue.id), code=303)
    return _render_form(form, venue=None)


@bp.route("/<int:venue_id>/edit", methods=["GET", "POST"])
@role_required("admin")
@form_view
def edit(venue_id: int):
    venue = get_or_404(Venue, venue_id)
    choices = town_choices(db.session)
    if request.method == "GET":
        form = VenueForm(data=VenueForm.data_from(venue), town_choices=choices)
        return _render_form(form, venue=venue)
    form = VenueForm(town_choices=choices)
    if form.validate_on_submit():
        try:
            services.update_venue(venue, version=form.version.data, **form.service_values())
        except EditConflict:
            db.session.rollback()
            current = queries.get_venue(venue_id)
            if current is None:
                abort(404)
            # The user's input stays in the form; the version moves on, so saving again
            # after reading both values is a deliberate overwrite.
            form.version.data = current.version
            form.add_error(
                None,
                _(
                    "Someone else saved this venue after you opened it. Check both versions "
                    "below, then save again to keep yours."
                ),
            )
            return _render_form(form, venue=current, conflict=current, status=409)
        except DomainError as error:
            db.session.rollback()
            form.add_error(error.field, error.message)
        else:
            db.session.commit()
            flash(_("Your changes to %(name)s have been saved.", name=venue.name), "success")
            return redirect(url_for("venues.detail", venue_id=venue_id), code=303)
    return _render_form(form, venue=venue)


def _conflict_rows(form: VenueForm, current: Venue) -> list[tuple[str, str, str]]:
    """(field label, the user's value, the saved value) for each field that differs, as
    the page shows them."""
    towns = dict(form.town_id.choices)
    kinds = dict(form.kind.choices)
    features = dict(form.features.choices)

    def words(values) -> str:
        return ", ".join(str(features[v]) for v in values if v in features)

    mine = {
        "name": form.name.data or "",
        "kind": str(kinds.get(form.kind.data, "")),
        "town_id": str(towns.get(form.town_id.data, "")),
        "address": form.address.data or "",
        "capacity": "" if form.capacity.data is None else str(form.capacity.data),
        "latitude": degrees_text(form.latitude.data),
        "longitude": degrees_text(form.longitude.data),
        "features": words(sorted(form.features.data or (), key=_feature_order)),
        "notes": form.notes.data or "",
    }
    saved = {
        "name": current.name,
        "kind": str(current.kind.label),
        "town_id": current.town.display_name,
        "address": current.address,
        "capacity": "" if current.capacity is None else str(current.capacity),
        "latitude": current.latitude_text,
        "longitude": current.longitude_text,
        "features": words([feature.value for feature in current.features]),
        "notes": current.notes,
    }
    return [
        (str(getattr(form, name).label.text), mine[name], saved[name])
        for name in mine
        if mine[name] != saved[name]
    ]


def _feature_order(value: str) -> int:
    try:
        return AccessibilityFeature(value).order
    except ValueError:
        return len(AccessibilityFeature)


def _render_form(form: VenueForm, *, venue, conflict=None, status=None):
    if status is None:
        status = 422 if form.has_errors else 200
    return (
        render_template(
            "venues/form.html",
            form=form,
            venue=venue,
            conflict_rows=_conflict_rows(form, conflict) if conflict is not None else None,
            page_has_errors=form.has_errors,
        ),
        status,
    )


@bp.route("/<int:venue_id>/archive", methods=["GET", "POST"])
@role_required("admin")
@form_view
def archive(venue_id: int):
    venue = get_or_404(Venue, venue_id)
    if venue.is_archived:
        return redirect(url_for("venues.detail", venue_id=venue_id), code=303)
    form = ArchiveForm()
    if request.method == "POST":
        if form.validate_on_submit():
            services.archive_venue(venue)
            db.session.commit()
            flash(_("The venue %(name)s has been archived.", name=venue.name), "success")
            return redirect(url_for("venues.detail", venue_id=venue_id), code=303)
    status = 422 if form.has_errors else 200
    return (
        render_template(
            "venues/archive.html", form=form, venue=venue, page_has_errors=form.has_errors
        ),
        status,
    )


@bp.route("/<int:venue_id>/restore", methods=["POST"])
@role_required("admin")
def restore(venue_id: int):
    venue = get_or_404(Venue, venue_id)
    services.restore_venue(venue)
    db.session.commit()
    flash(_("The venue %(name)s is shown in the lists again.", name=venue.name), "success")
    return redirect(url_for("venues.detail", venue_id=venue_id), code=303)
