"""Photos of a performance: upload (rate-limited), removal, and the image itself for staff
and the people booked (and their caregivers)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app.core import confirm, editing
from app.core.auth import get_or_404, login_required, role_required
from app.core.security import form_page, mark_personal
from app.extensions import db, limiter
from app.performances import bp, photos, queries, rules
from app.performances.forms import PhotoForm
from app.performances.models import PerformancePhoto
from app.performances.views._common import managed, viewer_people
from app.performances.views.agenda import detail


def _photo_upload_limit() -> str:
    return current_app.config["RATELIMIT_PHOTO_UPLOAD"]


def _photo_uploader() -> str:
    return f"photo-upload:{current_user.get_id()}"


@form_page(bp, "/<int:performance_id>/photos", "organiser", methods=("POST",))
@limiter.limit(_photo_upload_limit, key_func=_photo_uploader, scope="photo-upload")
def add_photo(performance_id: int):
    performance = managed(performance_id)
    form = PhotoForm()
    response = editing.save(
        form,
        lambda: photos.add_photo(
            performance, form.photo.data.read(), form.alt_text.data, actor=current_user
        ),
        flash_message=_("Photo added."),
        redirect_to=url_for(".detail", performance_id=performance.id, _anchor="photos"),
    )
    return response or detail(performance_id, photo_form=form, status=422)


@bp.post("/photos/<int:photo_id>/delete")
@role_required("organiser")
def delete_photo(photo_id: int):
    photo = get_or_404(PerformancePhoto, photo_id)
    performance = managed(photo.performance_id)
    page = confirm.ask(
        _("Remove this photo of %(title)s?", title=performance.title),
        consequence=_(
            "The photo is deleted for good. Its description was: %(alt)s", alt=photo.alt_text
        ),
        confirm_label=_("Yes, remove the photo"),
        cancel_url=url_for(".detail", performance_id=performance.id, _anchor="photos"),
    )
    if page is not None:
        return page
    try:
        photos.delete_photo(photo, actor=current_user)
        db.session.commit()
    except StaleDataError:
        # Removed by someone else at the same moment: it is gone either way.
        db.session.rollback()
    flash(_("Photo removed."), "success")
    return redirect(url_for(".detail", performance_id=performance.id, _anchor="photos"), 303)


@bp.get("/photos/<int:photo_id>")
@login_required
def photo(photo_id: int):
    """The image, for staff and the people booked (and their caregivers) only."""
    item = get_or_404(PerformancePhoto, photo_id)
    if not (
        rules.is_staff(current_user)
        or viewer_people() & queries.booked_person_ids(item.performance_id)
    ):
        abort(404)
    path = photos.photo_path(item)
    if not path.is_file():
        abort(404)
    mark_personal()
    response = send_file(path, mimetype=item.content_type, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response
