"""The public JSON API at /api/v1 and its OpenAPI 3.1 description.

This module is the toolkit (in core, so every layer may use it); the endpoints live with
their data. Each domain keeps its endpoints in its own ``api.py``: it adds routes to ``bp`` and
describes them with ``describe(path, operation)`` and ``schema(name, schema)``, and the
domain's ``__init__.py`` imports its ``api.py`` beside its routes (the domain registers
itself; nothing here imports a domain). The cross-domain schedule is ``app/api/schedule.py``. A malformed parameter raises ``BadParameter`` and
answers 400, never a 500; a well-formed one that names nothing raises it with status 404.

Every error under /api/v1 is a problem document (RFC 9457, ``application/problem+json``):
``type`` (``about:blank``: the status says it all), ``title`` (the HTTP status phrase),
``status``, ``detail`` (what was wrong, in English) and, for a bad parameter, ``parameter``.
``problem()`` builds one; 404 and 405 from routing and 500s under /api/ reach
``http_problem()`` through app/core/errors.py."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from app.core import clock, params
from app.core.auth import public
from app.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)

# Without ``from`` a period starts at the beginning of the records; without ``to`` it ends today.
EARLIEST = date(1900, 1, 1)

PATHS: dict[str, dict] = {}
PROBLEM_TYPE = "application/problem+json"
SCHEMAS: dict[str, dict] = {
    # The name stays "Error" (domains refer to it); the body is an RFC 9457 problem.
    "Error": {
        "type": "object",
        "description": "An RFC 9457 problem document.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string", "description": "about:blank: the status explains it."},
            "title": {"type": "string", "description": "The HTTP status phrase."},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string", "description": "What was wrong, in English."},
            "parameter": {"type": "string", "description": "The query parameter at fault."},
        },
    }
}

DATE_SCHEMA = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
ERROR_CONTENT = {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Error"}}}
ERROR_RESPONSE = {"description": "A malformed or unknown parameter.", "content": ERROR_CONTENT}


def error_response(description: str) -> dict:
    """An error response of the OpenAPI document (e.g. a 404 for an unknown id)."""
    return {"description": description, "content": ERROR_CONTENT}


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
    """A parameter the endpoint cannot answer: malformed (400), or well-formed but naming
    nothing that exists (``status=404``, like an unknown record)."""

    def __init__(self, name: str, message: str, status: int = 400):
        super().__init__(message)
        self.name = name
        self.message = message
        self.status = status


def problem(status: int, detail: str, *, parameter: str | None = None, headers=None) -> Response:
    """An RFC 9457 problem response."""
    body = {
        "type": "about:blank",
        "title": HTTP_STATUS_CODES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if parameter is not None:
        body["parameter"] = parameter
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        mimetype=PROBLEM_TYPE,
        headers=headers,
    )


HTTP_DETAILS = {
    404: "No such resource under /api/v1.",
    405: "The method is not allowed for this resource.",
    500: "Something went wrong on our side.",
}


def http_problem(error: HTTPException | None) -> Response:
    """The problem for an HTTP error (routing 404/405, an abort) or, with None, a 500."""
    code = (error.code if error is not None else None) or 500
    headers = None
    valid_methods = getattr(error, "valid_methods", None)  # a MethodNotAllowed's
    if code == 405 and valid_methods:
        headers = {"Allow": ", ".join(valid_methods)}
    return problem(
        code, HTTP_DETAILS.get(code, HTTP_STATUS_CODES.get(code, "Error")), headers=headers
    )


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):
    return problem(error.status, error.message, parameter=error.name)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    return http_problem(error)


def check_parameters(allowed: tuple[str, ...]) -> None:
    """Refuse a parameter the endpoint does not know (a typo would otherwise be ignored)."""
    unknown = sorted(set(request.args) - set(allowed))
    if unknown:
        raise BadParameter(unknown[0], f"Unknown parameter '{unknown[0]}'.")


def period_args(
    *, first: date = EARLIEST, last=None, max_days: int | None = None
) -> tuple[date, date]:
    """The ``from`` and ``to`` parameters under the app's period rules (app/core/params.py),
    checked: (first day, last day), both inclusive; by default from 1900-01-01 to today.
    Any day YYYY-MM-DD is accepted (the documented pattern allows every year); the first
    problem found raises BadParameter."""
    found = params.period(
        request.args,
        first=first,
        last=last or clock.today(),
        earliest=date.min,
        latest=date.max,
        max_days=max_days,
        strict=True,
    )
    if found.problems:
        problem = found.problems[0]
        raise BadParameter(problem.name, problem.detail)
    return found.bounds()


# Lists in the API come a page at a time: ``limit`` items (1 to MAX_LIMIT, DEFAULT_LIMIT when
# absent) and an opaque ``cursor``, the ``next_cursor`` of the page before (null on the last).
DEFAULT_LIMIT, MAX_LIMIT = 50, 100
BAD_CURSOR = "'cursor' must be a next_cursor given by this API."


def limit_arg() -> int:
    """The ``limit`` parameter, checked."""
    if "limit" not in request.args:
        return DEFAULT_LIMIT
    limit = params.whole_number(request.args["limit"], low=1, high=MAX_LIMIT)
    if limit is None:
        raise BadParameter("limit", f"'limit' must be a whole number from 1 to {MAX_LIMIT}.")
    return limit


def encode_cursor(values: list) -> str:
    """An opaque cursor holding ``values`` (JSON-able): where the next page starts."""
    text = json.dumps(values, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(text: str) -> list:
    """The values of a cursor this API gave; anything else raises BadParameter. The caller
    checks their number and types (``BadParameter("cursor", BAD_CURSOR)`` when wrong)."""
    try:
        values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadParameter("cursor", BAD_CURSOR) from None
    if not isinstance(values, list):
        raise BadParameter("cursor", BAD_CURSOR)
    return values


def page_parameters(what: str) -> list[dict]:
    """The OpenAPI description of ``limit`` and ``cursor``."""
    return [
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            "description": f"{what} per page (default {DEFAULT_LIMIT}).",
        },
        {
            "name": "cursor",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"},
            "description": "The next_cursor of the previous page.",
        },
    ]


NEXT_CURSOR_SCHEMA = {
    "type": ["string", "null"],
    "description": "Pass as 'cursor' for the next page; null on the last page.",
}


def period_query(allowed: tuple[str, ...] = ("from", "to")) -> tuple[date, date]:
    """The preamble of a period endpoint: refuse unknown parameters, then read ``from`` and
    ``to`` (``period_args``)."""
    check_parameters(allowed)
    return period_args()


def period_answer(first: date, last: date, **figures) -> Response:
    """A period endpoint's JSON answer: its ``from`` and ``to``, then its figures."""
    return jsonify({"from": first.isoformat(), "to": last.isoformat(), **figures})


