"""The public JSON API at /api/v1: the medal ledger, and the OpenAPI 3.1 description that
later issues extend. A malformed parameter answers 400 with a JSON error, never a 500."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, jsonify, request

from app.athletes.models import Sport
from app.competitions import standings
from app.competitions.enums import Level
from app.core.auth import public
from app.extensions import csrf, db
from app.people.models import local_today

bp = Blueprint("api", __name__)
csrf.exempt(bp)

MEDALS_PARAMS = ("from", "to", "level", "sport")


class BadParameter(Exception):
    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    return jsonify({"error": error.message, "parameter": error.name}), 400


# Without ``from`` the ledger starts at its beginning; without ``to`` it ends today.
EARLIEST = date(1900, 1, 1)


def _date(name: str, default: date) -> date:
    text = request.args.get(name, "")
    if name not in request.args:
        return default
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise BadParameter(name, f"'{name}' must be a date as YYYY-MM-DD.") from None


def medal_filters() -> standings.MedalFilters:
    unknown = sorted(set(request.args) - set(MEDALS_PARAMS))
    if unknown:
        raise BadParameter(unknown[0], f"Unknown parameter '{unknown[0]}'.")
    date_from, date_to = _date("from", EARLIEST), _date("to", local_today())
    if date_to < date_from:
        raise BadParameter("to", "'to' must be on or after 'from'.")
    level = None
    if request.args.get("level"):
        try:
            level = Level(request.args["level"])
        except ValueError:
            choices = ", ".join(level.value for level in Level)
            raise BadParameter("level", f"'level' must be one of: {choices}.") from None
    sport_id = None
    if request.args.get("sport"):
        code = request.args["sport"]
        sport_id = db.session.scalar(db.select(Sport.id).where(Sport.code == code))
        if sport_id is None:
            raise BadParameter("sport", "'sport' must be a sport code, e.g. archery.")
    return standings.MedalFilters(
        date_from=date_from, date_to=date_to, level=level, sport_id=sport_id
    )


@bp.get("/medals")
@public
def medals():
    filters = medal_filters()
    table = standings.medal_table(filters)
    return jsonify(
        {
            "from": filters.date_from.isoformat(),
            "to": filters.date_to.isoformat(),
            "gold": table.totals.gold,
            "silver": table.totals.silver,
            "bronze": table.totals.bronze,
            "total": table.totals.total,
            "by_year_level": standings.by_year_level_list(table),
            "competitions": [
                {
                    "id": c.id,
                    "name": c.name,
                    "level": str(c.level),
                    "year": c.year,
                    "gold": c.gold,
                    "silver": c.silver,
                    "bronze": c.bronze,
                }
                for c in table.competitions
            ],
        }
    )


def _count(description: str) -> dict:
    return {"type": "integer", "minimum": 0, "description": description}


def openapi_document() -> dict:
    tally = {"gold": _count("Gold medals"), "silver": _count("Silver medals")}
    tally["bronze"] = _count("Bronze medals")
    error = {
        "description": "A malformed or missing parameter.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    date_param = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ronghe public API",
            "version": "1",
            "description": "Public, read-only data of the district Disabled Persons' Federation.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/medals": {
                "get": {
                    "operationId": "getMedals",
                    "summary": "Medals won by the district's athletes in a period",
                    "description": (
                        "Counts medals of competitions starting in [from, to]. A team medal "
                        "counts once."
                    ),
                    "parameters": [
                        {
                            "name": "from",
                            "in": "query",
                            "required": False,
                            "schema": date_param,
                            "description": "First day, YYYY-MM-DD (default 1900-01-01).",
                        },
                        {
                            "name": "to",
                            "in": "query",
                            "required": False,
                            "schema": date_param,
                            "description": "Last day, YYYY-MM-DD, on or after from "
                            "(default today).",
                        },
                        {
                            "name": "level",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string", "enum": [lv.value for lv in Level]},
                        },
                        {
                            "name": "sport",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "string"},
                            "description": "A sport code, e.g. archery.",
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "The medal tally.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Medals"}
                                }
                            },
                        },
                        "400": error,
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {"type": "string"},
                        "parameter": {"type": "string"},
                    },
                },
                "Medals": {
                    "type": "object",
                    "required": [
                        "from",
                        "to",
                        "gold",
                        "silver",
                        "bronze",
                        "total",
                        "by_year_level",
                        "competitions",
                    ],
                    "properties": {
                        "from": {"type": "string", "format": "date"},
                        "to": {"type": "string", "format": "date"},
                        **tally,
                        "total": _count("All medals"),
                        "by_year_level": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["year", "level", "gold", "silver", "bronze"],
                                "properties": {
                                    "year": {"type": "integer"},
                                    "level": {"type": "string", "enum": [lv.value for lv in Level]},
                                    **tally,
                                },
                            },
                        },
                        "competitions": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": [
                                    "id",
                                    "name",
                                    "level",
                                    "year",
                                    "gold",
                                    "silver",
                                    "bronze",
                                ],
                                "properties": {
                                    "id": {"type": "integer"},
                                    "name": {"type": "string"},
                                    "level": {"type": "string", "enum": [lv.value for lv in Level]},
                                    "year": {"type": "integer"},
                                    **tally,
                                },
                            },
                        },
                    },
                },
            }
        },
    }


@bp.get("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document())
