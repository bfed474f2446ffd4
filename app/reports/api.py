"""The report part of the public JSON API: ``GET /api/v1/report`` (the term report's public
figures, counts only, never names) and its OpenAPI description."""

from __future__ import annotations

from flask import jsonify

from app.athletes.enums import Stage
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
from app.reports import figures

REPORT_PARAMS = ("from", "to")


@bp.get("/report")
@public
def report():
    check_parameters(REPORT_PARAMS)
    first, last = period_args()
    return jsonify(figures.summary_figures(first, last))


def _object(properties: dict) -> dict:
    return {"type": "object", "required": list(properties), "properties": properties}


schema(
    "Report",
    _object(
        {
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "medals": _object(
                {
                    "gold": count_schema("Gold medals won in competitions starting in the period."),
                    "silver": count_schema("Silver medals."),
                    "bronze": count_schema("Bronze medals."),
                    "total": count_schema("All medals (a team medal counts once)."),
                }
            ),
            "performances": _object(
                {
                    "performances": count_schema("Performances held (done) in the period."),
                    "beneficiaries": count_schema("Their beneficiaries (person-times)."),
                }
            ),
            "homes": _object(
                {
                    "homes": count_schema("Sunshine homes open during the period."),
                    "towns_covered": count_schema("Distinct towns with an open home."),
                    "members": count_schema("Distinct members served in the period."),
                    "attendance": count_schema("Attendance person-times in the period."),
                }
            ),
            "athletes": _object(
                {
                    "by_stage": {
                        "type": "array",
                        "description": "Athletes per pipeline stage today, in pipeline order.",
                        "items": _object(
                            {
                                "stage": {"type": "string", "enum": [s.value for s in Stage]},
                                "athletes": count_schema("Athletes at this stage."),
                            }
                        ),
                    }
                }
            ),
        }
    ),
)

describe(
    "/report",
    {
        "summary": "The term report's public figures for a period",
        "description": (
            "Medals, performances held and their beneficiaries, sunshine homes, towns covered, "
            "members served and attendance for the period (both days inclusive), and athletes "
            "per pipeline stage today. Counts only, no personal data."
        ),
        "operationId": "getReport",
        "parameters": PERIOD_PARAMETERS,
        "responses": {
            "200": {
                "description": "The figures.",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Report"}}
                },
            },
            "400": ERROR_RESPONSE,
        },
    },
)
