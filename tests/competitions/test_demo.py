"""The demo ledger matches the source report's table exactly; Zhou Jiamin appears by name on
her Rio gold; upcoming competitions have scheduled, placed events with entries."""

from datetime import timedelta

import sqlalchemy as sa

from app.athletes.models import AthleteProfile
from app.competitions import queries
from app.competitions.busy import event_bookings
from app.competitions.enums import CompetitionStatus
from app.competitions.models import Competition, CompetitionEvent, Entry
from app.core import clock
from app.demo import load_demo
from app.extensions import db
from app.people.models import Person

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


def test_demo_medals_match_the_report(client, demo):
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
    assert sorted(upcoming) == [
        "区残疾人旱地冰壶迎新年友谊赛",
        "宁波市残疾人射箭邀请赛",
        "浙江省残疾人游泳锦标赛",
    ]
    load_demo()
    assert db.session.scalar(sa.select(sa.func.count(Competition.id))) == 13


def test_zhou_jiamin_by_name_on_the_rio_gold(client, demo):
    person = db.session.scalar(sa.select(Person).where(Person.name == "周佳敏"))
    assert person.has_publication_consent
    athlete = db.session.scalar(
        sa.select(AthleteProfile).where(AthleteProfile.person_id == person.id)
    )
    medals = [
        (competition.name, event.name, result.medal.value)
        for _entry, event, competition, result in queries.career_results(athlete.id)
        if result is not None
    ]
    assert medals == [("里约残奥会", "女子个人复合弓公开级", "gold")]
    # Public pages name her: the Rio competition page and her career page.
    rio = db.session.scalar(sa.select(Competition.id).where(Competition.name == "里约残奥会"))
    assert "周佳敏" in client.get(f"/competitions/{rio}").get_data(as_text=True)
    assert client.get(f"/competitions/athletes/{athlete.id}").status_code == 200


def test_upcoming_events_have_schedule_venue_and_entries(app, demo):
    today = clock.today()
    events = db.session.scalars(
        sa.select(CompetitionEvent)
        .join(Competition)
        .where(Competition.start_on > today)
        .order_by(CompetitionEvent.starts_at)
    ).all()
    assert len(events) == 6
    for event in events:
        assert event.starts_at < event.ends_at and event.venue_id is not None
        assert len(event.entries) >= 2
    assert events[0].sport.code == "dryland_curling"
    assert events[-1].starts_at.date() <= today + timedelta(days=120)
    # The busy source sees the next friendly at its venue, with athletes and a support person.
    first = events[0]
    window = (first.starts_at - timedelta(hours=1), first.ends_at + timedelta(hours=1))
    with app.test_request_context():
        bookings = event_bookings(*window, frozenset({first.venue_id}), frozenset())
    assert [b.id for b in bookings] == [first.id]
    members = {a.person_id for e in first.entries for a in e.athletes}
    helpers = {s.person_id for e in first.entries for s in e.support if s.person_id}
    assert helpers and bookings[0].person_ids == frozenset(members | helpers)
