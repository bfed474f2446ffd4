"""The performances part of the public JSON API: ``GET /api/v1/performances/summary`` counts
performances with status done in a period (by setting, town and month), from grouped SQL."""

from __future__ import annotations

from app.core import api
from app.performances import stats
from app.performances.enums import Setting


def _counts(key: str, rows) -> list[dict]:
    return [
        {key: value, "performances": r.performances, "beneficiaries": r.beneficiaries}
        for value, r in rows
    ]


@api.period_summary("/performances/summary")
def performances_summary(date_from, date_to) -> dict:
    result = stats.statistics(date_from, date_to)
    t = result.totals
    return dict(
        performances=t.performances,
        beneficiaries=t.beneficiaries,
        audience=t.audience,
        audience_disabled=t.audience_disabled,
        by_setting=_counts("setting", ((str(r.key), r) for r in result.by_setting)),
        by_town=_counts("town", ((r.name, r) for r in result.by_town)),
        by_month=_counts("month", ((r.key, r) for r in result.by_month)),
    )


COUNTS = {
    "performances": api.count_schema("Performances held"),
    "beneficiaries": api.count_schema("Beneficiaries in person-times"),
}


def _group(key: str, key_schema: dict) -> dict:
    return api.array_schema({key: key_schema, **COUNTS})


api.describe_period(
    "/performances/summary",
    "PerformancesSummary",
    "The summary.",
    operationId="getPerformancesSummary",
    summary="Touring performances held in a period, with audiences and person-times",
    description="Counts performances with status done whose Beijing-time day is in "
    "[from, to], in total and by setting, town (Chinese name) and month (YYYY-MM).",
)

api.schema(
    "PerformancesSummary",
    api.object_schema(
        {
            **api.PERIOD_PROPERTIES,
            **COUNTS,
            "audience": api.count_schema("Audience"),
            "audience_disabled": api.count_schema("Audience with disabilities"),
            "by_setting": _group("setting", {"type": "string", "enum": [s.value for s in Setting]}),
            "by_town": _group("town", {"type": "string"}),
            "by_month": _group("month", {"type": "string", "pattern": r"^\d{4}-\d{2}$"}),
        }
    ),
)
