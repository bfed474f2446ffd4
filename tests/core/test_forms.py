"""The form base: normalised input, three-box dates, CSRF expiry keeps input."""

from datetime import date

from werkzeug.datastructures import MultiDict
from wtforms import PasswordField, StringField

from app.core.forms import BaseForm, DatePartsField, normalise_text


class SampleForm(BaseForm):
    name = StringField("Name")
    secret = PasswordField("Secret")
    born = DatePartsField("Born")


def test_normalise_text_nfkc_trim_and_controls():
    assert normalise_text("  ２００８ ") == "2008"
    assert normalise_text("ＡＢＣ\x00x\u200b") == "ABCx\u200b"
    assert normalise_text("line1\nline2") == "line1\nline2"


def test_text_fields_are_normalised_passwords_are_not(app):
    with app.test_request_context():
        form = SampleForm(MultiDict({"name": " 张 三 ", "secret": " ｐａｓｓ "}))
        assert form.name.data == "张 三"
        assert form.secret.data == " ｐａｓｓ "


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
