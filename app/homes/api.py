"""The homes part of the public JSON API: ``GET /api/v1/homes/summary`` (numbers only, never
names) and its OpenAPI description."""

from __future__ import annotations

from flask import jsonify

from app.core.api import (
    ERROR_RESPONSE,
    PERIOD_PARAMETERS,
    bp,
    check_parameters,
    count_schema,
    describe,
    period_args,
    schema,
)
from app.core.auth import public
from app.homes import stats
from app.homes.enums import ActivityKind, Service

SUMMARY_PARAMS = ("from", "to")


@bp.get("/homes/summary")
@public
def homes_summary():
    check_parameters(SUMMARY_PARAMS)
    first, last = period_args()
    figures = stats.period_stats(first, last)
    return jsonify(
        {
            "from": first.isoformat(),
            "to": last.isoformat(),
            "homes": figures.homes,
            "towns_covered": figures.towns_covered,
            "members": figures.members,
            "by_service": [
                {"service": service.value, "members": count}
                for service, count in figures.by_service
            ],
            "attendance": figures.attendance,
            "by_kind": [
                {"kind": kind.value, "attendance": count} for kind, count in figures.by_kind
            ],
        }
    )


schema(
    "HomesSummary",
    {
        "type": "object",
        "required": [
            "from",
            "to",
            "homes",
            "towns_covered",
            "members",
            "by_service",
            "attendance",
            "by_kind",
        ],
        "properties": {
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "homes": count_schema("Homes open during the period."),
            "towns_covered": count_schema("Distinct towns and sub-districts with an open home."),
            "members": count_schema(
                "Distinct people with a membership overlapping the period (members served)."
            ),
            "by_service": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["service", "members"],
                    "properties": {
                        "service": {"type": "string", "enum": [s.value for s in Service]},
                        "members": count_schema("Distinct members receiving the service."),
                    },
                },
            },
            "attendance": count_schema(
                "Person-times: members marked present at sessions planned in the period."
            ),
            "by_kind": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["kind", "attendance"],
                    "properties": {
                        "kind": {"type": "string", "enum": [k.value for k in ActivityKind]},
                        "attendance": count_schema("Person-times at this kind of activity."),
                    },
                },
            },
        },
    },
)

describe(
    "/homes/summary",
    {
        "summary": "Sunshine homes: coverage, members served and attendance for a period",
        "operationId": "homesSummary",
        "parameters": PERIOD_PARAMETERS,
        "responses": {
            "200": {
                "description": "The figures for the period.",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/HomesSummary"}}
                },
            },
            "400": ERROR_RESPONSE,
        },
    },
)
