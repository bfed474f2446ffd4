"""Athlete forms, one per use case. Choices are filled by the route from the database; values
outside the choices are refused by the services (and ignored by the list's filters)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from app.athletes.enums import (
    ClassificationStatus,
    DiscoverySource,
    MeasureUnit,
    Recommendation,
    SquadLevel,
    Stage,
)
from app.athletes.queries import AthleteFilters
from app.core import forms as core_forms
from app.core.forms import (
    NAME_TOO_LONG,
    BaseForm,
    CodeField,
    DatePartsField,
    DecimalText,
    MultiCheckboxField,
    VersionField,
    record_data,
    required_choice,
    required_date,
    required_text,
)
from app.people.enums import DisabilityCategory

NOTES_MAX = 2000


def _notes(label):
    return TextAreaField(
        label,
        validators=[
            Length(max=NOTES_MAX, message=_l("The notes must have at most %(max)d characters."))
        ],
    )


def _int_or_none(value, allowed) -> int | None:
    return int(value) if value and value in allowed and value.isdigit() else None


class AthleteFilterForm(BaseForm):
    """The list's filters (GET, no CSRF token). Unknown values are ignored."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or pinyin"))
    sport = SelectField(_l("Sport"), validate_choice=False)
    stage = SelectField(_l("Stage"), validate_choice=False)
    coach = SelectField(_l("Coach"), validate_choice=False)
    town = SelectField(_l("Town or sub-district"), validate_choice=False)
    category = SelectField(_l("Disability category"), validate_choice=False)
    squad = SelectField(_l("Squad level"), validate_choice=False)

    def __init__(self, *args, sports=(), coaches=(), towns=(), by_category=True, **kwargs):
        """``sports``, ``coaches``, ``towns``: (id, name) choices. ``by_category``: offer the
        disability category filter (admins only: the category is shown to others only with
        the person's consent)."""
        super().__init__(*args, **kwargs)
        if not by_category:
            del self.category
        self.sport.choices = [("", _l("All sports"))] + list(sports)
        self.stage.choices = Stage.choices(_l("All stages"))
        self.coach.choices = [("", _l("All coaches"))] + list(coaches)
        self.town.choices = [("", _l("All towns"))] + list(towns)
        if self.category is not None:
            self.category.choices = DisabilityCategory.choices(_l("All categories"))
        self.squad.choices = SquadLevel.choices(_l("All squad levels"))

    def filters(self) -> AthleteFilters:
        def allowed(field):
            return {value for value, _label in field.choices if value}

        def enum_or_none(field, enum_cls):
            value = field.data if isinstance(field.data, str) else ""
            return enum_cls(value) if value in allowed(field) else None

        return AthleteFilters(
            text=(self.q.data or "")[:100],
            sport_id=_int_or_none(self.sport.data, allowed(self.sport)),
            stage=enum_or_none(self.stage, Stage),
            coach_id=_int_or_none(self.coach.data, allowed(self.coach)),
            town_id=_int_or_none(self.town.data, allowed(self.town)),
            category=(
                enum_or_none(self.category, DisabilityCategory)
                if self.category is not None
                else None
            ),
            squad_level=enum_or_none(self.squad, SquadLevel),
        )


