"""Competition forms. Choices are filled by the route; the services refuse anything else."""

from __future__ import annotations

import re
from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.competitions.enums import CompetitionStatus, EntryStatus, EventGender, Level, SupportRole
from app.core import clock, notify
from app.core.forms import (
    NAME_TOO_LONG,
    BaseForm,
    CodeField,
    DatePartsField,
    MultiCheckboxField,
    OptionalInteger,
    VersionField,
    record_data,
    required_choice,
    required_date,
    required_text,
)


class CompetitionForm(BaseForm):
    name = required_text(
        _l("Competition name"), _l("Enter the competition's name."), 160, NAME_TOO_LONG
    )
    # No default: the level decides where the competition counts (issue 12 item 7).
    level = required_choice(
        _l("Level"),
        _l("Choose the competition's level."),
        choices=Level.choices(_l("Choose the level")),
        default="",
    )
    series = StringField(_l("Series"), validators=[Optional(), Length(max=160)])
    edition = OptionalInteger(_l("Edition"), validators=[Optional()])
    host_city = StringField(_l("Host city"), validators=[Optional(), Length(max=80)])
    venue_id = SelectField(_l("Venue"), coerce=str, validate_choice=False)
    delegation = StringField(_l("Delegation"), validators=[Optional(), Length(max=80)])
    start_on = required_date(_l("First day"), _l("Enter the first day of the competition."))
    end_on = DatePartsField(_l("Last day"))
    # A new competition shows "Planned" chosen (visible, not a silent default).
    status = required_choice(
        _l("Status"),
        _l("Choose the competition's status."),
        choices=CompetitionStatus.choices(),
        default=CompetitionStatus.PLANNED.value,
    )
    sport_ids = MultiCheckboxField(_l("Sports"), coerce=int, validators=[Optional()])
    manager_id = SelectField(_l("Manager"), coerce=str, validate_choice=False)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    version = VersionField()
    # The sports as they were when the form was opened ("1,3"): after a conflict, sports the
    # user did not touch take the saved ones, so saving again does not revert them.
    opened_sport_ids = HiddenField()

    def __init__(self, *args, sports=(), venues=(), managers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sport_ids.choices = [(s.id, s.display_name) for s in sports]
        self.venue_id.choices = [("", _l("No venue yet"))] + list(venues)
        # Only admins choose the manager; for a coach the field is not shown and the route
        # keeps the manager as it is.
        self.show_manager = managers is not None
        if self.show_manager:
            self.manager_id.choices = [("", _l("No manager (admins only)"))] + list(managers)
        else:
            del self.manager_id

    FIELDS = (
        "name",
        "level",
        "series",
        "edition",
        "host_city",
        "venue_id",
        "delegation",
        "start_on",
        "end_on",
        "status",
        "manager_id",
        "sport_ids",
        "notes",
    )

    def service_values(self) -> dict:
        return self.data_of(*(name for name in self.FIELDS if name in self))

    def opened_sports(self) -> set[int] | None:
        """The sports when the form was opened; None when unreadable (then no merge)."""
        if self.opened_sport_ids.data is None:
            return None
        text = self.opened_sport_ids.data.strip()
        parts = [p for p in text.split(",") if p]
        if not all(p.isascii() and p.isdigit() and len(p) <= 10 for p in parts):
            return None
        return {int(p) for p in parts}

    @staticmethod
    def data_from(competition) -> dict:
        data = {name: getattr(competition, name) for name in CompetitionForm.FIELDS[:-2]}
        data["level"] = competition.level.value
        data["status"] = competition.status.value
        data["venue_id"] = str(competition.venue_id or "")
        data["manager_id"] = str(competition.manager_id or "")
        data["sport_ids"] = [s.id for s in competition.sports]
        data["opened_sport_ids"] = ",".join(str(i) for i in sorted(data["sport_ids"]))
        data["notes"] = competition.notes
        data["version"] = competition.version
        return data


class EventForm(BaseForm):
    name = StringField(
        _l("Event name"),
        validators=[InputRequired(_l("Enter the event's name.")), Length(max=160)],
    )
    sport_id = required_choice(_l("Sport"), _l("Choose the sport."), coerce=str, default="")
    # No default: who may enter depends on it (issue 12 items 5 and 7).
    gender = required_choice(
        _l("Who the event is for"),
        _l("Choose who the event is for."),
        choices=EventGender.choices(_l("Choose who the event is for")),
        default="",
    )
    sport_class = CodeField(_l("Sport class"), validators=[Optional(), Length(max=40)])
    is_team = BooleanField(_l("Team event (two or more athletes per entry)"))
    day = DatePartsField(_l("Day of the event"))
    start_time = CodeField(_l("Start time"), validators=[Optional(), Length(max=5)])
    end_time = CodeField(_l("End time"), validators=[Optional(), Length(max=5)])
    venue_id = SelectField(_l("Venue"), coerce=str, validate_choice=False)
    tell_people = notify.tell_field()
    version = VersionField()

    def __init__(self, *args, sports=(), venues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sport_id.choices = [("", _l("Choose the sport"))] + [
            (str(s.id), s.display_name) for s in sports
        ]
        self.venue_id.choices = [("", _l("The competition's venue, or none yet"))] + list(venues)

    @staticmethod
    def data_from(event) -> dict:
        """The form's values from a saved event (times shown in local time)."""
        start = clock.to_local(event.starts_at) if event.starts_at else None
        end = clock.to_local(event.ends_at) if event.ends_at else None
        timed = start is not None and not event.all_day  # an all-day event shows no 00:00
        return {
            "name": event.name,
            "sport_id": str(event.sport_id),
            "gender": event.gender.value,
            **record_data(event, "sport_class", "is_team"),
            "day": start.date() if start else None,
            "start_time": start.strftime("%H:%M") if timed else "",
            "end_time": end.strftime("%H:%M") if end else "",
            "venue_id": str(event.venue_id or ""),
            "version": event.version,
        }

    def service_values(self, schedule) -> dict:
        return {
            **self.data_of("name", "sport_id", "gender", "sport_class", "is_team"),
            "starts_at": schedule[0],
            "ends_at": schedule[1],
            "all_day": schedule[2],
            "venue_id": self.venue_id.data or None,
        }

    def schedule(self) -> tuple[datetime | None, datetime | None, bool] | None:
        """(start, end, all day): the scheduled start and end as UTC instants from the local
        day and HH:MM times; a day without times is all day (its local 00:00, no end); None
        (with the error added) when a time cannot be read or an end time has no start."""
        times = []
        for field in (self.start_time, self.end_time):
            text = (field.data or "").replace("：", ":").strip()
            if not text:
                times.append(None)
                continue
            match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text)
            if not match:
                self.add_error(
                    field.name, _l("Write the time as hours:minutes, for example 09:30.")
                )
                return None
            times.append(time(int(match.group(1)), int(match.group(2))))
        start, end = times
        if (start or end) and self.day.data is None:
            self.add_error("day", _l("Enter the day of the event to give it a time."))
            return None
        if end is not None and start is None:
            self.add_error("start_time", _l("Enter the start time to give the event an end time."))
            return None
        if self.day.data is None:
            return None, None, False
        if start is None:
            return clock.local_instant(self.day.data, time(0, 0)), None, True
        starts_at = clock.local_instant(self.day.data, start)
        ends_at = clock.local_instant(self.day.data, end) if end else None
        return starts_at, ends_at, False


class EntryForm(BaseForm):
    athlete_ids = MultiCheckboxField(
        _l("Athletes"),
        coerce=int,
        validators=[InputRequired(_l("Choose the athletes of the entry."))],
    )
    team_name = StringField(_l("Team name"), validators=[Optional(), Length(max=80)])
    status = required_choice(
        _l("Entry status"),
        _l("Choose the entry's status."),
        choices=EntryStatus.choices(),
        default=EntryStatus.NOMINATED.value,
    )
    support_role = SelectField(
        _l("Support person's role"), choices=SupportRole.choices(_l("None")), default=""
    )
    support_name = StringField(
        _l("Support person's name"), validators=[Optional(), Length(max=100)]
    )
    # Or a person from the register, named by register number and birth date (the register
    # is not listed to coaches; see app/athletes: proposing a person works the same way).
    support_register_number = CodeField(
        _l("Support person's register number"), validators=[Optional(), Length(max=12)]
    )
    support_birth_on = DatePartsField(_l("Support person's birth date"))

    def __init__(self, *args, athletes=(), one=False, **kwargs):
        """``one``: an individual event's entry, one athlete, chosen with radio buttons."""
        super().__init__(*args, **kwargs)
        self.athlete_ids.choices = [(a.id, a.person.name) for a in athletes]
        if one:
            self.athlete_ids.offer_one(_l("Athlete"))

    def support(self) -> list[dict]:
        if not self.support_role.data:
            return []
        number = (self.support_register_number.data or "").strip()
        if number:
            return [
                {
                    "role": self.support_role.data,
                    "register_number": number,
                    "birth_on": self.support_birth_on.data,
                }
            ]
        return [{"role": self.support_role.data, "name": self.support_name.data}]


class EntryEditForm(EntryForm):
    """Edit an entry: the entry form with the entry's version. Its support person is the
    first of the entry's (the others are kept as they are)."""

    version = VersionField()
    # Where the entry starts (issue 17): for those who manage the competition only; the route
    # removes these fields for the others, whose saves keep the saved values.
    bib = CodeField(_l("Bib"), validators=[Optional(), Length(max=20)])
    heat = CodeField(_l("Heat"), validators=[Optional(), Length(max=20)])
    lane = CodeField(_l("Lane or target"), validators=[Optional(), Length(max=20)])

    def __init__(
        self, *args, saved_person_id: int | None = None, with_start: bool = True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.saved_person_id = saved_person_id
        if not with_start:
            del self.bib, self.heat, self.lane

    def start(self) -> dict | None:
        """{"bib", "heat", "lane"} as typed, or None when the form has no such fields."""
        if "bib" not in self:
            return None
        return {"bib": self.bib.data, "heat": self.heat.data, "lane": self.lane.data}

    @staticmethod
    def data_from(entry) -> dict:
        first = entry.support[0] if entry.support else None
        return {
            "athlete_ids": [a.id for a in entry.athletes],
            "team_name": entry.team_name,
            "status": entry.status.value,
            "support_role": first.role.value if first else "",
            "support_name": first.name if first and not first.person_id else "",
            "support_register_number": str(first.person_id) if first and first.person_id else "",
            "support_birth_on": None,
            "bib": entry.bib,
            "heat": str(entry.heat) if entry.heat is not None else "",
            **record_data(entry, "lane", "version"),
        }

    def support(self) -> list[dict]:
        """As EntryForm.support; the register person already named keeps their place without
        the birth date being typed again (a new number is looked up)."""
        number = (self.support_register_number.data or "").strip()
        if (
            self.support_role.data
            and self.saved_person_id is not None
            and number == str(self.saved_person_id)
            and self.support_birth_on.data is None
        ):
            return [{"role": self.support_role.data, "person_id": self.saved_person_id}]
        return super().support()


class WithdrawEntryForm(BaseForm):
    """Withdraw an entry: the CSRF token and the entry's version."""

    version = VersionField()


class ResultsForm(BaseForm):
    """The CSRF token of the results screen; the rows are read per entry by the route."""
