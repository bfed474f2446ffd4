"""The demo ledger matches the source report's table exactly."""

import sqlalchemy as sa

from app.competitions.enums import CompetitionStatus
from app.competitions.models import Competition, CompetitionEvent, Entry
from app.demo import load_demo
from app.extensions import db

# The digest's table: (year, level) -> (gold, silver, bronze), 2017 to 2021.
DIGEST = {
    (2017, "international"): (1, 0, 0),
    (2017, "national"): (1, 0, 0),
    (2018, "international"): (1, 0, 1),
    (2018, "national"): (2, 0, 1),
    (2018, "provincial"): (4, 0, 3),
    (2018, "city"): (7, 7, 6),
    (2019, "international"): (2, 0, 0),
    (2021, "national"): (1, 5, 0),
}


def test_demo_medals_match_the_report(client):
    load_demo()
    body = client.get("/api/v1/medals?from=2017-01-01&to=2021-12-31").get_json()
    assert (body["gold"], body["silver"], body["bronze"], body["total"]) == (19, 12, 11, 42)
    assert {
        (row["year"], row["level"]): (row["gold"], row["silver"], row["bronze"])
        for row in body["by_year_level"]
    } == DIGEST
    assert len(body["competitions"]) == 8
    rio = client.get("/api/v1/medals?from=2016-01-01&to=2016-12-31").get_json()
    assert (rio["gold"], rio["silver"], rio["bronze"]) == (2, 0, 0)
    teams = db.session.scalar(
        sa.select(sa.func.count(Entry.id)).join(CompetitionEvent).where(CompetitionEvent.is_team)
    )
    assert teams >= 10
    upcoming = db.session.scalars(
        sa.select(Competition.name).where(
            Competition.status.in_([CompetitionStatus.PLANNED, CompetitionStatus.ENTRIES_OPEN])
        )
    ).all()
    assert sorted(upcoming) == ["宁波市残疾人射箭邀请赛", "浙江省残疾人游泳锦标赛"]
    load_demo()
    assert db.session.scalar(sa.select(sa.func.count(Competition.id))) == 12