class AthleteForm(BaseForm):
    """Create (with ``person_id``) or edit an athlete's profile."""

    person_id = required_choice(
        _l("Person from the register"),
        _l("Choose the person from the register."),
        validate_choice=False,
    )
    register_number = CodeField(
        _l("Register number"),
        validators=[InputRequired(_l("Enter the person's register number."))],
    )
    birth_on = required_date(_l("Date of birth"), _l("Enter the person's date of birth."))
    primary_sport_id = required_choice(
        _l("Main sport"), _l("Choose the sport."), validate_choice=False
    )
    sport_ids = MultiCheckboxField(_l("Other sports"), validate_choice=False)
    coach_ids = MultiCheckboxField(_l("Responsible coaches"), validate_choice=False)
    squad_level = SelectField(_l("Squad level"), validate_choice=False, default="none")
    discovery_source = required_choice(
        _l("How the athlete was found"),
        _l("Choose how the athlete was found."),
        validate_choice=False,
    )
    discovered_on = required_date(_l("Date found"), _l("Enter the date the athlete was found."))
    notes = _notes(_l("Notes"))
    version = VersionField()

    def __init__(self, *args, people=None, lookup=False, sports=(), coaches=(), **kwargs):
        """``people``: the admin's drop-down of the register; ``lookup``: non-admins name the
        person by register number and date of birth instead; neither: the edit form."""
        super().__init__(*args, **kwargs)
        if not lookup:
            del self.register_number
            del self.birth_on
        if people is None:
            del self.person_id
        else:
            self.person_id.choices = [("", _l("Choose a person"))] + [
                (str(p.id), f"{p.name} ({p.name_pinyin})" if p.name_pinyin else p.name)
                for p in people
            ]
        self.primary_sport_id.choices = [("", _l("Choose the sport"))] + [
            (str(s.id), s.display_name) for s in sports
        ]
        self.sport_ids.choices = [(str(s.id), s.display_name) for s in sports]
        self.coach_ids.choices = [(str(c.id), c.display_name) for c in coaches]
        self.squad_level.choices = SquadLevel.choices()
        self.discovery_source.choices = DiscoverySource.choices(_l("Choose how"))

    def service_values(self) -> dict:
        values = {
            **self.data_of("primary_sport_id", "discovery_source", "discovered_on", "notes"),
            "sport_ids": list(self.sport_ids.data or ()),
            "coach_ids": list(self.coach_ids.data or ()),
            "squad_level": self.squad_level.data or "none",
        }
        if self.person_id is not None:
            values["person_id"] = self.person_id.data
        if self.register_number is not None:
            values["person_id"] = self.register_number.data
            values["birth_on"] = self.birth_on.data
        return values

    @staticmethod
    def data_from(athlete) -> dict:
        return {
            "primary_sport_id": str(athlete.primary_sport_id),
            "sport_ids": [str(s.id) for s in athlete.sports if s.id != athlete.primary_sport_id],
            "coach_ids": [str(c.id) for c in athlete.coaches],
            "squad_level": athlete.squad_level.value,
            "discovery_source": athlete.discovery_source.value,
            **record_data(athlete, "discovered_on", "notes", "version"),
        }


