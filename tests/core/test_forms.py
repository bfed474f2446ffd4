"""The form base: normalised input, three-box dates, CSRF expiry keeps input."""

from datetime import date, time

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from app.core.forms import (
    BaseForm,
    CodeField,
    DatePartsField,
    TimeField,
    normalise_text,
    parse_time,
)


class SampleForm(BaseForm):
    name = StringField("Name")
    secret = PasswordField("Secret")
    born = DatePartsField("Born")


def test_normalise_text_nfkc_trim_and_controls():
    assert normalise_text("  ２００８ ") == "2008"
    assert normalise_text("ＡＢＣ\x00x\u200b") == "ABCx\u200b"
    assert normalise_text("line1\nline2") == "line1\nline2"


class TextForm(BaseForm):
    notes = TextAreaField("Notes")
    code = CodeField("Code")


def test_text_fields_are_trimmed_passwords_are_not(app):
    with app.test_request_context():
        form = SampleForm(MultiDict({"name": " 张 三 ", "secret": " ｐａｓｓ "}))
        assert form.name.data == "张 三"
        assert form.secret.data == " ｐａｓｓ "


def test_free_text_is_kept_as_typed_codes_are_normalised(app):
    """Issue 12, item 9: "场地测评，状态良好" was saved as "场地测评,状态良好"."""
    with app.test_request_context():
        form = TextForm(
            MultiDict({"notes": " 场地测评，状态良好（１号场）。\x07", "code": " ＷＦ１ "})
        )
        form.validate()
        assert form.notes.data == "场地测评，状态良好（１号场）。"
        assert form.code.data == "WF1"


def test_date_parts_accept_full_width_and_reject_impossible(app):
    with app.test_request_context():
        form = SampleForm(MultiDict({"born-year": "２００８", "born-month": "5", "born-day": "17"}))
        form.validate()
        assert form.born.data == date(2008, 5, 17)
        assert form.born.errors == []

        form = SampleForm(MultiDict({"born-year": "2008", "born-month": "2", "born-day": "30"}))
        form.validate()
        assert form.born.data is None
        assert [str(e) for e in form.born.errors] == [
            "This date does not exist: check the month and day."
        ]
        assert form.born.raw_parts == {"year": "2008", "month": "2", "day": "30"}

        # A month or day of 20 digits overflows date(): the same message, not a 500.
        form = SampleForm(MultiDict({"born-year": "2008", "born-month": "9" * 20, "born-day": "3"}))
        form.validate()
        assert [str(e) for e in form.born.errors] == [
            "This date does not exist: check the month and day."
        ]

        form = SampleForm(MultiDict({"born-year": "2008", "born-month": "", "born-day": "3"}))
        form.validate()
        assert [str(e) for e in form.born.errors] == ["Enter the date as year, month and day."]
        assert form.born.invalid_parts == {"month"}


def test_expired_csrf_token_keeps_input_and_explains(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with app.test_request_context(method="POST", data={"name": "王五", "csrf_token": "stale"}):
            form = SampleForm()
            assert form.validate() is False
            assert form.name.data == "王五"
            assert str(form.csrf_token.errors[0]).startswith("This form was open for too long")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9:30", time(9, 30)),
        ("09:30", time(9, 30)),
        ("9.30", time(9, 30)),
        ("0930", time(9, 30)),
        ("９：３０", time(9, 30)),
        (" 23:59 ", time(23, 59)),
        ("0:00", time(0, 0)),
        ("", None),
    ],
)
def test_times_people_type(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["24:00", "9:60", "930", "9", "nine", "9：3", "12:30pm"])
def test_what_is_not_a_time_is_refused(typed):
    with pytest.raises(ValueError):
        parse_time(typed)


class TimesForm(BaseForm):
    start = TimeField("Start", validators=[InputRequired("Enter the start time.")])
    end = TimeField("End", validators=[Optional()])


def test_time_field_reads_keeps_input_and_is_required_by_its_validator(app):
    with app.test_request_context(method="POST", data={"start": "9.5", "end": "１７：００"}):
        form = TimesForm(meta={"csrf": False})
        assert not form.validate()
        assert form.start.errors == ["Enter the time as hours and minutes, for example 09:30."]
        assert 'value="9.5"' in form.start()
        assert form.end.data == time(17, 0)
        assert form.start.flags.required and not form.end.flags.required
    with app.test_request_context(method="POST", data={"start": "", "end": ""}):
        form = TimesForm(meta={"csrf": False})
        assert not form.validate()
        assert form.start.errors == ["Enter the start time."]
        assert form.end.data is None
    with app.test_request_context():
        form = TimesForm(
            formdata=None, data={"start": time(8, 5), "end": "14:00"}, meta={"csrf": False}
        )
        assert 'value="08:05"' in form.start() and 'value="14:00"' in form.end()
