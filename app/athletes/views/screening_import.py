"""Import of screening results from a spreadsheet: upload, preview every row with its errors,
confirm."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.athletes import bp, imports, queries
from app.athletes.forms import ConfirmImportForm
from app.core import editing
from app.core.errors import DomainError
from app.core.forms import ImportForm
from app.core.security import form_page
from app.extensions import db


@form_page(bp, "/import", "coach")
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
                rows = imports.check_rows(editing.payload(confirm), current_user)
                saved = imports.save_rows(
                    rows, all_or_nothing=confirm.mode.data == "all", user=current_user
                )
            except ValueError:  # not base64
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
                rows = imports.check_rows(editing.payload(confirm), current_user)
            except (ValueError, DomainError):
                rows = None
        form = confirm
    elif upload.validate_on_submit():
        rows = editing.check_upload(
            upload, confirm, lambda data: imports.check_rows(data, current_user)
        )
        if rows is not None:
            confirm.mode.data = "valid"
        form = upload
    else:
        form = upload
    return editing.render(
        "athletes/import.html",
        form,
        upload=upload,
        confirm=confirm,
        rows=rows,
        templates=queries.templates(queries.sports()),
        columns=imports.COLUMNS,
    )
