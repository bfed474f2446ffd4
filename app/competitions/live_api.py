"""Live results in the public JSON API (issue 17): ``GET /api/v1/competitions/<id>/results``,
the live page's data (app/competitions/live) with the same ETag and 304 when unchanged.

It is the public view whoever asks: an athlete is named only with publication consent
(``name`` null otherwise; the page shows "athlete of <delegation>"), as on the public pages."""

from __future__ import annotations

from flask import Response, json, request

from app.api import bp, check_parameters, describe, error_response, problem, schema
from app.competitions import live
from app.competitions.enums import Medal, ResultStatus
from app.core.auth import public
from app.core.params import MAX_ID


def _iso(value):
    return value.isoformat() if value is not None else None


def results_json(data: live.LiveResults) -> dict:
    competition = data.competition
    return {
        "competition": {
            "id": competition.id,
            "name": competition.name,
            "start_on": competition.start_on.isoformat(),
            "end_on": competition.end_on.isoformat(),
            "delegation": competition.delegation or None,
        },
        "events": [
            {
                "id": event.id,
                "name": event.name,
                "sport": event.sport,
                "is_team": event.is_team,
                "official": event.published_at is not None,
                "published_at": _iso(event.published_at),
                "waiting": event.waiting,
                "results": [
                    {
                        "entry_id": result.entry_id,
                        "team_name": result.team_name or None,
                        "athletes": [{"name": athlete.name} for athlete in result.athletes],
                        "rank": result.rank,
                        "mark": result.mark,
                        "status": result.status.value,
                        "medal": result.medal.value,
                        "provisional": result.provisional,
                        "corrected_at": _iso(result.corrected_at),
                        "correction_reason": result.correction_reason or None,
                    }
                    for result in event.results
                ],
            }
            for event in data.events
        ],
    }


@bp.get("/competitions/<int:competition_id>/results")
@public
def competition_results(competition_id: int):
    check_parameters(())
    missing = f"No competition has the id {competition_id}."
    if competition_id > MAX_ID:
        return problem(404, missing)
    tag = live.validator(competition_id, "api")
    if tag is None:
        return problem(404, missing)
    headers = {"Cache-Control": "no-cache"}
    if request.if_none_match.contains_weak(tag) or request.if_none_match.star_tag:
        response = Response(status=304, headers=headers)
    else:
        data = live.build(competition_id, sees_all=False)
        response = Response(
            json.dumps(results_json(data)), mimetype="application/json", headers=headers
        )
    response.set_etag(tag)
    return response


ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
NULLABLE_TEXT = {"type": ["string", "null"]}
NULLABLE_INSTANT = {"type": ["string", "null"], "format": "date-time"}

describe(
    "/competitions/{competition_id}/results",
    {
        "operationId": "getCompetitionResults",
        "summary": "Live results of one competition, provisional and official",
        "description": "Every event of the competition with the results entered so far, in "
        "rank order. A result is provisional until the event's results are published "
        "(`provisional`); a change after that is a correction (`corrected_at`, "
        "`correction_reason`). Athletes are named only with their consent to publication "
        "(`name` null otherwise). Send the ETag back in If-None-Match: an unchanged "
        "competition answers 304.",
        "parameters": [
            {"name": "competition_id", "in": "path", "required": True, "schema": ID},
            {
                "name": "If-None-Match",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
                "description": "The ETag of an earlier answer.",
            },
        ],
        "responses": {
            "200": {
                "description": "The competition's results.",
                "headers": {"ETag": {"schema": {"type": "string"}}},
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/CompetitionResults"}
                    }
                },
            },
            "304": {"description": "Unchanged since the ETag given in If-None-Match."},
            "400": error_response("An unknown parameter."),
            "404": error_response("No competition has this id."),
        },
    },
)

schema(
    "CompetitionResults",
    {
        "type": "object",
        "required": ["competition", "events"],
        "properties": {
            "competition": {
                "type": "object",
                "required": ["id", "name", "start_on", "end_on", "delegation"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "start_on": {"type": "string", "format": "date"},
                    "end_on": {"type": "string", "format": "date"},
                    "delegation": NULLABLE_TEXT,
                },
            },
            "events": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name", "sport", "is_team", "official", "published_at"]
                    + ["waiting", "results"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "sport": {"type": "string"},
                        "is_team": {"type": "boolean"},
                        "official": {"type": "boolean"},
                        "published_at": NULLABLE_INSTANT,
                        "waiting": {"type": "integer", "minimum": 0},
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["entry_id", "team_name", "athletes", "rank"]
                                + ["mark", "status", "medal", "provisional", "corrected_at"]
                                + ["correction_reason"],
                                "properties": {
                                    "entry_id": {"type": "integer"},
                                    "team_name": NULLABLE_TEXT,
                                    "athletes": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["name"],
                                            "properties": {"name": NULLABLE_TEXT},
                                        },
                                    },
                                    "rank": {"type": ["integer", "null"], "minimum": 1},
                                    "mark": {"type": "string"},
                                    "status": {"enum": [s.value for s in ResultStatus]},
                                    "medal": {"enum": [m.value for m in Medal]},
                                    "provisional": {"type": "boolean"},
                                    "corrected_at": NULLABLE_INSTANT,
                                    "correction_reason": NULLABLE_TEXT,
                                },
                            },
                        },
                    },
                },
            },
        },
    },
)
