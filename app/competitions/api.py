"""The medal ledger in the public JSON API: ``GET /api/v1/medals`` and its description."""

from __future__ import annotations

import re

from flask import request

from app.athletes.models import Sport
from app.competitions import standings
from app.competitions.enums import Level
from app.core import api
from app.core.api import (
    ERROR_RESPONSE,
    PERIOD_PARAMETERS,
    PERIOD_PROPERTIES,
    BadParameter,
    array_schema,
    bp,
    check_parameters,
    count_schema,
    describe,
    error_response,
    json_response,
    object_schema,
    period_answer,
    period_args,
    schema,
)
from app.core.auth import public
from app.extensions import db

MEDALS_PARAMS = ("from", "to", "level", "sport", "limit", "cursor")
# Sport codes are lower-case ASCII letters, digits and underscores (app/athletes/services).
SPORT_CODE = re.compile(r"[a-z0-9_]{1,40}")
SPORT_SCHEMA = {"type": "string", "pattern": "^[a-z0-9_]{1,40}$"}


def medal_filters() -> standings.MedalFilters:
    check_parameters(MEDALS_PARAMS)
    date_from, date_to = period_args()
    level = None
    if "level" in request.args:
        try:
            level = Level(request.args["level"])
        except ValueError:
            choices = ", ".join(level.value for level in Level)
            raise BadParameter("level", f"'level' must be one of: {choices}.") from None
    sport_id = None
    if "sport" in request.args:
        code = request.args["sport"]
        if not SPORT_CODE.fullmatch(code):
            raise BadParameter("sport", "'sport' must be a sport code, e.g. archery.")
        sport_id = db.session.scalar(db.select(Sport.id).where(Sport.code == code))
        if sport_id is None:
            raise BadParameter("sport", f"No sport has the code '{code}'.", status=404)
    return standings.MedalFilters(
        date_from=date_from, date_to=date_to, level=level, sport_id=sport_id
    )


def page_start() -> int:
    """Where the page of competitions starts: the position a ``next_cursor`` holds."""
    if "cursor" not in request.args:
        return 0
    values = api.decode_cursor(request.args["cursor"])
    if len(values) != 1 or type(values[0]) is not int or values[0] < 1:
        raise BadParameter("cursor", api.BAD_CURSOR)
    return values[0]


@bp.get("/medals")
@public
def medals():
    filters = medal_filters()
    limit, start = api.limit_arg(), page_start()
    table = standings.medal_table(filters)
    # The totals cover the whole period; the competitions come a page at a time (46 KB a
    # page at most, where the whole list is 450 KB at ten times a city's records).
    page = table.competitions[start : start + limit]
    more = start + limit < len(table.competitions)
    return period_answer(
        filters.date_from,
        filters.date_to,
        gold=table.totals.gold,
        silver=table.totals.silver,
        bronze=table.totals.bronze,
        total=table.totals.total,
        by_year_level=standings.by_year_level_list(table),
        competitions=[
            {
                "id": c.id,
                "name": c.name,
                "level": str(c.level),
                "year": c.year,
                "gold": c.gold,
                "silver": c.silver,
                "bronze": c.bronze,
            }
            for c in page
        ],
        next_cursor=api.encode_cursor([start + limit]) if more else None,
    )


LEVELS = {"type": "string", "enum": [level.value for level in Level]}
TALLY = {
    "gold": count_schema("Gold medals"),
    "silver": count_schema("Silver medals"),
    "bronze": count_schema("Bronze medals"),
}

describe(
    "/medals",
    {
        "operationId": "getMedals",
        "summary": "Medals won by the district's athletes in a period",
        "description": "Counts medals of competitions starting in [from, to]. A team medal "
        "counts once. The totals and the year × level rows cover the whole period; the "
        "competitions, in order of their first day, come a page at a time.",
        "parameters": [
            *PERIOD_PARAMETERS,
            {"name": "level", "in": "query", "required": False, "schema": LEVELS},
            {
                "name": "sport",
                "in": "query",
                "required": False,
                "schema": SPORT_SCHEMA,
                "description": "A sport code, e.g. archery (404 when no sport has it).",
            },
            *api.page_parameters("Competitions"),
        ],
        "responses": {
            "200": json_response("The medal tally.", "Medals"),
            "400": ERROR_RESPONSE,
            "404": error_response("No sport has the code given in 'sport'."),
        },
    },
)

schema(
    "Medals",
    object_schema(
        {
            **PERIOD_PROPERTIES,
            **TALLY,
            "total": count_schema("All medals"),
            "by_year_level": array_schema({"year": {"type": "integer"}, "level": LEVELS, **TALLY}),
            "competitions": array_schema(
                {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "level": LEVELS,
                    "year": {"type": "integer"},
                    **TALLY,
                }
            ),
            "next_cursor": api.NEXT_CURSOR_SCHEMA,
        }
    ),
)