class StageForm(BaseForm):
    to_stage = required_choice(
        _l("New stage"), _l("Choose the new stage."), field=RadioField, validate_choice=False
    )
    changed_on = required_date(_l("Date of the change"), _l("Enter the date of the change."))
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            Optional(),
            Length(max=NOTES_MAX, message=_l("The reason must have at most %(max)d characters.")),
        ],
    )
    version = VersionField()

    def __init__(self, *args, current: Stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.to_stage.choices = [(s.value, s.label) for s in Stage if s is not current]


class ClassificationForm(BaseForm):
    sport_id = required_choice(_l("Sport"), _l("Choose the sport."), validate_choice=False)
    class_code = CodeField(
        _l("Sport class"), validators=[InputRequired(_l("Enter the sport class."))]
    )
    status = required_choice(
        _l("Classification status"),
        _l("Choose the classification status."),
        field=RadioField,
        choices=ClassificationStatus.choices(),
        validate_choice=False,
    )
    classified_on = DatePartsField(_l("Classified on"))
    review_on = DatePartsField(_l("Review date"))
    notes = _notes(_l("Notes"))
    version = VersionField()

    def __init__(self, *args, sports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sport_id.choices = [("", _l("Choose the sport"))] + [
            (str(s.id), s.display_name) for s in sports
        ]

    def service_values(self) -> dict:
        return self.data_of(
            "sport_id", "class_code", "status", "classified_on", "review_on", "notes"
        )

    @staticmethod
    def data_from(classification) -> dict:
        return {
            "sport_id": str(classification.sport_id),
            "class_code": classification.class_code,
            "status": classification.status.value,
            **record_data(classification, "classified_on", "review_on", "notes", "version"),
        }


class AssessmentForm(BaseForm):
    """A screening; the measurement boxes (``value_<measure id>``) are added per sport by
    assessment_form()."""

    assessed_on = required_date(
        _l("Date of the assessment"), _l("Enter the date of the assessment.")
    )
    rating = required_choice(
        _l("Overall rating"),
        _l("Choose a rating from 1 to 5."),
        field=RadioField,
        choices=[(str(n), str(n)) for n in range(1, 6)],
        validate_choice=False,
    )
    recommendation = required_choice(
        _l("Recommendation"),
        _l("Choose a recommendation."),
        field=RadioField,
        choices=Recommendation.choices(),
        validate_choice=False,
    )
    notes = _notes(_l("Notes"))

    measures: list = []

    def values(self) -> dict:
        return {m.id: getattr(self, f"value_{m.id}").data for m in self.measures}


def assessment_form(measures, *args, **kwargs) -> AssessmentForm:
    """An AssessmentForm with one text box per measure of the sport's template (decimal
    keyboard on phones)."""
    fields = {
        f"value_{m.id}": StringField(
            f"{m.display_name} ({m.unit.label})",
            render_kw={"inputmode": "decimal", "autocomplete": "off"},
        )
        for m in measures
    }
    cls = type("SportAssessmentForm", (AssessmentForm,), {**fields, "measures": list(measures)})
    return cls(*args, **kwargs)


class SportForm(BaseForm):
    """An admin adds a sport to the reference list."""

    name = required_text(
        _l("Name in Chinese"), _l("Enter the sport's Chinese name."), 60, NAME_TOO_LONG
    )
    name_en = required_text(
        _l("Name in English"), _l("Enter the sport's English name."), 80, NAME_TOO_LONG
    )
    class_hint = StringField(
        _l("Sport classes"),
        validators=[
            Length(max=120, message=_l("The classes must have at most %(max)d characters."))
        ],
    )


class MeasureForm(BaseForm):
    """An admin adds a measurement to a sport's screening template."""

    sport_id = SelectField(_l("Template"), validate_choice=False)
    name = required_text(
        _l("Name in Chinese"), _l("Enter the measurement's Chinese name."), 60, NAME_TOO_LONG
    )
    name_en = required_text(
        _l("Name in English"), _l("Enter the measurement's English name."), 80, NAME_TOO_LONG
    )
    unit = required_choice(_l("Unit"), _l("Choose the unit."), validate_choice=False)
    min_value = DecimalText(
        _l("Lowest accepted value"),
        validators=[InputRequired(_l("Enter the lowest accepted value."))],
        invalid_message=_l("Enter the lowest value as a number, for example 0."),
    )
    max_value = DecimalText(
        _l("Highest accepted value"),
        validators=[InputRequired(_l("Enter the highest accepted value."))],
        invalid_message=_l("Enter the highest value as a number, for example 100."),
    )
    lower_is_better = BooleanField(_l("A lower value is better (for example a sprint time)"))

    def __init__(self, *args, sports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sport_id.choices = [("", _l("Every sport (general measurements)"))] + [
            (str(s.id), s.display_name) for s in sports
        ]
        self.unit.choices = [("", _l("Choose the unit"))] + MeasureUnit.choices()

    def service_values(self) -> dict:
        """The measurement as the services take it; a new one names its template and unit too
        (the edit form has neither)."""
        values = {
            **self.data_of("name", "name_en", "lower_is_better"),
            "min_value": self.min_value.number,
            "max_value": self.max_value.number,
        }
        if "unit" in self:
            values.update(sport_id=self.sport_id.data or None, unit=self.unit.data)
        return values


class MeasureEditForm(MeasureForm):
    """An admin edits a measurement: names, accepted range, direction. The template and the
    unit are not edited (values already recorded are in that unit)."""

    version = VersionField()

    def __init__(self, *args, **kwargs):
        BaseForm.__init__(self, *args, **kwargs)
        del self.sport_id
        del self.unit

    @staticmethod
    def data_from(measure) -> dict:
        return {
            **record_data(measure, "name", "name_en"),
            "min_value": measure.min_text,
            "max_value": measure.max_text,
            **record_data(measure, "lower_is_better", "version"),
        }


class ConfirmImportForm(core_forms.ConfirmImportForm):
    mode = required_choice(
        _l("Which rows to save"),
        _l("Choose which rows to save."),
        field=RadioField,
        choices=[
            ("valid", _l("Save the rows without errors and skip the others")),
            ("all", _l("Save nothing unless every row is without errors")),
        ],
        validate_choice=False,
    )
