"""Venues in the public JSON API: ``GET /api/v1/venues`` (venues not archived, with their
accessibility features) and ``GET /api/v1/venues/{id}``. ``venue_json`` and the ``Venue``
schema are shared with the schedule (app/api/schedule.py). Venues hold no personal data."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request
from sqlalchemy.orm import joinedload, selectinload

from app.core.api import (
    ERROR_RESPONSE,
    BadParameter,
    bp,
    check_parameters,
    describe,
    error_response,
    problem,
    schema,
)
from app.core.auth import public
from app.core.params import MAX_ID, whole_number
from app.extensions import db
from app.venues.enums import AccessibilityFeature, VenueKind
from app.venues.models import Venue, degrees_text

VENUES_PARAMS = ("town", "feature")
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def id_arg(name: str) -> int | None:
    """An optional positive id parameter, checked."""
    if name not in request.args:
        return None
    value = whole_number(request.args.get(name, ""), low=1, high=MAX_ID)
    if value is None:
        raise BadParameter(name, f"'{name}' must be a whole number from 1 to {MAX_ID}.")
    return value


def feature_arg() -> AccessibilityFeature | None:
    if "feature" not in request.args:
        return None
    try:
        return AccessibilityFeature(request.args["feature"])
    except ValueError:
        choices = ", ".join(f.value for f in AccessibilityFeature)
        raise BadParameter("feature", f"'feature' must be one of: {choices}.") from None


def venue_options():
    return (joinedload(Venue.town), selectinload(Venue.feature_rows))


def venues_by_id(ids) -> dict[int, Venue]:
    """Venues with town and features, two queries whatever their number."""
    ids = sorted({i for i in ids if i is not None})
    if not ids:
        return {}
    rows = db.session.scalars(sa.select(Venue).where(Venue.id.in_(ids)).options(*venue_options()))
    return {v.id: v for v in rows}


def _coordinate(value) -> float | None:
    return None if value is None else float(degrees_text(value))


def venue_json(venue: Venue, *, full: bool = False) -> dict:
    data = {
        "id": venue.id,
        "name": venue.name,
        "town": {"id": venue.town.id, "name": venue.town.name, "name_en": venue.town.name_en},
        "address": venue.address,
        "accessibility": [f.value for f in venue.features],
    }
    if full:
        data |= {
            "kind": venue.kind.value,
            "capacity": venue.capacity,
            "latitude": _coordinate(venue.latitude),
            "longitude": _coordinate(venue.longitude),
        }
    return data


@bp.get("/venues")
@public
def venues():
    check_parameters(VENUES_PARAMS)
    town_id, feature = id_arg("town"), feature_arg()
    query = sa.select(Venue).where(Venue.is_archived.is_(False)).options(*venue_options())
    if town_id is not None:
        query = query.where(Venue.town_id == town_id)
    if feature is not None:
        from app.venues.queries import with_all_features

        query = query.where(Venue.id.in_(with_all_features([feature])))
    rows = db.session.scalars(query.order_by(Venue.town_id, Venue.name, Venue.id)).unique()
    return jsonify({"venues": [venue_json(v, full=True) for v in rows]})


@bp.get("/venues/<int:venue_id>")
@public
def venue(venue_id: int):
    check_parameters(())
    if venue_id > MAX_ID:
        return problem(404, f"No venue has the id {venue_id}.")
    found = db.session.scalar(
        sa.select(Venue)
        .where(Venue.id == venue_id, Venue.is_archived.is_(False))
        .options(*venue_options())
    )
    if found is None:
        return problem(404, f"No venue has the id {venue_id}.")
    return jsonify(venue_json(found, full=True))


FEATURES = {"type": "string", "enum": [f.value for f in AccessibilityFeature]}

schema(
    "VenueRef",
    {
        "type": "object",
        "description": "A venue: where it is and how accessible it is.",
        "required": ["id", "name", "town", "address", "accessibility"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "town": {
                "type": "object",
                "required": ["id", "name", "name_en"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string", "description": "Chinese name"},
                    "name_en": {"type": "string"},
                },
            },
            "address": {"type": "string"},
            "accessibility": {
                "type": "array",
                "items": FEATURES,
                "description": "Accessibility features, getting in first.",
            },
        },
    },
)

schema(
    "Venue",
    {
        "allOf": [
            {"$ref": "#/components/schemas/VenueRef"},
            {
                "type": "object",
                "required": ["kind", "capacity", "latitude", "longitude"],
                "properties": {
                    "kind": {"type": "string", "enum": [k.value for k in VenueKind]},
                    "capacity": {"type": ["integer", "null"], "minimum": 0},
                    "latitude": {"type": ["number", "null"]},
                    "longitude": {"type": ["number", "null"]},
                },
            },
        ]
    },
)

describe(
    "/venues",
    {
        "operationId": "listVenues",
        "summary": "Venues in use (not archived) with their accessibility features",
        "description": "Ordered by town, then name. 'feature' keeps venues that have it.",
        "parameters": [
            {
                "name": "town",
                "in": "query",
                "required": False,
                "schema": ID_SCHEMA,
                "description": "A town's id (as in a venue's town.id).",
            },
            {"name": "feature", "in": "query", "required": False, "schema": FEATURES},
        ],
        "responses": {
            "200": {
                "description": "The venues.",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["venues"],
                            "properties": {
                                "venues": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Venue"},
                                }
                            },
                        }
                    }
                },
            },
            "400": ERROR_RESPONSE,
        },
    },
)

describe(
    "/venues/{venue_id}",
    {
        "operationId": "getVenue",
        "summary": "One venue in use, with its accessibility features",
        "parameters": [
            {"name": "venue_id", "in": "path", "required": True, "schema": ID_SCHEMA},
        ],
        "responses": {
            "200": {
                "description": "The venue.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Venue"}}},
            },
            "400": ERROR_RESPONSE,
            "404": error_response("No venue in use has this id."),
        },
    },
)
