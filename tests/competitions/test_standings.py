"""The medal ledger: exact tallies for every filter, team medals once in tallies and to each
member on their own page, shared ranks, and one query per table."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.competitions import standings
from app.competitions.enums import Level
from app.competitions.standings import MedalFilters


@pytest.fixture
def ledger(make_competition, make_event, make_athlete, enter, sports):
    """2018 national: a1 gold, a2 silver, team (a1, a2, a3) gold.
    2019 international: a3 and a4 bronze (two bronzes), a5 did not start.
    2021 city swimming: a4 gold."""
    a1, a2, a3, a4, a5 = (make_athlete() for _ in range(5))
    national = make_competition(name="National", level="national", start_on=date(2018, 5, 1))
    individual = make_event(national)
    enter(individual, a1, medal="gold")
    enter(individual, a2, medal="silver")
    team = make_event(national, name="Team compound", is_team=True)
    enter(team, a1, a2, a3, medal="gold", team_name="Zhejiang")
    world = make_competition(
        name="World", level="international", start_on=date(2019, 6, 3), delegation="China"
    )
    fencing = make_event(world, sport="wheelchair_fencing", name="Épée B")
    enter(fencing, a3, medal="bronze")
    enter(fencing, a4, medal="bronze")
    enter(fencing, a5, status="DNS")
    city = make_competition(name="City", level="city", start_on=date(2021, 9, 10))
    enter(make_event(city, sport="swimming", name="50 m freestyle S6"), a4, medal="gold")
    return {
        "athletes": (a1, a2, a3, a4, a5),
        "competitions": (national, world, city),
    }


def tally(table):
    return (table.totals.gold, table.totals.silver, table.totals.bronze, table.totals.total)


def test_whole_ledger_counts_a_team_medal_once(ledger, count_queries):
    with count_queries() as q:
        table = standings.medal_table()
    assert q.count == 1
    assert tally(table) == (3, 1, 2, 6)
    assert [(c.name, c.year, c.level, c.gold, c.silver, c.bronze) for c in table.competitions] == [
        ("National", 2018, Level.NATIONAL, 2, 1, 0),
        ("World", 2019, Level.INTERNATIONAL, 0, 0, 2),
        ("City", 2021, Level.CITY, 1, 0, 0),
    ]
    assert standings.by_year_level_list(table) == [
        {"year": 2018, "level": "national", "gold": 2, "silver": 1, "bronze": 0},
        {"year": 2019, "level": "international", "gold": 0, "silver": 0, "bronze": 2},
        {"year": 2021, "level": "city", "gold": 1, "silver": 0, "bronze": 0},
    ]
    assert table.years == [2018, 2019, 2021]
    assert table.levels == [Level.INTERNATIONAL, Level.NATIONAL, Level.CITY]


def test_filters(ledger, sports):
    a1, _a2, a3, a4, a5 = ledger["athletes"]
    national, world, _city = ledger["competitions"]
    cases = {
        MedalFilters(level=Level.NATIONAL): (2, 1, 0, 3),
        MedalFilters(sport_id=sports["swimming"].id): (1, 0, 0, 1),
        MedalFilters(date_from=date(2019, 1, 1), date_to=date(2019, 12, 31)): (0, 0, 2, 2),
        MedalFilters(date_to=date(2018, 12, 31)): (2, 1, 0, 3),
        MedalFilters(competition_id=world.id): (0, 0, 2, 2),
        MedalFilters(delegation="China"): (0, 0, 2, 2),
        # The team gold is credited to each of its members on their own page.
        MedalFilters(athlete_id=a1.id): (2, 0, 0, 2),
        MedalFilters(athlete_id=a3.id): (1, 0, 1, 2),
        MedalFilters(athlete_id=a4.id, competition_id=national.id): (0, 0, 0, 0),
        MedalFilters(athlete_id=a5.id): (0, 0, 0, 0),
    }
    assert {f: tally(standings.medal_table(f)) for f in cases} == cases


def test_athletes_ranked_by_medals_with_shared_ranks(ledger, count_queries):
    a1, a2, a3, a4, _a5 = ledger["athletes"]
    with count_queries() as q:
        rows = standings.athlete_rows()
    assert q.count == 1
    assert [(r.athlete_id, r.rank, r.gold, r.silver, r.bronze) for r in rows] == [
        (a1.id, 1, 2, 0, 0),
        (a2.id, 2, 1, 1, 0),
        (a3.id, 3, 1, 0, 1),
        (a4.id, 3, 1, 0, 1),
    ]
    by_total = standings.athlete_rows(by_total=True)
    assert [(r.athlete_id, r.rank) for r in by_total] == [
        (a1.id, 1),
        (a2.id, 1),
        (a3.id, 1),
        (a4.id, 1),
    ]


def test_the_period_is_written_into_the_statement(ledger, app):
    # Not a parameter: a prepared statement is then planned for the actual days
    # (standings._day says why).
    from app.extensions import db

    seen: list[tuple[str, object]] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        table = standings.medal_table(
            MedalFilters(date_from=date(2019, 1, 1), date_to=date(2019, 12, 31))
        )
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    assert tally(table) == (0, 0, 2, 2)
    [(statement, parameters)] = seen
    assert "'2019-01-01'" in statement
    assert "'2019-12-31'" in statement
    values = parameters.values() if isinstance(parameters, dict) else parameters
    assert not any(isinstance(value, date) for value in values)


def test_rank_by_total_differs_from_rank_by_colour():
    rows = [
        standings.AthleteTally(athlete_id=1, gold=1),
        standings.AthleteTally(athlete_id=2, silver=1, bronze=2),
        standings.AthleteTally(athlete_id=3, silver=3),
    ]
    assert [(r.athlete_id, r.rank) for r in standings.rank_rows(rows)] == [(1, 1), (3, 2), (2, 3)]
    assert [(r.athlete_id, r.rank) for r in standings.rank_rows(rows, by_total=True)] == [
        (3, 1),
        (2, 1),
        (1, 3),
    ]


def test_empty_ledger(app):
    table = standings.medal_table(MedalFilters(level=Level.DISTRICT))
    assert tally(table) == (0, 0, 0, 0)
    assert table.competitions == [] and standings.by_year_level_list(table) == []


def test_a_bronze_tie_and_a_dns_are_stored_and_counted(
    client, make_competition, make_event, make_athlete, enter
):
    """A tie for bronze (two rank-3 bronzes) and a DNS saved through the service: stored as
    given, counted as 1 gold, 1 silver, 2 bronze in the ledger and on the public pages; the
    DNS holds no rank and no medal and counts nowhere."""
    from app.competitions import services
    from app.competitions.models import Result
    from app.extensions import db

    gold, silver, bronze1, bronze2, absent = (make_athlete() for _ in range(5))
    games = make_competition(name="Tie Games", level="provincial", start_on=date(2020, 8, 1))
    event = make_event(games, sport="wheelchair_fencing", name="Épée A")
    enter(event, gold, medal="gold", mark="15-10")
    enter(event, silver, medal="silver", mark="10-15")
    enter(event, bronze1, medal="bronze", mark="12-15")
    enter(event, bronze2, medal="bronze", mark="9-15")
    dns = enter(event, absent, result=False)
    services.save_result(dns, status="DNS", notes="赛前体检未通过")
    db.session.commit()

    stored = db.session.execute(
        sa.select(Result.entry_id, Result.rank, Result.status, Result.medal).order_by(Result.id)
    ).all()
    assert [(r.rank, r.status, r.medal) for r in stored] == [
        (1, "OK", "gold"),
        (2, "OK", "silver"),
        (3, "OK", "bronze"),
        (3, "OK", "bronze"),
        (None, "DNS", "none"),
    ]
    table = standings.medal_table(MedalFilters(competition_id=games.id))
    assert tally(table) == (1, 1, 2, 4)
    assert [(c.name, c.gold, c.silver, c.bronze) for c in table.competitions] == [
        ("Tie Games", 1, 1, 2)
    ]
    rows = standings.athlete_rows(MedalFilters(competition_id=games.id))
    assert [(r.athlete_id, r.rank, r.gold, r.silver, r.bronze) for r in rows] == [
        (gold.id, 1, 1, 0, 0),
        (silver.id, 2, 0, 1, 0),
        (bronze1.id, 3, 0, 0, 1),
        (bronze2.id, 3, 0, 0, 1),
    ]
    assert absent.id not in {r.athlete_id for r in rows}
    page = client.get(f"/competitions/{games.id}").get_data(as_text=True)
    assert "1 gold, 1 silver, 2 bronze" in page
    assert "Did not start (DNS)" in page
    medals = client.get("/competitions/?from_year=2020&to_year=2020").get_data(as_text=True)
    assert "4 medals from 2020 to 2020: 1 gold, 1 silver and 2 bronze." in medals
