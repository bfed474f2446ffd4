"""The one way to save a form, and the one way to detect that someone else saved first.

Services (no HTTP):

- ``check_version(record, version)``: the version an edit form was built from must be the
  record's version now. A missing or unreadable version is a stale one, never "overwrite".
- ``flush_or_conflict(record)``: flush, turning SQLAlchemy's StaleDataError (another process
  saved between the check and the UPDATE) into the same EditConflict.

Routes:

- ``save(form, apply, ...)``: validate -> ``apply()`` (one service call that flushes) ->
  commit -> flash -> 303 redirect. A DomainError lands on its field (status 422); an
  EditConflict or StaleDataError is rolled back and the form comes back with the user's
  input, the conflict table built from *every* field of the form (``conflict_rows``), and the
  version moved on, so saving again is a deliberate overwrite (status 409).
- ``render(template, form, **context)``: the page with the form's status (200, 409 or 422).

The conflict table compares what each field shows, for the user's form and for the same form
filled from the saved record (``saved_form``): select boxes and checkbox groups by their
labels, dates as dates, so many-valued fields (features, people, organisers) are listed too.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response
from wtforms import Field

from app.core import spreadsheets
from app.core.errors import DomainError, EditConflict
from app.extensions import db

CONFLICT_MESSAGE = _l(
    "Someone else saved this record after you opened it. Your input is kept in the form: "
    "check the differences, then save again to keep your values."
)

# Fields that are not the record's values.
NOT_VALUES = {"CSRFTokenField", "VersionField", "SubmitField", "FileField", "PasswordField"}
# ... and by name: the edit forms' "tell the people affected" (core.notify.tell_field).
NOT_VALUE_NAMES = {"tell_people"}


def check_version(record, version) -> None:
    """Raise EditConflict unless ``version`` (from the form) is ``record``'s version now."""
    if isinstance(version, bool) or not isinstance(version, int) or version != record.version:
        raise EditConflict(record)


