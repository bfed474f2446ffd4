"""Venue forms: the admin's create/edit form and the public list's filters."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError
from wtforms.widgets import TextInput

from app.core.forms import (
    NAME_TOO_LONG,
    BaseForm,
    MultiCheckboxField,
    OptionalInteger,
    VersionField,
    normalise_text,
    record_data,
    required_text,
)
from app.venues.enums import AccessibilityFeature, VenueKind
from app.venues.queries import VenueFilters

MAX_CAPACITY = 1_000_000


class CapacityField(OptionalInteger):
    """A whole number of people; full-width digits, spaces and thousands commas accepted."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(
                _l("Enter the capacity as a whole number of people, for example 200.")
            ) from None


class CoordinateField(Field):
    """A decimal degree typed as text (so full-width digits are accepted) and kept as the
    typed text when it is wrong, so the user sees what they entered."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, invalid_message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_message = invalid_message
        self.raw_text: str | None = None

    def _value(self):
        if self.raw_text is not None:
            return self.raw_text
        return "" if self.data is None else format(self.data, "f")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = normalise_text(valuelist[0]).replace(" ", "").rstrip("°")
        self.raw_text = text
        self.data = None
        if not text:
            return
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(self.invalid_message) from None
        if not value.is_finite():
            raise ValueError(self.invalid_message)
        self.data = value


def between(minimum, maximum, message):
    """A range check that leaves empty or unreadable values to the field's own message."""

    def check(form, field):
        if field.data is not None and not minimum <= field.data <= maximum:
            raise ValidationError(message % {"min": minimum, "max": maximum})

    return check


def _known_features(form, field):
    allowed = {feature.value for feature in AccessibilityFeature}
    if any(value not in allowed for value in field.data or ()):
        raise ValidationError(_l("Choose features from the list."))


def _known_kind(form, field):
    if field.data and field.data not in {kind.value for kind in VenueKind}:
        raise ValidationError(_l("Choose the kind of venue."))


def _known_town(form, field):
    if field.data and field.data not in {value for value, _label in field.choices}:
        raise ValidationError(_l("Choose the town or sub-district."))


class VenueForm(BaseForm):
    name = required_text(_l("Name of the venue"), _l("Enter the venue's name."), 120, NAME_TOO_LONG)
    kind = SelectField(
        _l("Kind of venue"),
        validate_choice=False,
        validators=[InputRequired(_l("Choose the kind of venue.")), _known_kind],
    )
    town_id = SelectField(
        _l("Town or sub-district"),
        validate_choice=False,
        validators=[InputRequired(_l("Choose the town or sub-district.")), _known_town],
    )
    address = StringField(
        _l("Address"),
        validators=[
            Length(max=200, message=_l("The address must have at most %(max)d characters."))
        ],
    )
    capacity = CapacityField(
        _l("Capacity"),
        validators=[
            between(0, MAX_CAPACITY, _l("Enter a capacity between %(min)s and %(max)s people."))
        ],
    )
    latitude = CoordinateField(
        _l("Latitude"),
        invalid_message=_l("Enter the latitude in decimal degrees, for example 29.6583."),
        validators=[between(-90, 90, _l("Latitude must be between -90 and 90."))],
    )
    longitude = CoordinateField(
        _l("Longitude"),
        invalid_message=_l("Enter the longitude in decimal degrees, for example 121.4067."),
        validators=[between(-180, 180, _l("Longitude must be between -180 and 180."))],
    )
    features = MultiCheckboxField(
        _l("Accessibility features"), validate_choice=False, validators=[_known_features]
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=[
            Length(max=2000, message=_l("The notes must have at most %(max)d characters."))
        ],
    )
    version = VersionField()

    def __init__(self, *args, town_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = VenueKind.choices(_l("Choose the kind"))
        self.town_id.choices = [("", _l("Choose the town"))] + list(town_choices)
        self.features.choices = AccessibilityFeature.choices()

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators=extra_validators)
        lat, lon = self.latitude, self.longitude
        if not lat.errors and not lon.errors and (lat.data is None) != (lon.data is None):
            empty = lon if lon.data is None else lat
            self.add_error(empty.name, _l("Enter both latitude and longitude, or neither."))
            ok = False
        return ok

    def service_values(self) -> dict:
        """The form's values as the services take them."""
        return {
            **self.data_of("name", "kind", "address", "capacity", "latitude", "longitude", "notes"),
            "town_id": int(self.town_id.data),
            "features": list(self.features.data or ()),
        }

    @classmethod
    def data_from(cls, venue) -> dict:
        """The values to build an edit form from."""
        return {
            "name": venue.name,
            "kind": venue.kind.value,
            "town_id": str(venue.town_id),
            **record_data(venue, "address", "capacity", "latitude", "longitude", "notes"),
            "features": [feature.value for feature in venue.features],
            "version": venue.version,
        }


class VenueFilterForm(BaseForm):
    """The public list's filters (GET, no CSRF token). Values that are not among the choices
    are ignored rather than refused: a filter link may outlive a town or kind."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or address contains"))
    town = SelectField(_l("Town or sub-district"), validate_choice=False)
    kind = SelectField(_l("Kind of venue"), validate_choice=False)
    # One ``feature`` parameter per ticked box: /venues/?feature=lift&feature=hearing_loop
    feature = MultiCheckboxField(
        _l("Has all of these accessibility features"), validate_choice=False
    )
    archived = BooleanField(_l("Include archived venues"))

    def __init__(self, *args, town_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.town.choices = [("", _l("All towns"))] + list(town_choices)
        self.kind.choices = VenueKind.choices(_l("All kinds"))
        self.feature.choices = AccessibilityFeature.choices()

    def filters(self, *, allow_archived: bool):
        towns = {value for value, _label in self.town.choices if value}
        kinds = {kind.value for kind in VenueKind}
        features = frozenset(
            AccessibilityFeature(value)
            for value in self.feature.data or ()
            if value in {f.value for f in AccessibilityFeature}
        )
        return VenueFilters(
            town_id=int(self.town.data) if self.town.data in towns else None,
            kind=VenueKind(self.kind.data) if self.kind.data in kinds else None,
            features=features,
            text=(self.q.data or "")[:100],
            include_archived=allow_archived and bool(self.archived.data),
        )
