"""The performances part of the public JSON API: ``GET /api/v1/performances/summary`` counts
performances with status done in a period (by setting, town and month), from grouped SQL."""

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
from app.performances import stats
from app.performances.enums import Setting

SUMMARY_PARAMS = ("from", "to")


@bp.get("/performances/summary")
@public
def performances_summary():
    check_parameters(SUMMARY_PARAMS)
    date_from, date_to = period_args()
    result = stats.statistics(date_from, date_to)
    t = result.totals
    return jsonify(
        {
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "performances": t.performances,
            "beneficiaries": t.beneficiaries,
            "audience": t.audience,
            "audience_disabled": t.audience_disabled,
            "by_setting": [
                {
                    "setting": str(r.key),
                    "performances": r.performances,
                    "beneficiaries": r.beneficiaries,
                }
                for r in result.by_setting
            ],
            "by_town": [
                {"town": r.name, "performances": r.performances, "beneficiaries": r.beneficiaries}
                for r in result.by_town
            ],
            "by_month": [
                {"month": r.key, "performances": r.performances, "beneficiaries": r.beneficiaries}
                for r in result.by_month
            ],
        }
    )


COUNTS = {
    "performances": count_schema("Performances held"),
    "beneficiaries": count_schema("Beneficiaries in person-times"),
}


def _group(key: str, key_schema: dict) -> dict:
    return {
        "type": "array",
        "items": {
            "type": "object",
            "required": [key, "performances", "beneficiaries"],
            "properties": {key: key_schema, **COUNTS},
        },
    }


describe(
    "/performances/summary",
    {
        "operationId": "getPerformancesSummary",
        "summary": "Touring performances held in a period, with audiences and person-times",
        "description": "Counts performances with status done whose Beijing-time day is in "
        "[from, to], in total and by setting, town (Chinese name) and month (YYYY-MM).",
        "parameters": PERIOD_PARAMETERS,
        "responses": {
            "200": {
                "description": "The summary.",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/PerformancesSummary"}
                    }
                },
            },
            "400": ERROR_RESPONSE,
        },
    },
)

schema(
    "PerformancesSummary",
    {
        "type": "object",
        "required": [
            "from",
            "to",
            "performances",
            "beneficiaries",
            "audience",
            "audience_disabled",
            "by_setting",
            "by_town",
            "by_month",
        ],
        "properties": {
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            **COUNTS,
            "audience": count_schema("Audience"),
            "audience_disabled": count_schema("Audience with disabilities"),
            "by_setting": _group("setting", {"type": "string", "enum": [s.value for s in Setting]}),
            "by_town": _group("town", {"type": "string"}),
            "by_month": _group("month", {"type": "string", "pattern": r"^\d{4}-\d{2}$"}),
        },
    },
)
