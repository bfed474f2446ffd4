"""/people/<id>/export (the ZIP of everything about a person) and /people/<id>/anonymise."""

from __future__ import annotations

from flask import Response, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from app.core import audit, editing
from app.core.auth import get_or_404, role_required
from app.core.forms import BaseForm
from app.core.security import form_view, mark_personal
from app.extensions import db
from app.people.models import Person
from app.privacy import bp
from app.privacy.anonymise import anonymise_person
from app.privacy.export import export_zip


class AnonymiseForm(BaseForm):
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            InputRequired(_l("Give the reason for the erasure.")),
            Length(max=500, message=_l("The reason must have at most %(max)d characters.")),
        ],
    )


@bp.get("/<int:person_id>/export")
@role_required("admin")
def export(person_id: int):
    mark_personal()
    person = get_or_404(Person, person_id)
    body = export_zip(person.id)
    audit.record("export", "person", person.id, ["everything"])
    db.session.commit()
    response = Response(body, mimetype="application/zip")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="person-{person.id}-export.zip"'
    )
    return response


@bp.route("/<int:person_id>/anonymise", methods=["GET", "POST"])
@role_required("admin")
@form_view
def anonymise(person_id: int):
    mark_personal()
    person = get_or_404(Person, person_id)
    form = AnonymiseForm()
    response = editing.save(
        form,
        lambda: anonymise_person(person, reason=form.reason.data, actor=current_user),
        flash_message=_("The person has been anonymised."),
        redirect_to=url_for("people.detail", person_id=person_id),
    )
    return response or editing.render("privacy/anonymise.html", form, person=person)
