"""Import of screening results from a spreadsheet: upload, preview every row with its errors,
confirm."""

from __future__ import annotations

import base64
import binascii

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.athletes import bp, imports, queries
from app.athletes.forms import ConfirmImportForm, ImportForm
from app.athletes.views._common import render
from app.core import spreadsheets
from app.core.auth import role_required
from app.core.errors import DomainError
from app.core.security import form_view
from app.extensions import db


@bp.route("/import", methods=["GET", "POST"])
@role_required("coach")
@form_view
def import_screenings():
    """Upload a spreadsheet → a preview of every row with its errors → confirm (all valid
    rows, or nothing unless every row is valid). Nothing is written before the confirmation.
    The preview carries the file itself (base64, at most spreadsheets.MAX_BYTES) and the
    confirmation checks it again from scratch."""
    upload, confirm = ImportForm(), ConfirmImportForm()
    rows = None
    if request.method == "POST" and "payload" in request.form:
        if confirm.validate_on_submit():
            try:
                data = base64.b64decode(confirm.payload.data or "", validate=True)
                rows = imports.check_rows(data, current_user)
                saved = imports.save_rows(
                    rows, all_or_nothing=confirm.mode.data == "all", user=current_user
                )
            except (binascii.Error, ValueError):
                confirm.add_error(None, _("The preview could not be read. Send the file again."))
                rows = None
            except DomainError as error:
                db.session.rollback()
                confirm.add_error(error.field if error.field == "mode" else None, error.message)
            else:
                db.session.commit()
                message = ngettext(
                    "%(num)d screening has been saved.",
                    "%(num)d screenings have been saved.",
                    saved,
                )
                skipped = sum(1 for row in rows if row.ok and row.stored is not None)
                if skipped:
                    message += " " + ngettext(
                        "%(num)d row was already stored and skipped.",
                        "%(num)d rows were already stored and skipped.",
                        skipped,
                    )
                flash(message, "success")
                return redirect(url_for("athletes.dashboard"), code=303)
        elif confirm.payload.data:
            try:
                rows = imports.check_rows(
                    base64.b64decode(confirm.payload.data, validate=True), current_user
                )
            except (binascii.Error, ValueError, DomainError):
                rows = None
        form = confirm
    elif upload.validate_on_submit():
        data = upload.file.data.read(spreadsheets.MAX_BYTES + 1)
        try:
            rows = imports.check_rows(data, current_user)
        except DomainError as error:
            upload.add_error("file", error.message)
        else:
            confirm.payload.data = base64.b64encode(data).decode("ascii")
            confirm.mode.data = "valid"
        form = upload
    else:
        form = upload
    return render(
        "athletes/import.html",
        form,
        upload=upload,
        confirm=confirm,
        rows=rows,
        templates=queries.templates(queries.sports()),
        columns=imports.COLUMNS,
    )
