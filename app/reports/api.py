"""The report part of the public JSON API: ``GET /api/v1/report`` (the term report's public
figures, counts only, never names) and its OpenAPI description."""

from __future__ import annotations

from app.athletes.enums import Stage
from app.core import api
from app.reports import figures


@api.period_summary("/report")
def report(first, last) -> dict:
    return figures.summary_figures(first, last)


api.schema(
    "Report",
    api.object_schema(
        {
            **api.PERIOD_PROPERTIES,
            "medals": api.object_schema(
                {
                    "gold": api.count_schema(
                        "Gold medals won in competitions starting in the period."
                    ),
                    "silver": api.count_schema("Silver medals."),
                    "bronze": api.count_schema("Bronze medals."),
                    "total": api.count_schema("All medals (a team medal counts once)."),
                }
            ),
            "performances": api.object_schema(
                {
                    "performances": api.count_schema("Performances held (done) in the period."),
                    "beneficiaries": api.count_schema("Their beneficiaries (person-times)."),
                }
            ),
            "homes": api.object_schema(
                {
                    "homes": api.count_schema("Sunshine homes open during the period."),
                    "towns_covered": api.count_schema("Distinct towns with an open home."),
                    "members": api.count_schema("Distinct members served in the period."),
                    "attendance": api.count_schema("Attendance person-times in the period."),
                }
            ),
            "athletes": api.object_schema(
                {
                    "by_stage": api.array_schema(
                        {
                            "stage": {"type": "string", "enum": [s.value for s in Stage]},
                            "athletes": api.count_schema("Athletes at this stage."),
                        },
                        description="Athletes per pipeline stage today, in pipeline order.",
                    )
                }
            ),
        }
    ),
)

api.describe_period(
    "/report",
    "Report",
    "The figures.",
    summary="The term report's public figures for a period",
    description=(
        "Medals, performances held and their beneficiaries, sunshine homes, towns covered, "
        "members served and attendance for the period (both days inclusive), and athletes "
        "per pipeline stage today. Counts only, no personal data."
    ),
    operationId="getReport",
)
