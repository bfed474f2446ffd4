"""The one form base every form uses, and shared fields.

- Free text is kept as typed (Chinese full-width punctuation "，。：" included): only trimmed,
  with control characters dropped. Identifiers and numbers (``CodeField``, phone numbers,
  whole numbers, dates, times) are also NFKC-normalised, so full-width ２００８ is 2008.
- CSRF is checked by the form itself, so an expired token re-renders the form with the
  user's input kept and a plain explanation instead of a bare 400 page.
- ``version`` carries the record's version for lost-update detection (EditConflict).
"""

from __future__ import annotations

import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.core import clock


def clean_text(value):
    """Free text as typed, trimmed, without control characters (newline and tab stay)."""
    if isinstance(value, str):
        # Pasted text carries control characters; they are never meant.
        value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc")
        return value.strip()
    return value


def normalise_text(value):
    """An identifier or a number as typed by people: NFKC (full-width ２００８ -> 2008,
    ＡＢ -> AB, "：" -> ":"), trimmed, without control characters."""
    if isinstance(value, str):
        return clean_text(unicodedata.normalize("NFKC", value))
    return value


class CodeField(StringField):
    """A code or number typed as text (certificate and register numbers, sport classes,
    user names, measurements): NFKC-normalised before validation."""


# Text fields whose input is an identifier or a number, not words.
CODE_FIELDS = (CodeField, TelField, EmailField)


CSRF_EXPIRED = _l(
    "This form was open for too long and expired, to keep your account safe. "
    "What you typed is still here: check it and send the form again."
)


class BaseForm(FlaskForm):
    # After a 409 (core.editing): (label, your value, saved value) of each field that differs.
    # None on every other page, so no form reached by GET shows the conflict panel.
    conflict_rows: list[tuple[str, str, str]] | None = None
    _status_code: int | None = None

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, (StringField, TextAreaField)) and not issubclass(
                field_class, PasswordField
            ):
                first = normalise_text if issubclass(field_class, CODE_FIELDS) else clean_text
                own = tuple(unbound_field.kwargs.get("filters", ()))
                options = {**options, "filters": (first, *own)}
            return unbound_field.bind(form=form, **options)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators=extra_validators)
        csrf = getattr(self, "csrf_token", None)
        if csrf is not None and csrf.errors:
            csrf.errors[:] = [CSRF_EXPIRED]
        return ok

    def add_error(self, field_name: str | None, message) -> None:
        """Attach a service's DomainError to its field (or to the form as a whole)."""
        field = getattr(self, field_name, None) if field_name else None
        if isinstance(field, Field):
            if not isinstance(field.errors, list):
                field.errors = list(field.errors)
            field.errors.append(message)
        else:
            self.form_errors.append(message)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or bool(self.form_errors)

    @property
    def status_code(self) -> int:
        """The page's status: 409 after an edit conflict, 422 with errors, else 200."""
        if self._status_code is not None:
            return self._status_code
        return 422 if self.has_errors else 200

    @status_code.setter
    def status_code(self, value: int) -> None:
        self._status_code = value


class VersionField(HiddenField):
    """The record version the form was built from."""

    def process_formdata(self, valuelist):
        try:
            self.data = int(valuelist[0]) if valuelist and valuelist[0] else None
        except ValueError:
            self.data = None


class DatePartsField(Field):
    """A date typed into three boxes: year, month, day (accessibility.md: no picker for
    birth dates). Inputs are ``<name>-year``, ``<name>-month`` and ``<name>-day``."""

    PARTS = ("year", "month", "day")

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.raw_parts = {part: "" for part in self.PARTS}
        self.invalid_parts: set[str] = set()

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        if data is unset_value or not isinstance(data, date):
            data = None  # no date (not WTForms' "unset" marker) when the form carries none
        self.object_data = data
        self.data = data
        if formdata is not None and any(f"{self.name}-{p}" in formdata for p in self.PARTS):
            self.raw_parts = {
                p: normalise_text(formdata.get(f"{self.name}-{p}", "")) for p in self.PARTS
            }
            self.data = None
            self._parse()
        elif isinstance(data, date):
            self.raw_parts = {
                "year": str(data.year),
                "month": str(data.month),
                "day": str(data.day),
            }

    def _parse(self) -> None:
        parts = self.raw_parts
        if not any(parts.values()):
            return
        missing = [p for p in self.PARTS if not parts[p]]
        if missing:
            self.invalid_parts = set(missing)
            self.process_errors.append(_l("Enter the date as year, month and day."))
            return
        try:
            year, month, day = (int(parts[p]) for p in self.PARTS)
        except ValueError:
            self.invalid_parts = {p for p in self.PARTS if not parts[p].isdigit()}
            self.process_errors.append(_l("Enter the date in numbers, for example 2008 5 17."))
            return
        if not 1900 <= year <= 2100:
            self.invalid_parts = {"year"}
            self.process_errors.append(_l("The year must have four digits, for example 2008."))
            return
        try:
            self.data = date(year, month, day)
        except (ValueError, OverflowError):  # OverflowError: a month or day of 20 digits
            self.invalid_parts = {"month", "day"}
            self.process_errors.append(_l("This date does not exist: check the month and day."))

    def first_part_id(self) -> str:
        return f"{self.id}-year"


class date_required:  # noqa: N801  (used like WTForms' validators: date_required(message))
    """A DatePartsField must hold a date. Sets the ``required`` flag, so the field's label
    does not say "optional"."""

    field_flags = {"required": True}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data is None:
            # A partly typed date already has its own message from DatePartsField.
            raise StopValidation("" if field.errors else self.message)


def not_in_future(form, field):
    if field.data and field.data > clock.today():
        raise ValidationError(_l("The date must not be in the future."))


class OptionalInteger(IntegerField):
    """An integer box where full-width digits and surrounding spaces are accepted."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [normalise_text(valuelist[0]).replace(",", "").replace(" ", "")]
            if not valuelist[0]:
                self.data = None
                return
        super().process_formdata(valuelist)


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (any number may be ticked). The form macro prints it inside a
    fieldset with the field's label as legend."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
