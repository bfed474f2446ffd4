"""Venue operations. Services check the rules, flush and write an audit row; the route or CLI
command commits once."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core import audit, clock, editing
from app.core.errors import DomainError
from app.core.reference import Town
from app.extensions import db
from app.venues.enums import AccessibilityFeature, VenueKind
from app.venues.models import Venue

# The columns an edit may change, in the order the audit row lists them.
EDITABLE = (
    "name",
    "kind",
    "town_id",
    "address",
    "capacity",
    "latitude",
    "longitude",
    "notes",
)
SIX_PLACES = Decimal("0.000001")


def _coordinate(value) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def _clean(
    *,
    name: str,
    kind,
    town_id: int,
    address: str = "",
    capacity: int | None = None,
    latitude=None,
    longitude=None,
    notes: str = "",
    features=(),
) -> dict:
    """Check one venue's values and return them in the types the model stores."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Enter the venue's name."), field="name")
    try:
        kind = VenueKind(kind)
    except ValueError:
        raise DomainError(_l("Choose the kind of venue."), field="kind") from None
    try:
        town_id = int(town_id)
    except (TypeError, ValueError):
        raise DomainError(_l("Choose the town or sub-district."), field="town_id") from None
    if db.session.get(Town, town_id) is None:
        raise DomainError(_l("Choose the town or sub-district."), field="town_id")
    if capacity is not None and capacity < 0:
        raise DomainError(_l("Capacity cannot be negative."), field="capacity")
    latitude, longitude = _coordinate(latitude), _coordinate(longitude)
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        raise DomainError(_l("Enter both latitude and longitude, or neither."), field=missing)
    if latitude is not None and not Decimal(-90) <= latitude <= Decimal(90):
        raise DomainError(_l("Latitude must be between -90 and 90."), field="latitude")
    if longitude is not None and not Decimal(-180) <= longitude <= Decimal(180):
        raise DomainError(_l("Longitude must be between -180 and 180."), field="longitude")
    try:
        features = {AccessibilityFeature(f) for f in (features or ())}
    except ValueError:
        raise DomainError(_l("Choose features from the list."), field="features") from None
    return {
        "name": name,
        "kind": kind,
        "town_id": town_id,
        "address": (address or "").strip(),
        "capacity": capacity,
        "latitude": latitude,
        "longitude": longitude,
        "notes": (notes or "").strip(),
        "features": features,
    }


def _check_name_free(name: str, town_id: int, venue_id: int | None = None) -> None:
    query = sa.select(Venue.id).where(Venue.town_id == town_id, Venue.name == name)
    if venue_id is not None:
        query = query.where(Venue.id != venue_id)
    if db.session.scalar(query.limit(1)) is not None:
        raise DomainError(
            _l("A venue with this name is already registered in this town."), field="name"
        )


def create_venue(*, actor=None, **fields) -> Venue:
    """Register a venue from ``_clean``'s keywords. Raises DomainError (with the field it
    concerns) on bad values or when the town already has a venue of that name."""
    values = _clean(**fields)
    _check_name_free(values["name"], values["town_id"])
    features = values.pop("features")
    venue = Venue(**values)
    venue.set_features(features)
    audit.created(venue, "venue", [*EDITABLE, "features"], actor=actor)
    return venue


def update_venue(venue: Venue, *, version: int | None, actor=None, **fields) -> Venue:
    """Save an edit (``_clean``'s keywords). ``version`` is the one the form was built from:
    if the venue was saved since, nothing changes and EditConflict carries the venue as it is
    now."""
    editing.check_version(venue, version)
    values = _clean(**fields)
    _check_name_free(values["name"], values["town_id"], venue.id)
    features = values.pop("features")
    changed = audit.assign(venue, values)
    if venue.set_features(features):
        changed.append("features")
    if not changed:
        return venue
    # Features live in another table; touching the row makes every change raise the
    # version, so a concurrent edit of features alone is a conflict too.
    venue.updated_at = clock.now()
    audit.saved(venue, "venue", changed, actor=actor)
    return venue


def archive_venue(venue: Venue, *, actor=None) -> Venue:
    """Hide the venue from public lists and choices; its history stays."""
    return _set_archived(venue, True, actor)


def restore_venue(venue: Venue, *, actor=None) -> Venue:
    """Undo an archive."""
    return _set_archived(venue, False, actor)


def _set_archived(venue: Venue, archived: bool, actor) -> Venue:
    """Archive or restore (audited as "archive" or "restore"); nothing when already so."""
    if venue.is_archived == archived:
        return venue
    venue.is_archived = archived
    venue.archived_at = clock.now() if archived else None
    editing.flush_or_conflict(venue)
    audit.record(
        "archive" if archived else "restore", "venue", venue.id, ["is_archived"], actor=actor
    )
    return venue