def period_summary(path: str) -> Callable[[Callable[[date, date], dict]], Callable[..., Any]]:
    """Declare a public GET endpoint of figures for a period (``path`` relative to /api/v1):
    it takes only ``from`` and ``to`` (``period_query``) and answers them with the figures
    the decorated ``figures(first, last)`` returns (``period_answer``)."""

    def decorator(figures: Callable[[date, date], dict]) -> Callable[..., Any]:
        @wraps(figures)
        def view() -> Response:
            first, last = period_query()
            return period_answer(first, last, **figures(first, last))

        bp.get(path)(public(view))
        return figures

    return decorator


def count_schema(description: str) -> dict:
    return {"type": "integer", "minimum": 0, "description": description}


def object_schema(properties: dict) -> dict:
    """An object schema whose every property is required."""
    return {"type": "object", "required": list(properties), "properties": properties}


def array_schema(properties: dict, **more) -> dict:
    """An array of objects whose every property is required."""
    return {"type": "array", **more, "items": object_schema(properties)}


# The ``from`` and ``to`` of a period endpoint's answer.
PERIOD_PROPERTIES = {
    "from": {"type": "string", "format": "date"},
    "to": {"type": "string", "format": "date"},
}


def json_response(description: str, schema_name: str) -> dict:
    """A 200 response of the OpenAPI document: JSON of the named schema."""
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        },
    }


def describe_period(path: str, schema_name: str, answer: str, **operation) -> None:
    """Describe a GET endpoint that takes only ``from`` and ``to`` and answers ``schema_name``
    (``answer`` says what it is); ``operation`` holds its summary, operationId, description."""
    describe(
        path,
        {
            **operation,
            "parameters": PERIOD_PARAMETERS,
            "responses": {"200": json_response(answer, schema_name), "400": ERROR_RESPONSE},
        },
    )


def describe(path: str, operation: dict, method: str = "get") -> None:
    """Add one operation to the OpenAPI document (``path`` relative to /api/v1)."""
    PATHS.setdefault(path, {})[method] = operation


def schema(name: str, definition: dict) -> None:
    SCHEMAS[name] = definition


def _problem_media_types(node):
    """Error responses described with application/json and the Error schema state the media
    type they are sent with (application/problem+json)."""
    if isinstance(node, dict):
        content = node.get("content")
        if isinstance(content, dict) and set(content) == {"application/json"}:
            ref = content["application/json"].get("schema", {}).get("$ref", "")
            if ref == "#/components/schemas/Error":
                node = {**node, "content": ERROR_CONTENT}
        return {key: _problem_media_types(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_problem_media_types(value) for value in node]
    return node


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ronghe public API",
            "version": "1",
            "description": "Public, read-only data of the district Disabled Persons' Federation.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": _problem_media_types(dict(sorted(PATHS.items()))),
        "components": {"schemas": dict(sorted(SCHEMAS.items()))},
    }


@bp.get("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document())
