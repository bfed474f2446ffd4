"""Account forms, one per use case."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from app.accounts.enums import Language
from app.core.forms import BaseForm


class LoginForm(BaseForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(_l("Enter your username.")), Length(max=64)]
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(_l("Enter your password.")), Length(max=256)]
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Enter your current password."))]
    )
    password = PasswordField(
        _l("New password"), validators=[InputRequired(_l("Enter a new password."))]
    )


class PreferencesForm(BaseForm):
    language = RadioField(
        _l("Language"),
        choices=[(lang.value, lang.label) for lang in Language],
        validators=[InputRequired(_l("Choose a language."))],
    )
