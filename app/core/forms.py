"""The one form base every form uses, and shared fields.

- Text input is trimmed and NFKC-normalised (full-width ２００８ -> 2008) before validation.
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
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


def normalise_text(value):
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value)
        # Drop control characters except newline and tab (pasted text carries them).
        value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc")
        return value.strip()
    return value


CSRF_EXPIRED = _l(
    "This form was open for too long and expired, to keep your account safe. "
    "What you typed is still here: check it and send the form again."
)


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, (StringField, TextAreaField)) and not issubclass(
                field_class, PasswordField
            ):
                own = tuple(unbound_field.kwargs.get("filters", ()))
                options = {**options, "filters": (normalise_text, *own)}
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

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
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


def not_in_future(form, field):
    if field.data and field.data > date.today():
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
