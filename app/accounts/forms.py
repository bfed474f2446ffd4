"""Account forms, one per use case."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)
from wtforms.widgets import TextInput

from app.accounts.enums import Language, Role
from app.core.forms import (
    BaseForm,
    CodeField,
    MultiCheckboxField,
    OptionalInteger,
    VersionField,
    record_data,
    required_choice,
)

LANGUAGE_CHOICES = [(lang.value, lang.label) for lang in Language]
ROLE_CHOICES = [(role.value, role.label) for role in Role]


class LoginForm(BaseForm):
    username = CodeField(
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
    language = required_choice(
        _l("Language"), _l("Choose a language."), field=RadioField, choices=LANGUAGE_CHOICES
    )
    # Shown only to a user linked to a register person (app/notices/reminders.py).
    wants_reminders = BooleanField(
        _l("Remind me the day before each activity I am expected at"),
        description=_l("By e-mail or SMS, if you have agreed to be contacted about changes."),
    )


class RecordNumberField(OptionalInteger):
    """A people-register record number, with a message of our own for non-digits. A text box
    with a numeric keyboard rather than ``type=number`` (no spinner, no scroll-wheel changes)."""

    widget = TextInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter the record number in digits, for example 125.")) from None

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # one message is enough: skip the range check


class AtLeastOne:
    """At least one box of a checkbox group ticked. Sets no field flag, so the boxes do not
    each get ``required`` (which would make every box compulsory); the form marks the group
    itself as required for the legend."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            raise StopValidation(self.message)


def _display_name_field():
    return StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Enter the name to show for this user.")),
            Length(max=120, message=_l("The name must have at most %(max)d characters.")),
        ],
    )


def _roles_field():
    return MultiCheckboxField(
        _l("Roles"),
        choices=ROLE_CHOICES,
        message=_l("Choose roles from the list."),
        validators=[AtLeastOne(_l("Choose at least one role."))],
    )


def _language_field():
    return required_choice(
        _l("Language"),
        _l("Choose a language."),
        field=RadioField,
        choices=LANGUAGE_CHOICES,
        default=Language.ZH_HANS.value,
    )


def _person_field():
    return RecordNumberField(
        _l("Person's record number"),
        validators=[
            Optional(),
            NumberRange(min=1, message=_l("Enter the record number in digits, for example 125.")),
        ],
    )


class _UserForm(BaseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The group needs a tick, so its legend must not say "(optional)".
        self.roles.flags.required = True


class UserCreateForm(_UserForm):
    # Fields are built in page order (the error summary lists them in this order).
    username = CodeField(
        _l("Username"),
        validators=[
            DataRequired(_l("Enter a username.")),
            Length(max=64, message=_l("The username must have at most %(max)d characters.")),
        ],
    )
    display_name = _display_name_field()
    roles = _roles_field()
    language = _language_field()
    person_id = _person_field()
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter a password."))])


class UserEditForm(_UserForm):
    version = VersionField()
    display_name = _display_name_field()
    roles = _roles_field()
    language = _language_field()
    person_id = _person_field()

    @staticmethod
    def data_from(user) -> dict:
        return {
            "display_name": user.display_name,
            "roles": [role.value for role in sorted(user.roles)],
            "language": str(user.language),
            **record_data(user, "person_id", "version"),
        }


class ResetPasswordForm(BaseForm):
    password = PasswordField(
        _l("New password"), validators=[InputRequired(_l("Enter a new password."))]
    )


class ConfirmForm(BaseForm):
    """A confirmation page's form: only the CSRF token."""


class UserFilterForm(BaseForm):
    """The filters above the users list (GET, so no CSRF token)."""

    class Meta:
        csrf = False

    role = SelectField(
        _l("Role"), choices=[("", _l("Any role")), *ROLE_CHOICES], default="", validate_choice=True
    )
    status = SelectField(
        _l("Status"),
        choices=[
            ("", _l("Active and deactivated")),
            ("active", _l("Active")),
            ("inactive", _l("Deactivated")),
        ],
        default="",
    )
