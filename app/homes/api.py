"""The homes part of the public JSON API: ``GET /api/v1/homes/summary`` (numbers only, never
names) and its OpenAPI description."""

from __future__ import annotations

from app.core import api
from app.homes import stats
from app.homes.enums import ActivityKind, Service


@api.period_summary("/homes/summary")
def homes_summary(first, last) -> dict:
    figures = stats.period_stats(first, last)
    return dict(
        homes=figures.homes,
        towns_covered=figures.towns_covered,
        members=figures.members,
        by_service=[
            {"service": service.value, "members": count} for service, count in figures.by_service
        ],
        attendance=figures.attendance,
        by_kind=[{"kind": kind.value, "attendance": count} for kind, count in figures.by_kind],
    )


api.schema(
    "HomesSummary",
    api.object_schema(
        {
            **api.PERIOD_PROPERTIES,
            "homes": api.count_schema("Homes open during the period."),
            "towns_covered": api.count_schema(
                "Distinct towns and sub-districts with an open home."
            ),
            "members": api.count_schema(
                "Distinct people with a membership overlapping the period (members served)."
            ),
            "by_service": api.array_schema(
                {
                    "service": {"type": "string", "enum": [s.value for s in Service]},
                    "members": api.count_schema("Distinct members receiving the service."),
                }
            ),
            "attendance": api.count_schema(
                "Person-times: members marked present at sessions planned in the period."
            ),
            "by_kind": api.array_schema(
                {
                    "kind": {"type": "string", "enum": [k.value for k in ActivityKind]},
                    "attendance": api.count_schema("Person-times at this kind of activity."),
                }
            ),
        }
    ),
)

api.describe_period(
    "/homes/summary",
    "HomesSummary",
    "The figures for the period.",
    summary="Sunshine homes: coverage, members served and attendance for a period",
    operationId="homesSummary",
)