def flush_or_conflict(record=None) -> None:
    """Flush; another process saving the same row in between is an EditConflict. The failed
    flush has ended the transaction, so it is rolled back here: building the conflict's
    (lazily translated) message may need the database, for the reader's language."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise EditConflict(record) from None


def shown_value(field: Field) -> str:
    """What a field holds, in words: a choice's label, a list of labels, a date, yes/no. A
    field may say it itself with a ``shown`` method (a certificate number shows masked)."""
    if callable(getattr(field, "shown", None)):
        return field.shown()
    data = field.data
    kind = field.type
    if kind in ("SelectMultipleField", "MultiCheckboxField"):
        chosen = {str(value) for value in (data or ())}
        return ", ".join(str(label) for value, label in _pairs(field) if str(value) in chosen)
    if kind in ("SelectField", "RadioField", "ChoiceField") or hasattr(field, "choices"):
        if data is None or data == "":
            return ""
        for value, label in _pairs(field):
            if str(value) == str(data):
                return str(label)
        return str(data)
    if kind == "BooleanField":
        return _("Yes") if data else _("No")
    if isinstance(data, date):
        from app.core.templating import fmt_date

        return fmt_date(data)
    if data is None:
        return ""
    if isinstance(data, list | tuple | set):
        return ", ".join(str(value) for value in data)
    return str(data)


def _pairs(field) -> list[tuple[Any, Any]]:
    pairs = []
    for choice in field.choices or ():
        if isinstance(choice, tuple | list) and len(choice) >= 2:
            pairs.append((choice[0], choice[1]))
        else:
            pairs.append((choice, choice))
    return pairs


def conflict_rows(form, saved_form) -> list[tuple[str, str, str]]:
    """(field label, the user's value, the saved value) for every field of ``form`` whose
    shown value differs from the same field of ``saved_form``."""
    rows = []
    for field in form:
        if (
            field.type in NOT_VALUES
            or field.name in NOT_VALUE_NAMES
            or field.name not in saved_form
        ):
            continue
        mine, saved = shown_value(field), shown_value(saved_form[field.name])
        if mine != saved:
            rows.append((str(field.label.text), mine, saved))
    return rows


def mark_conflict(form, saved_form) -> None:
    """Put the conflict on ``form``: message, table, status 409, and the saved version."""
    form.conflict_rows = conflict_rows(form, saved_form)
    if getattr(form, "version", None) is not None and "version" in saved_form:
        form.version.data = saved_form.version.data
    form.add_error(None, CONFLICT_MESSAGE)
    form.status_code = 409


def save(
    form,
    apply: Callable[[], Any],
    *,
    saved_form: Callable[[], Any] | None = None,
    flash_message: Callable[[Any], str] | str | None = None,
    redirect_to: Callable[[Any], str] | str,
    validate: bool = True,
) -> Response | None:
    """The save step of a form page. Returns the redirect after a successful save, or None:
    then render the form again (``render``), which now carries the errors or the conflict.

    ``apply`` makes the change through a service (flush, never commit) and answers what
    ``flash_message`` and ``redirect_to`` are given (a message, or a (message, category)
    pair; "success" by default). ``saved_form`` builds the same form
    from the record as saved now (call it with ``formdata=None``); it is called after the
    rollback, for the conflict table. Without it a conflict shows the message only.
    ``validate=False`` when the route has validated the form already.
    """
    if validate and not form.validate_on_submit():
        return None
    try:
        result = apply()
        db.session.flush()
        db.session.commit()
    except (EditConflict, StaleDataError):
        db.session.rollback()
        if saved_form is None:
            form.add_error(None, CONFLICT_MESSAGE)
            form.status_code = 409
        else:
            mark_conflict(form, saved_form())
        return None
    except DomainError as error:
        db.session.rollback()
        if error.keep:
            db.session.add_all(error.keep)
            db.session.commit()
        form.add_error(error.field, error.message)
        form.status_code = error.status_code
        form.domain_error = error  # for pages that show more of it (a duplicate's link)
        return None
    if flash_message is not None:
        message = flash_message(result) if callable(flash_message) else flash_message
        message, category = message if isinstance(message, tuple) else (message, "success")
        flash(message, category)
    target = redirect_to(result) if callable(redirect_to) else redirect_to
    return redirect(target, code=303)


def act(
    apply: Callable[[], Any],
    *,
    flash_message: Callable[[Any], Any] | str,
    redirect_to: str,
    refused: str = "error",
) -> Response:
    """The save step of a button without fields (archive, restore, publish): ``apply()`` (one
    service call) -> commit -> flash ``flash_message`` (as in ``save``) -> 303 redirect. A
    broken rule (DomainError) is rolled back and its message flashed (category ``refused``),
    to the same place."""
    try:
        result = apply()
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), refused)
    else:
        db.session.commit()
        message = flash_message(result) if callable(flash_message) else flash_message
        message, category = message if isinstance(message, tuple) else (message, "success")
        flash(message, category)
    return redirect(redirect_to, code=303)


def new_form(form_class, defaults: dict, **options):
    """The form of a page that adds something: on GET filled with ``defaults`` (what the new
    record starts with), on POST read from the request. ``options`` go to the form's
    constructor (its choices)."""
    if request.method == "GET":
        return form_class(data=defaults, **options)
    return form_class(**options)


def edit_form(form_class, record, **options):
    """The form of an edit page: on GET filled from ``record`` as saved
    (``form_class.data_from``), so ``save`` does nothing and the page shows it; on POST read
    from the request. ``options`` go to the form's constructor (its choices)."""
    if request.method == "GET":
        return form_class(data=form_class.data_from(record), **options)
    return form_class(**options)


def saved_form_of(form_class, load: Callable[[], Any], **options) -> Callable[[], Any]:
    """``save``'s ``saved_form`` for an edit page: the same form filled from the record as
    saved now (``load()`` reads it again after the rollback)."""
    return lambda: form_class(formdata=None, data=form_class.data_from(load()), **options)


def render(template: str, form, status: int | None = None, **context):
    """A form page with the status the form's state calls for (200, 409 or 422)."""
    status = status if status is not None else form.status_code
    context.setdefault("page_has_errors", form.has_errors)
    return render_template(template, form=form, **context), status


def check_upload(upload, confirm, check: Callable[[bytes], Any]) -> Any:
    """The upload step of a spreadsheet import (``core.forms.ImportForm``): read the file (one
    byte past ``spreadsheets.MAX_BYTES``, so the reader can refuse it), check its rows with
    ``check(data)``, and carry the file in ``confirm.payload`` for the confirmation. The rows,
    or None with the refusal on the file field."""
    data = upload.file.data.read(spreadsheets.MAX_BYTES + 1)
    try:
        rows = check(data)
    except DomainError as error:
        upload.add_error("file", error.message)
        return None
    confirm.payload.data = base64.b64encode(data).decode("ascii")
    return rows


def payload(confirm) -> bytes:
    """The file an import's confirmation carries (``check_upload``); ValueError when it is
    not base64."""
    return base64.b64decode(confirm.payload.data or "", validate=True)
