"""Forms of the performances domain. Choices are filled by the route; the services refuse
anything else. Times are typed as a Beijing day and HH:MM; the form turns them into UTC."""

from __future__ import annotations

import re
from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.core import clock, notify
from app.core.forms import (
    NAME_TOO_LONG,
    TITLE_TOO_LONG,
    BaseForm,
    CodeField,
    MultiCheckboxField,
    OptionalInteger,
    VersionField,
    record_data,
    required_choice,
    required_date,
    required_text,
)
from app.performances.enums import AccessNeed, BookingRole, PerformanceStatus, Setting, TroupeRole

TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def _int_or_none(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _time(form, field, message) -> time | None:
    text = (field.data or "").replace("：", ":").strip()
    match = TIME.fullmatch(text)
    if not match:
        form.add_error(field.name, message)
        return None
    return time(int(match.group(1)), int(match.group(2)))


class PerformanceForm(BaseForm):
    title = required_text(_l("Title"), _l("Enter the performance's title."), 200, TITLE_TOO_LONG)
    # No programme, setting or venue is preselected: the user chooses (issue 12 item 7).
    programme_id = required_choice(
        _l("Programme"), _l("Choose the programme."), coerce=_int_or_none
    )
    troupe_id = SelectField(_l("Troupe"), coerce=_int_or_none, validators=[Optional()])
    setting = required_choice(
        _l("Setting"),
        _l("Choose the setting."),
        choices=[("", _l("Choose a setting")), *Setting.choices()],
    )
    venue_id = required_choice(_l("Venue"), _l("Choose the venue."), coerce=_int_or_none)
    day = required_date(_l("Day (Beijing time)"), _l("Enter the day of the performance."))
    start_time = CodeField(
        _l("Start time"), validators=[InputRequired(_l("Enter the start time.")), Length(max=5)]
    )
    end_time = CodeField(
        _l("End time"), validators=[InputRequired(_l("Enter the end time.")), Length(max=5)]
    )
    status = required_choice(
        _l("Status"), _l("Choose the status."), choices=PerformanceStatus.choices()
    )
    is_public = BooleanField(_l("Public: show it on the public agenda once confirmed"))
    needs = MultiCheckboxField(
        _l("Accessibility promised"), choices=AccessNeed.choices(), validators=[Optional()]
    )
    wheelchair_ids = MultiCheckboxField(
        _l("Performers who use a wheelchair"), coerce=int, validators=[Optional()]
    )
    guest_names = TextAreaField(
        _l("Guest performers without a register record"),
        validators=[Optional(), Length(max=1000)],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])
    audience = OptionalInteger(_l("Audience"), validators=[Optional()])
    audience_disabled = OptionalInteger(
        _l("Of which people with disabilities"), validators=[Optional()]
    )
    beneficiaries = OptionalInteger(_l("Beneficiaries (person-times)"), validators=[Optional()])
    report = TextAreaField(_l("Short report"), validators=[Optional(), Length(max=4000)])
    reschedule_reason = StringField(
        _l("Reason for a change of time"), validators=[Optional(), Length(max=300)]
    )
    override_reason = TextAreaField(
        _l("Reason to save despite clashes"), validators=[Optional(), Length(max=1000)]
    )
    tell_people = notify.tell_field()
    version = VersionField()

    # (person_id, label) of the people who can be booked; one role_<id> select each.
    pool: list[tuple[int, str]] = []

    @classmethod
    def with_pool(cls, pool: list[tuple[int, str]]):
        """A form class with one role select per person of ``pool``."""
        attrs = {"pool": pool}
        for person_id, label in pool:
            attrs[f"role_{person_id}"] = SelectField(
                label,
                choices=[("", _l("Not booked")), *BookingRole.choices()],
                validators=[Optional()],
            )
        return type("PerformanceFormWithPool", (cls,), attrs)

    def __init__(self, *args, programmes=(), troupes=(), venues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_id.choices = [
            ("", _l("Choose a programme")),
            *((p.id, p.name) for p in programmes),
        ]
        self.troupe_id.choices = [(None, _l("No troupe")), *((t.id, t.name) for t in troupes)]
        self.venue_id.choices = [
            ("", _l("Choose a venue")),
            *((v.id, f"{v.name} ({v.town.display_name})" if v.town else v.name) for v in venues),
        ]
        self.wheelchair_ids.choices = list(self.pool)

    def role_fields(self):
        return [getattr(self, f"role_{pid}") for pid, _label in self.pool]

    def schedule(self) -> tuple[datetime, datetime] | None:
        if self.day.data is None:
            return None
        # Each message names its box: the error summary lists both, apart from their boxes.
        start = _time(
            self, self.start_time, _l("Write the start time as hours:minutes, for example 09:30.")
        )
        end = _time(
            self, self.end_time, _l("Write the end time as hours:minutes, for example 11:00.")
        )
        if start is None or end is None:
            return None
        starts_at = clock.local_instant(self.day.data, start)
        ends_at = clock.local_instant(self.day.data, end)
        return starts_at, ends_at

    def people(self) -> list[dict]:
        chairs = set(self.wheelchair_ids.data or ())
        rows = []
        for person_id, _label in self.pool:
            role = getattr(self, f"role_{person_id}").data
            if role:
                rows.append(
                    {"person_id": person_id, "role": role, "uses_wheelchair": person_id in chairs}
                )
        for line in (self.guest_names.data or "").splitlines():
            if line.strip():
                rows.append({"person_id": None, "name": line.strip(), "role": "performer"})
        return rows

    def service_values(self) -> dict | None:
        schedule = self.schedule()
        if schedule is None:
            return None
        return {
            **self.data_of(
                "title",
                "programme_id",
                "troupe_id",
                "setting",
                "venue_id",
                "status",
                "is_public",
                "notes",
                "audience",
                "audience_disabled",
                "beneficiaries",
                "report",
                "reschedule_reason",
            ),
            "starts_at": schedule[0],
            "ends_at": schedule[1],
            "needs": self.needs.data or [],
            "people": self.people(),
        }

    @staticmethod
    def data_from(performance) -> dict:
        start = clock.to_local(performance.starts_at)
        end = clock.to_local(performance.ends_at)
        data = {
            **record_data(performance, "title", "programme_id", "troupe_id", "venue_id"),
            "setting": performance.setting.value,
            "day": start.date(),
            "start_time": start.strftime("%H:%M"),
            "end_time": end.strftime("%H:%M"),
            "status": performance.status.value,
            "is_public": performance.is_public,
            "needs": [n.value for n in performance.needs],
            "wheelchair_ids": [
                p.person_id for p in performance.people if p.uses_wheelchair and p.person_id
            ],
            "guest_names": "\n".join(p.name for p in performance.people if p.person_id is None),
            **record_data(
                performance,
                "notes",
                "audience",
                "audience_disabled",
                "beneficiaries",
                "report",
                "version",
            ),
        }
        for p in performance.people:
            if p.person_id is not None:
                data[f"role_{p.person_id}"] = p.role.value
        return data


class AfterShowForm(BaseForm):
    """The after-show report on its own (issue 12 item 14): the figures and the short report,
    and whether the performance took place (it then counts as held in the statistics)."""

    held = BooleanField(_l("The performance took place: count it as held"))
    audience = OptionalInteger(_l("Audience"), validators=[Optional()])
    audience_disabled = OptionalInteger(
        _l("Of which people with disabilities"), validators=[Optional()]
    )
    beneficiaries = OptionalInteger(_l("Beneficiaries (person-times)"), validators=[Optional()])
    report = TextAreaField(_l("Short report"), validators=[Optional(), Length(max=4000)])
    version = VersionField()

    def service_values(self) -> dict:
        return self.data_of("held", "audience", "audience_disabled", "beneficiaries", "report")

    @staticmethod
    def data_from(performance) -> dict:
        from app.performances.enums import PerformanceStatus

        return {
            # Done, or confirmed and started: it took place unless the user says otherwise.
            "held": performance.status is PerformanceStatus.DONE
            or (
                performance.status is PerformanceStatus.CONFIRMED
                and performance.starts_at <= clock.now()
            ),
            **record_data(
                performance, "audience", "audience_disabled", "beneficiaries", "report", "version"
            ),
        }


class ProgrammeForm(BaseForm):
    name = required_text(
        _l("Programme name"), _l("Enter the programme's name."), 160, NAME_TOO_LONG
    )
    first_year = OptionalInteger(
        _l("First year"), validators=[InputRequired(_l("Enter the first year as four digits."))]
    )
    last_year = OptionalInteger(_l("Last year"), validators=[Optional()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    organiser_ids = MultiCheckboxField(
        _l("Responsible organisers"),
        coerce=int,
        validators=[InputRequired(_l("Choose at least one responsible organiser."))],
    )
    version = VersionField()

    def __init__(self, *args, organisers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organiser_ids.choices = [(u.id, u.display_name) for u in organisers]

    def service_values(self) -> dict:
        return {
            **self.data_of("name", "first_year", "last_year", "description"),
            "organiser_ids": self.organiser_ids.data or [],
        }

    @staticmethod
    def data_from(programme) -> dict:
        return {
            **record_data(programme, "name", "first_year", "last_year", "description"),
            "organiser_ids": [u.id for u in programme.organisers],
            "version": programme.version,
        }


class TroupeForm(BaseForm):
    name = required_text(_l("Troupe name"), _l("Enter the troupe's name."), 160, NAME_TOO_LONG)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])
    version = VersionField()

    @staticmethod
    def data_from(troupe) -> dict:
        return {"name": troupe.name, "notes": troupe.notes, "version": troupe.version}


class MemberForm(BaseForm):
    person_id = OptionalInteger(
        _l("Register number"),
        validators=[InputRequired(_l("Enter the person's register number."))],
    )
    birth_on = required_date(_l("Date of birth"), _l("Enter the person's date of birth."))
    role = required_choice(
        _l("Role in the troupe"),
        _l("Choose the member's role."),
        choices=[("", _l("Choose a role")), *TroupeRole.choices()],
    )


class RemoveMemberForm(BaseForm):
    """The CSRF token of a remove button."""


class PhotoForm(BaseForm):
    photo = FileField(
        _l("Photo (JPEG or PNG, at most 5 MB)"),
        validators=[FileRequired(_l("Choose the photo to upload."))],
    )
    alt_text = StringField(
        _l("Description of the photo for people who cannot see it"),
        validators=[
            InputRequired(_l("Describe the photo: what it shows, for people who cannot see it.")),
            Length(max=300, message=_l("The description must have at most %(max)d characters.")),
        ],
    )
