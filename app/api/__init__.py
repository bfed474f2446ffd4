"""The public JSON API at /api/v1 and its OpenAPI 3.1 description.

Each domain keeps its endpoints in its own ``api.py``: it adds routes to ``bp`` and describes
them with ``describe(path, operation)`` and ``schema(name, schema)``; the domain modules are
imported at the bottom of this file. A malformed parameter raises ``BadParameter`` and
answers 400 with a JSON error, never a 500."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, jsonify, request

from app.core.auth import public
from app.extensions import csrf
from app.people.models import local_today

bp = Blueprint("api", __name__)
csrf.exempt(bp)

# Without ``from`` a period starts at the beginning of the records; without ``to`` it ends today.
EARLIEST = date(1900, 1, 1)

PATHS: dict[str, dict] = {}
SCHEMAS: dict[str, dict] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "string"}, "parameter": {"type": "string"}},
    }
}

DATE_SCHEMA = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
ERROR_RESPONSE = {
    "description": "A malformed or unknown parameter.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
PERIOD_PARAMETERS = [
    {
        "name": "from",
        "in": "query",
        "required": False,
        "schema": DATE_SCHEMA,
        "description": "First day, YYYY-MM-DD (default 1900-01-01).",
    },
    {
        "name": "to",
        "in": "query",
        "required": False,
        "schema": DATE_SCHEMA,
        "description": "Last day, YYYY-MM-DD, on or after from (default today).",
    },
]


class BadParameter(Exception):
    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    return jsonify({"error": error.message, "parameter": error.name}), 400


def check_parameters(allowed: tuple[str, ...]) -> None:
    """Refuse a parameter the endpoint does not know (a typo would otherwise be ignored)."""
    unknown = sorted(set(request.args) - set(allowed))
    if unknown:
        raise BadParameter(unknown[0], f"Unknown parameter '{unknown[0]}'.")


def date_arg(name: str, default: date) -> date:
    if name not in request.args:
        return default
    text = request.args.get(name, "")
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise BadParameter(name, f"'{name}' must be a date as YYYY-MM-DD.") from None


def period_args() -> tuple[date, date]:
    """The ``from`` and ``to`` parameters, checked: (first day, last day), both inclusive."""
    date_from, date_to = date_arg("from", EARLIEST), date_arg("to", local_today())
    if date_to < date_from:
        raise BadParameter("to", "'to' must be on or after 'from'.")
    return date_from, date_to


def count_schema(description: str) -> dict:
    return {"type": "integer", "minimum": 0, "description": description}


def describe(path: str, operation: dict, method: str = "get") -> None:
    """Add one operation to the OpenAPI document (``path`` relative to /api/v1)."""
    PATHS.setdefault(path, {})[method] = operation


def schema(name: str, definition: dict) -> None:
    SCHEMAS[name] = definition


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ronghe public API",
            "version": "1",
            "description": "Public, read-only data of the district Disabled Persons' Federation.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": dict(sorted(PATHS.items())),
        "components": {"schemas": dict(sorted(SCHEMAS.items()))},
    }


@bp.get("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document())


# The domains' endpoints (each module adds routes to ``bp`` and describes them).
from app.competitions import api as _competitions_api  # noqa: E402, F401
from app.homes import api as _homes_api  # noqa: E402, F401
from app.performances import api as _performances_api  # noqa: E402, F401
from app.reports import api as _reports_api  # noqa: E402, F401
