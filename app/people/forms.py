"""Forms of the people register, one per use case. Choices that come from the database
(towns) are filled in by the route."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.core.forms import (
    BaseForm,
    CodeField,
    DatePartsField,
    OptionalInteger,
    VersionField,
    date_required,
    not_in_future,
    required_choice,
)
from app.people.enums import (
    ConsentGivenBy,
    ConsentKind,
    DisabilityCategory,
    DisabilityGrade,
    Gender,
    GuardianRelation,
)
from app.people.queries import ARCHIVED_CHOICES

PHONE = re.compile(r"\+?[\d\s\-()]{5,30}")


class CertificateField(CodeField):
    """A certificate number: an edit-conflict table shows it masked, never whole. On the
    edit form an empty box keeps the recorded number (``recorded``, masked)."""

    recorded = ""

    def shown(self) -> str:
        from app.people import certificate

        return certificate.mask(self.data) if self.data else self.recorded


def phone_number(form, field):
    if field.data and not (
        PHONE.fullmatch(field.data) and sum(ch.isdigit() for ch in field.data) >= 5
    ):
        raise ValidationError(
            _l("Enter a phone number in digits, for example 0574 8888 1234 or 138 0000 0000.")
        )


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_address(form, field):
    if field.data and not EMAIL.match(field.data.strip()):
        raise ValidationError(_l("Enter an e-mail address such as name@example.cn."))


# WeChat does not document an openid's format; an Official Account's openids are 28
# characters of letters, digits, "-" and "_" (starting with "o"). Accepted: 16 to 64 of those
# characters, so a mistyped or pasted-with-text value is refused and an unusual one is not.
OPENID = re.compile(r"[A-Za-z0-9_-]{16,64}")


def wechat_openid(form, field):
    if field.data and not OPENID.fullmatch(field.data.strip()):
        raise ValidationError(
            _l(
                "Enter the openid exactly as the Official Account shows it: letters, digits, "
                "“-” and “_”, usually 28 characters starting with “o”."
            )
        )


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ChoiceField(SelectField):
    """A select whose value is trimmed (a blank choice made of spaces is no choice)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs["filters"] = (_strip, *kwargs.get("filters", ()))
        super().__init__(label, validators, **kwargs)


def _not_recorded_choice(label, enum):
    """An optional select of ``enum``'s values, blank meaning "Not recorded"."""
    return ChoiceField(label, choices=enum.choices(_l("Not recorded")), validators=[Optional()])


class PersonForm(BaseForm):
    name = StringField(
        _l("Name"),
        validators=[InputRequired(_l("Enter the person's name.")), Length(max=100)],
    )
    name_pinyin = StringField(_l("Name in pinyin"), validators=[Optional(), Length(max=200)])
    gender = required_choice(
        _l("Gender"), _l("Choose the person's gender."), field=RadioField, choices=Gender.choices()
    )
    birth_on = DatePartsField(
        _l("Date of birth"),
        validators=[date_required(_l("Enter the date of birth.")), not_in_future],
    )
    town_id = ChoiceField(
        _l("Town or sub-district"),
        choices=[],
        validators=[InputRequired(_l("Choose the town or sub-district where the person lives."))],
    )
    phone = TelField(_l("Phone number"), validators=[Optional(), Length(max=40), phone_number])
    email = EmailField(
        _l("E-mail address"),
        description=_l("Used only to tell them about changes, with their consent."),
        validators=[Optional(), Length(max=254), email_address],
    )
    wechat_openid = StringField(
        _l("WeChat openid"),
        description=_l(
            "Their openid with the federation's Official Account, for WeChat notices with "
            "their consent."
        ),
        validators=[Optional(), Length(max=64), wechat_openid],
    )
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    wants_reminders = BooleanField(
        _l("Send them a reminder the day before each activity they are expected at"),
        description=_l(
            "Asked by the person, or by their caregiver for them. Sent only with their "
            "consent to be contacted; a caregiver gets the reminder too."
        ),
    )
    disability_category = _not_recorded_choice(_l("Disability category"), DisabilityCategory)
    disability_grade = _not_recorded_choice(_l("Disability grade"), DisabilityGrade)
    certificate_number = CertificateField(
        _l("Disability certificate number"), validators=[Optional(), Length(max=40)]
    )
    guardian_name = StringField(
        _l("Guardian or caregiver's name"), validators=[Optional(), Length(max=100)]
    )
    guardian_relation = _not_recorded_choice(_l("Their relation to the person"), GuardianRelation)
    guardian_phone = TelField(
        _l("Guardian or caregiver's phone number"),
        validators=[Optional(), Length(max=40), phone_number],
    )
    guardian_person_id = OptionalInteger(
        _l("Guardian's register number"),
        validators=[
            Optional(),
            NumberRange(
                1, 2**31 - 1, _l("Enter the register number shown on the guardian's page.")
            ),
        ],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])

    def person_data(self) -> dict:
        """The person fields the services accept (services.PERSON_FIELDS)."""
        return {
            "name": self.name.data,
            "name_pinyin": self.name_pinyin.data or "",
            "gender": self.gender.data,
            "birth_on": self.birth_on.data,
            "town_id": self.town_id.data or None,
            "phone": self.phone.data or "",
            "email": (self.email.data or "").strip(),
            "wechat_openid": (self.wechat_openid.data or "").strip(),
            "address": self.address.data or "",
            "disability_category": self.disability_category.data or None,
            "disability_grade": self.disability_grade.data or None,
            "guardian_name": self.guardian_name.data or "",
            "guardian_relation": self.guardian_relation.data or None,
            "guardian_phone": self.guardian_phone.data or "",
            "guardian_person_id": self.guardian_person_id.data,
            "notes": self.notes.data or "",
            "wants_reminders": bool(self.wants_reminders.data),
        }


