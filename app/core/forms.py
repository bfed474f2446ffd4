"""The one form base every form uses, and shared fields.

- Free text is kept as typed (Chinese full-width punctuation "，。：" included): only trimmed,
  with control characters dropped. Identifiers and numbers (``CodeField``, phone numbers,
  whole numbers, dates, times) are also NFKC-normalised, so full-width ２００８ is 2008.
- CSRF is checked by the form itself, so an expired token re-renders the form with the
  user's input kept and a plain explanation instead of a bare 400 page.
- ``version`` carries the record's version for lost-update detection (EditConflict).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    EmailField,
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, RadioInput

from app.core import clock
from app.core.numbers import parse_decimal, parse_whole


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


# "At most N characters" messages for the usual nouns: one msgid each, however many forms.
NAME_TOO_LONG = _l("The name must have at most %(max)d characters.")
TITLE_TOO_LONG = _l("The title must have at most %(max)d characters.")
REASON_TOO_LONG = _l("The reason must have at most %(max)d characters.")


def required_text(label, required, max_length: int, too_long, field=StringField, **kwargs):
    """A text box that must be filled in and holds at most ``max_length`` characters, each
    rule with its own message (``required``: what to enter; ``too_long``: e.g.
    NAME_TOO_LONG)."""
    validators = [InputRequired(required), Length(max=max_length, message=too_long)]
    return field(label, validators=validators, **kwargs)


class CodeField(StringField):
    """A code or number typed as text (certificate and register numbers, sport classes,
    user names, measurements): NFKC-normalised before validation."""


# Text fields whose input is an identifier or a number, not words.
CODE_FIELDS = (CodeField, TelField, EmailField)


CSRF_EXPIRED = _l(
    "This form was open for too long and expired, to keep your account safe. "
    "What you typed is still here: check it and send the form again."
)


def record_data(record, *names: str) -> dict:
    """The named attributes of ``record`` by name: an edit form's data (the reverse of
    ``BaseForm.data_of``)."""
    return {name: getattr(record, name) for name in names}


class BaseForm(FlaskForm):
    # After a 409 (core.editing): (label, your value, saved value) of each field that differs.
    # None on every other page, so no form reached by GET shows the conflict panel.
    conflict_rows: list[tuple[str, str, str]] | None = None
    # The DomainError of the last failed save (core.editing), when a page shows more of it.
    domain_error = None
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

    def data_of(self, *names: str) -> dict:
        """The data of the named fields by name: the keyword arguments of a service call."""
        return {name: self[name].data for name in names}

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


def required_date(label, required, **kwargs):
    """A date in three boxes that must be filled in (``required``: what to enter)."""
    return DatePartsField(label, validators=[date_required(required)], **kwargs)


def required_choice(label, required, field=SelectField, **kwargs):
    """A select box (or ``field=RadioField``) where something must be chosen (``required``:
    what to choose)."""
    return field(label, validators=[InputRequired(required)], **kwargs)


def not_in_future(form, field):
    if field.data and field.data > clock.today():
        raise ValidationError(_l("The date must not be in the future."))


class OptionalInteger(IntegerField):
    """A whole-number box read with core.numbers (full-width digits, spaces and thousands
    commas accepted: "1,200" is 1200). Empty is None; anything else is refused with
    ``invalid_message`` and the typed text stays in the box."""

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message or _l("Enter a whole number, for example 200.")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            # A generous bound (a 5,000-digit paste is refused, not computed); columns and
            # services check their own ranges with their own messages.
            self.data = parse_whole(valuelist[0], limit=10**40)
        except ValueError:
            self.data = None
            raise ValueError(self.invalid_message) from None


_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])|([01][0-9]|2[0-3])([0-5][0-9])")
TIME_MESSAGE = _l("Enter the time as hours and minutes, for example 09:30.")


def parse_time(text) -> time | None:
    """A wall-clock time as people type it: 9:30, 09:30, 9.30, 0930, ９：３０ (24-hour).
    None when empty; ValueError when it is not a time."""
    text = normalise_text(text or "").replace(" ", "")
    if not text:
        return None
    match = _TIME.fullmatch(text)
    if not match:
        raise ValueError(f"not a time: {text!r}")
    hours, minutes = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
    return time(int(hours), int(minutes))


class TimeField(CodeField):
    """A wall-clock time typed as hours and minutes (``parse_time``). ``data`` is a
    ``datetime.time`` or None; the box shows what was typed after an error, HH:MM otherwise.
    Required or not by its validators (InputRequired sets the flag and the message)."""

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message or TIME_MESSAGE

    def process_data(self, value):
        if isinstance(value, str):
            try:
                value = parse_time(value)
            except ValueError:
                value = None
        self.data = value if isinstance(value, time) else None

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_time(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(self.invalid_message) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if isinstance(self.data, time) else ""

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # one message is enough


class DecimalText(CodeField):
    """A number typed as text, read with core.numbers; ``number`` is the Decimal, or None
    when empty or unreadable (then the field reports ``invalid_message``). The text is kept
    as typed, so "36.20" keeps its two places."""

    def __init__(self, *args, invalid_message=None, limit=10**8, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message or _l("Enter a number, for example 12.5.")
        self.limit = limit

    @property
    def number(self):
        try:
            return parse_decimal(self.data, limit=self.limit)
        except ValueError:
            return None

    def post_validate(self, form, validation_stopped):
        if not validation_stopped and self.data and self.number is None:
            self.errors.append(self.invalid_message)


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes (any number may be ticked). The form macro prints it inside a
    fieldset with the field's label as legend. A value that is not among the offered choices
    stops validation with ``message`` (ours, translated; not WTForms' English "'6' is not a
    valid choice for this field.")."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message or _l("Choose from the list.")

    def offer_one(self, label=None) -> None:
        """Offer the choices as radio buttons, where exactly one may be chosen (an individual
        event's athlete, where a team event takes several): the macro prints radios, ``data``
        stays a list (of one)."""
        self.option_widget = RadioInput()
        self.type = "RadioField"
        if label is not None:
            self.label.text = label

    def pre_validate(self, form):
        if not self.validate_choice:  # the form checks the values itself
            return
        offered = {str(choice[0]) for choice in self.choices or ()}
        if any(str(value) not in offered for value in self.data or ()):
            raise StopValidation(self.message)


class ImportForm(BaseForm):
    """The upload step of a spreadsheet import (core.editing.check_upload)."""

    file = FileField(
        _l("Spreadsheet file (CSV or .xlsx)"),
        validators=[FileRequired(_l("Choose the file to import."))],
    )


class ConfirmImportForm(BaseForm):
    """The confirmation of an import: it carries the checked file (core.editing.payload)."""

    payload = HiddenField()
