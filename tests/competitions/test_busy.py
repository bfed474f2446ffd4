"""The competition-event source of the busy query: scheduled events of competitions that are
not cancelled, overlapping the window (touching does not clash), at the venue or occupying a
person (athletes of entries not withdrawn, team members too, support people from the
register); two queries whatever the number of events."""

from datetime import UTC, datetime, timedelta

import pytest

from app.competitions import services
from app.competitions.busy import KIND, event_bookings
from app.extensions import db
from app.scheduling.busy import SOURCES, find_clashes

NINE = datetime(2027, 1, 10, 1, 0, tzinfo=UTC)  # 09:00 Beijing time
ELEVEN = NINE + timedelta(hours=2)


@pytest.fixture
def scene(make_competition, make_event, make_athlete, make_person, make_venue):
    venue = make_venue(name="训练基地")
    competition = make_competition(start_on=NINE.date())
    event = make_event(competition, starts_at=NINE, ends_at=ELEVEN, venue_id=venue.id)
    team_event = make_event(
        competition,
        name="Mixed team",
        is_team=True,
        starts_at=ELEVEN,
        ends_at=ELEVEN + timedelta(hours=2),
    )
    solo, first, second = make_athlete(), make_athlete(), make_athlete()
    assistant = make_person()
    services.create_entry(
        event,
        athlete_ids=[solo.id],
        support=[{"role": "assistant", "person_id": assistant.id}, {"role": "guide", "name": "王"}],
    )
    team, _warnings = services.create_entry(
        team_event, athlete_ids=[first.id, second.id], team_name="Fenghua"
    )
    db.session.commit()
    return {
        "venue": venue,
        "competition": competition,
        "event": event,
        "team_event": team_event,
        "team": team,
        "solo": solo.person_id,
        "members": {first.person_id, second.person_id},
        "assistant": assistant.id,
    }


def test_registered_from_the_package():
    assert SOURCES[KIND] is event_bookings


def test_venue_and_people_of_an_event(app, scene, count_queries):
    venues = frozenset({scene["venue"].id})  # loaded before counting
    with app.test_request_context(), count_queries() as q:
        bookings = event_bookings(NINE, ELEVEN, venues, frozenset())
    assert q.count == 2
    [booking] = bookings
    assert (booking.kind, booking.id, booking.venue_id) == (
        KIND,
        scene["event"].id,
        scene["venue"].id,
    )
    assert (booking.start, booking.end) == (NINE, ELEVEN)
    assert booking.person_ids == frozenset({scene["solo"], scene["assistant"]})
    assert booking.url.endswith(
        f"/competitions/{scene['competition'].id}#event-{scene['event'].id}"
    )


def test_team_members_occupied_and_touching_does_not_clash(app, scene):
    members = frozenset(scene["members"])
    with app.test_request_context():
        # The team event starts at 11:00, when the other ends: a window ending at 11:00 touches.
        assert event_bookings(NINE, ELEVEN, frozenset(), members) == []
        [booking] = event_bookings(NINE, ELEVEN + timedelta(minutes=1), frozenset(), members)
        assert booking.id == scene["team_event"].id and booking.person_ids == members
        clashes = find_clashes(
            ELEVEN - timedelta(minutes=30), ELEVEN, person_ids=[scene["assistant"]]
        )
        assert [(c.booking.kind, c.booking.id) for c in clashes] == [(KIND, scene["event"].id)]
        assert find_clashes(ELEVEN, ELEVEN + timedelta(hours=1), venue_id=scene["venue"].id) == []


def test_withdrawn_entries_and_cancelled_competitions_occupy_nothing(app, scene):
    services.set_entry_status(scene["team"], "withdrawn", version=scene["team"].version)
    db.session.commit()
    window = (NINE, ELEVEN + timedelta(hours=3))
    with app.test_request_context():
        assert event_bookings(*window, frozenset(), frozenset(scene["members"])) == []
        competition = scene["competition"]
        competition.status = "cancelled"
        db.session.commit()
        assert event_bookings(*window, frozenset({scene["venue"].id}), frozenset()) == []


def test_query_count_does_not_grow(app, scene, make_event, make_athlete, count_queries):
    for hour in range(5):
        event = make_event(
            scene["competition"],
            name=f"Heat {hour}",
            starts_at=NINE + timedelta(minutes=10 * hour),
            ends_at=ELEVEN,
            venue_id=scene["venue"].id,
        )
        services.create_entry(event, athlete_ids=[make_athlete().id])
    db.session.commit()
    venues = frozenset({scene["venue"].id})
    with app.test_request_context(), count_queries() as q:
        bookings = event_bookings(NINE, ELEVEN, venues, frozenset())
    assert len(bookings) == 6 and q.count == 2
    with app.test_request_context(), count_queries() as q:
        assert event_bookings(NINE, ELEVEN, frozenset(), frozenset()) == []
    assert q.count == 0