CONSENT_NONE = "none"


class NewPersonForm(PersonForm):
    consent_given_by = required_choice(
        _l("Consent to collect disability and health information"),
        _l("Say whether consent to collect this information was given."),
        field=RadioField,
        choices=[
            (ConsentGivenBy.SELF.value, _l("Given by the person")),
            (ConsentGivenBy.GUARDIAN.value, _l("Given by their guardian")),
            (CONSENT_NONE, _l("Not given yet")),
        ],
    )
    consent_given_on = DatePartsField(_l("Date the consent was given"), validators=[not_in_future])
    consent_notice_version = CodeField(
        _l("Privacy notice version"), validators=[Optional(), Length(max=40)]
    )

    def consent_data(self) -> dict | None:
        if self.consent_given_by.data in (None, "", CONSENT_NONE):
            return None
        return {
            "given_on": self.consent_given_on.data,
            "given_by": self.consent_given_by.data,
            "notice_version": self.consent_notice_version.data or "",
        }


class EditPersonForm(PersonForm):
    remove_certificate = BooleanField(_l("Remove the recorded certificate number"))
    version = VersionField()


class SearchForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or pinyin"), validators=[Optional(), Length(max=100)])
    town = ChoiceField(_l("Town or sub-district"), choices=[], validators=[Optional()])
    category = ChoiceField(
        _l("Disability category"),
        choices=DisabilityCategory.choices(_l("All categories")),
        validators=[Optional()],
    )
    archived = ChoiceField(
        _l("Records"),
        choices=list(
            zip(
                ARCHIVED_CHOICES,
                (_l("Current records"), _l("Archived records"), _l("All records")),
                strict=True,
            )
        ),
        default="current",
        validators=[Optional()],
    )


class ConsentForm(BaseForm):
    kind = required_choice(
        _l("What the consent is for"),
        _l("Choose what the consent is for."),
        field=RadioField,
        choices=ConsentKind.choices(),
    )
    given_on = DatePartsField(
        _l("Date the consent was given"),
        validators=[date_required(_l("Enter the date the consent was given.")), not_in_future],
    )
    given_by = required_choice(
        _l("Who gave the consent"),
        _l("Choose who gave the consent."),
        field=RadioField,
        choices=ConsentGivenBy.choices(),
    )
    guardian_name = StringField(_l("Guardian's name"), validators=[Optional(), Length(max=100)])
    notice_version = CodeField(
        _l("Privacy notice version"),
        validators=[InputRequired(_l("Enter the privacy notice version.")), Length(max=40)],
    )


class WithdrawConsentForm(BaseForm):
    withdrawn_on = DatePartsField(
        _l("Date the consent was withdrawn"),
        validators=[date_required(_l("Enter the date the consent was withdrawn.")), not_in_future],
    )
