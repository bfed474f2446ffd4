"""Forms of the homes pages. Choices are filled by the route; the services refuse anything
else. Times are typed as HH:MM in Beijing time."""

from __future__ import annotations

import re
from datetime import time

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, StopValidation

from app.core import notify
from app.core.forms import (
    REASON_TOO_LONG,
    TITLE_TOO_LONG,
    BaseForm,
    CodeField,
    DatePartsField,
    MultiCheckboxField,
    OptionalInteger,
    VersionField,
    record_data,
    required_date,
    required_text,
)
from app.homes.enums import ActivityKind, HomeKind, LeftReason, Service

TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
WEEKDAY_LABELS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


class TimeText(CodeField):
    """A time typed as HH:MM (9:00, 09:00 and 9.00 are accepted); ``.time`` holds it."""

    def __init__(self, label=None, validators=None, required_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.required_message = required_message
        if required_message:
            self.flags.required = True  # the label does not say "optional"
        self.time: time | None = None

    def pre_validate(self, form):
        self.time = None
        text = (self.data or "").strip()
        if not text:
            if self.required_message:
                raise StopValidation(self.required_message)
            return
        match = TIME.match(text)
        if not match:
            raise StopValidation(_l("Enter the time as hours and minutes, for example 09:30."))
        self.time = time(int(match.group(1)), int(match.group(2)))


class ListedChoice(SelectField):
    """A select whose value must be one of the offered choices (compared as text), with a
    message of our own; anything else (another id, a 20-digit number) stops validation."""

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        super().__init__(label, validators, coerce=str, **kwargs)
        self.message = message

    def pre_validate(self, form):
        if (self.data or "") not in {str(value) for value, _label in self.choices or ()}:
            raise StopValidation(self.message)


class AtLeastOne:
    """A group of checkboxes where at least one must be ticked (sets the required flag)."""

    field_flags = {"required": True}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            raise StopValidation(self.message)


def listed_id(value: str) -> int | None:
    """The id of a ListedChoice value ("" is None)."""
    return int(value) if value and value.isascii() and value.isdigit() else None


def time_text(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""


class ActivityForm(BaseForm):
    taken_over: tuple = ()  # after a conflict (app.homes.merge)
    title = required_text(_l("Title"), _l("Enter the activity's title."), 120, TITLE_TOO_LONG)
    kind = ListedChoice(
        _l("Kind of activity"),
        choices=ActivityKind.choices(),
        message=_l("Choose the kind of activity from the list."),
        validators=[InputRequired(_l("Choose the kind of activity from the list."))],
    )
    venue_id = ListedChoice(_l("Venue"), message=_l("Choose a venue from the list."))
    leader_person_id = ListedChoice(
        _l("Activity leader"),
        message=_l("Choose a leader from the list: a member of the home's staff."),
    )
    first_day = required_date(_l("First day"), _l("Enter the first day of the series."))
    start_time = TimeText(_l("Start time"), required_message=_l("Enter the start time."))
    end_time = TimeText(_l("End time"), required_message=_l("Enter the end time."))
    weekdays = MultiCheckboxField(
        _l("Days of the week"),
        coerce=int,
        message=_l("Choose the days from the list."),
        validators=[AtLeastOne(_l("Choose at least one day of the week."))],
    )
    interval = OptionalInteger(_l("Repeat every how many weeks"), validators=[Optional()])
    ends = RadioField(
        _l("The series ends"),
        choices=[("until", _l("On a last date")), ("count", _l("After a number of sessions"))],
        default="until",
        validate_choice=False,
    )
    until_on = DatePartsField(_l("Last date"))
    count = OptionalInteger(_l("Number of sessions"), validators=[Optional()])
    # Edit only (the create view removes it): from which day a change of days or times
    # applies; empty means the next session (app.homes.series).
    change_from = DatePartsField(_l("Changes to days and times apply from"))
    capacity = OptionalInteger(_l("Places"), validators=[Optional()])
    is_public = BooleanField(_l("Public: anyone may see this activity and its times"))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    tell_people = notify.tell_field()
    version = VersionField()

    def __init__(self, *args, venues=(), leaders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.weekdays.choices = list(enumerate(WEEKDAY_LABELS))
        self.venue_id.choices = [("", _l("The home's own venue"))] + list(venues)
        self.leader_person_id.choices = [("", _l("No leader named"))] + list(leaders)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.capacity.data is not None and not 0 <= self.capacity.data <= 10000:
            self.capacity.errors.append(_l("Enter a number of places from 0 to 10000."))
            ok = False
        if self.interval.data is not None and not 1 <= self.interval.data <= 8:
            self.interval.errors.append(_l("Repeat every 1 to 8 weeks."))
            ok = False
        if self.ends.data == "until" and self.until_on.data is None and not self.until_on.errors:
            self.until_on.errors.append(_l("Enter the last date of the series."))
            ok = False
        if self.ends.data == "count" and self.count.data is None and not self.count.errors:
            self.count.errors.append(_l("Enter the number of sessions."))
            ok = False
        if self.ends.data not in ("until", "count"):
            self.ends.errors.append(_l("Choose how the series ends."))
            ok = False
        return ok

    def schedule(self):
        from app.homes.services import Schedule

        return Schedule(
            first_day=self.first_day.data,
            start_time=self.start_time.time,
            end_time=self.end_time.time,
            weekdays=tuple(self.weekdays.data or ()),
            interval=self.interval.data or 1,
            until_on=self.until_on.data if self.ends.data == "until" else None,
            count=self.count.data if self.ends.data == "count" else None,
        )

    def service_values(self) -> dict:
        return {
            **self.data_of("title", "capacity", "is_public", "description"),
            "kind": ActivityKind(self.kind.data),
            "venue_id": listed_id(self.venue_id.data),
            "leader_person_id": listed_id(self.leader_person_id.data),
        }

    @staticmethod
    def data_from(activity) -> dict:
        from app.homes.services import Schedule

        schedule = Schedule.of(activity)
        return {
            "title": activity.title,
            "kind": activity.kind.value,
            "venue_id": "" if activity.uses_home_venue else str(activity.venue_id or ""),
            "leader_person_id": str(activity.leader_person_id or ""),
            "first_day": schedule.first_day,
            "start_time": time_text(schedule.start_time),
            "end_time": time_text(schedule.end_time),
            "weekdays": list(schedule.weekdays),
            "interval": schedule.interval,
            "ends": "count" if schedule.count else "until",
            **record_data(schedule, "until_on", "count"),
            **record_data(activity, "capacity", "is_public", "description", "version"),
        }


class CancelOccurrenceForm(BaseForm):
    reason = required_text(
        _l("Reason"),
        _l("Say why the session is cancelled, for example a public holiday."),
        200,
        REASON_TOO_LONG,
    )


class MoveOccurrenceForm(BaseForm):
    new_day = required_date(_l("New day"), _l("Enter the day the session moves to."))
    start_time = TimeText(_l("New start time"), required_message=_l("Enter the start time."))
    end_time = TimeText(_l("New end time"), required_message=_l("Enter the end time."))
    venue_id = ListedChoice(_l("Venue"), message=_l("Choose a venue from the list."))
    reason = required_text(_l("Reason"), _l("Say why the session moves."), 200, REASON_TOO_LONG)

    def __init__(self, *args, venues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.venue_id.choices = [("", _l("Same venue as planned"))] + list(venues)


class MembershipForm(BaseForm):
    person_number = OptionalInteger(
        _l("Register number"),
        validators=[InputRequired(_l("Enter the person's register number."))],
    )
    birth_on = required_date(
        _l("Date of birth"), _l("Enter the person's date of birth, to check the number.")
    )
    joined_on = required_date(_l("Joined on"), _l("Enter the day the member joined."))
    services = MultiCheckboxField(
        _l("Services received"),
        message=_l("Choose the services from the list."),
        validators=[AtLeastOne(_l("Choose at least one service the member receives."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.services.choices = Service.choices()


class EndMembershipForm(BaseForm):
    left_on = required_date(_l("Left on"), _l("Enter the day the member left."))
    reason = ListedChoice(
        _l("Reason for leaving"),
        choices=LeftReason.choices(),
        message=_l("Choose the reason for leaving from the list."),
        validators=[InputRequired(_l("Choose the reason for leaving from the list."))],
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])
    version = VersionField()


class HomeForm(BaseForm):
    taken_over: tuple = ()  # after a conflict (app.homes.merge)
    name = StringField(
        _l("Name of the home"),
        validators=[InputRequired(_l("Enter the home's name.")), Length(max=120)],
    )
    kind = ListedChoice(
        _l("Kind"),
        choices=HomeKind.choices(),
        message=_l("Choose the kind of home from the list."),
        validators=[InputRequired(_l("Choose the kind of home from the list."))],
    )
    town_id = ListedChoice(
        _l("Town or sub-district"),
        message=_l("Choose a town or sub-district from the list."),
        validators=[InputRequired(_l("Choose a town or sub-district from the list."))],
    )
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    venue_id = ListedChoice(_l("Venue"), message=_l("Choose a venue from the list."))
    operator = StringField(_l("Operator"), validators=[Optional(), Length(max=120)])
    capacity = OptionalInteger(_l("Capacity"), validators=[Optional()])
    opened_on = required_date(_l("Opened on"), _l("Enter the day the home opened."))
    contact = StringField(_l("Contact"), validators=[Optional(), Length(max=120)])
    services = MultiCheckboxField(
        _l("Services offered"),
        message=_l("Choose the services from the list."),
        validators=[AtLeastOne(_l("Choose at least one service."))],
    )
    staff = MultiCheckboxField(
        _l("Staff who manage the home"),
        coerce=int,
        message=_l("Choose the staff from the list."),
        validators=[Optional()],
    )
    version = VersionField()

    FIELDS = ("name", "kind", "town_id", "address", "venue_id", "operator", "capacity")

    def __init__(self, *args, towns=(), venues=(), staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.town_id.choices = list(towns)
        self.venue_id.choices = [("", _l("No venue"))] + list(venues)
        self.services.choices = Service.choices()
        self.staff.choices = list(staff)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.capacity.data is not None and not 0 <= self.capacity.data <= 10000:
            self.capacity.errors.append(_l("Enter a capacity from 0 to 10000."))
            ok = False
        return ok

    def service_values(self) -> dict:
        return {
            **self.data_of("name", "capacity", "opened_on"),
            "kind": HomeKind(self.kind.data),
            "town_id": int(self.town_id.data),
            "address": self.address.data or "",
            "venue_id": listed_id(self.venue_id.data),
            "operator": self.operator.data or "",
            "contact": self.contact.data or "",
        }

    @staticmethod
    def data_from(home) -> dict:
        return {
            "name": home.name,
            "kind": home.kind.value,
            "town_id": str(home.town_id),
            "address": home.address,
            "venue_id": str(home.venue_id or ""),
            **record_data(home, "operator", "capacity", "opened_on", "contact"),
            "services": [s.value for s in home.services],
            "staff": [row.user_id for row in home.staff_rows],
            "version": home.version,
        }
