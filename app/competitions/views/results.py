"""Recording results: every entry of an event on one screen at the venue, and the import of
results from a spreadsheet (preview, then all rows or nothing)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.competitions import bp, imports, official, results_screen, rules
from app.competitions.enums import Medal, ResultStatus
from app.competitions.forms import ResultsForm
from app.competitions.views._common import load_event
from app.core import editing
from app.core.errors import DomainError
from app.core.forms import ConfirmImportForm, ImportForm
from app.core.security import form_page
from app.extensions import db


@form_page(bp, "/events/<int:event_id>/results", "coach")
def results(event_id: int):
    """Every entry of the event on one screen; the rows the user may record are editable and
    saved together (app/competitions/results_screen.py: what counts as a change, every
    problem at once, the 409 with every field that differs)."""
    event = load_event(event_id)
    editable = {e.id for e in event.entries if rules.can_record(current_user, e, event.competition)}
    if not editable:
        abort(403)
    form = ResultsForm()
    if request.method == "POST" and form.validate_on_submit():
        outcome = results_screen.submit(event, editable, request.form, actor=current_user)
        if outcome.status == 200:
            if outcome.saved:
                flash(_("Results saved."), "success")
            else:
                flash(_("Nothing was changed, so nothing was saved."), "info")
            return redirect(url_for(".results", event_id=event.id), 303)
        if outcome.status == 409:
            form.add_error(
                None,
                _(
                    "Someone else saved some of these results after you opened the page. "
                    "Check both versions below, then save again to keep yours."
                ),
            )
        event, rows, summary, status = outcome.event, outcome.rows, outcome.summary, outcome.status
    else:
        rows = {e.id: results_screen.saved_row(e) for e in event.entries if e.id in editable}
        summary, status = [], (422 if request.method == "POST" else 200)
    return editing.render(
        "competitions/results.html",
        form,
        status=status,
        event=event,
        rows=rows,
        summary=summary,
        name_of=rules.namer(current_user, event.competition),
        statuses=list(ResultStatus),
        medals=list(Medal),
        can_protest=official.can_protest,
        **results_screen.page_context(event, request.form, summary, current_user),
    )


@form_page(bp, "/import", "coach")
def import_results():
    """Upload a spreadsheet → a preview of every row with its errors → confirm, which saves
    every row or nothing. The preview carries the file (base64, at most spreadsheets.MAX_BYTES);
    the confirmation checks it again from scratch."""
    upload, confirm = ImportForm(), ConfirmImportForm()
    rows, form = None, upload
    if request.method == "POST" and "payload" in request.form:
        form = confirm
        if confirm.validate_on_submit():
            try:
                rows = imports.check_rows(editing.payload(confirm), current_user)
                saved = imports.save_rows(rows, user=current_user)
            except ValueError:  # not base64
                db.session.rollback()
                confirm.add_error(None, _("The preview could not be read. Send the file again."))
                rows = None
            except DomainError as error:
                db.session.rollback()
                confirm.add_error(None, error.message)
                confirm.status_code = error.status_code  # 409 when a result moved on
                imports.keep_lookup(rows)  # the refused look-ups stay counted and audited
            except (IntegrityError, StaleDataError):
                # Another save of the same results went first (issue 13 item 10): not a 500.
                db.session.rollback()
                confirm.add_error(
                    None,
                    _(
                        "Someone else saved some of these results at the same time. Nothing "
                        "was saved: send the file again to see the results as they are now."
                    ),
                )
                confirm.status_code = 409
                imports.keep_lookup(rows)
            else:
                db.session.commit()
                imports.keep_lookup(rows)
                flash(_("Results saved: %(count)d entries.", count=saved), "success")
                return redirect(url_for(".index"), code=303)
    elif upload.validate_on_submit():
        rows = editing.check_upload(
            upload, confirm, lambda data: imports.check_rows(data, current_user)
        )
        if rows is not None:
            imports.keep_lookup(rows)
    return editing.render(
        "competitions/import.html",
        form,
        status=form.status_code,
        upload=upload,
        confirm=confirm,
        rows=rows,
        columns=imports.COLUMNS,
        limit=imports.FAILED_LOOKUPS_PER_DAY,
    )
