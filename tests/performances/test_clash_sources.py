"""A performance at the venue where a competition event runs "at the competition's venue"
(the event has no venue of its own) clashes: the competitions' busy source resolves the
inherited venue. The clash message names who is double-booked to those who may see names
(issue 12 item 11)."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.performances import services
from tests.athletes.conftest import sports  # noqa: F401
from tests.competitions.conftest import make_competition, make_event  # noqa: F401
from tests.performances.conftest import at


def test_an_event_at_the_competitions_venue_clashes(
    make_competition,  # noqa: F811
    make_event,  # noqa: F811
    make_performance,
    make_venue,
):
    hall = make_venue(name="体育馆")
    competition = make_competition(
        start_on=date(2026, 12, 3), end_on=date(2026, 12, 3), venue_id=hall.id
    )
    event = make_event(competition, starts_at=at(3, 9), ends_at=at(3, 12), venue_id=None)
    assert event.venue_id is None
    with pytest.raises(services.ClashError) as caught:
        make_performance(at(3, 10), at(3, 11), venue=hall)
    db.session.rollback()
    [clash] = caught.value.clashes
    assert (clash.booking.kind, clash.booking.id, clash.venue) == (
        "competition_event",
        event.id,
        True,
    )
    assert clash.booking.venue_id == hall.id
    # An event with a venue of its own elsewhere does not take the competition's.
    other = make_venue(name="游泳馆")
    make_event(competition, starts_at=at(3, 13), ends_at=at(3, 15), venue_id=other.id)
    make_performance(at(3, 13), at(3, 14), venue=hall)


def test_the_clash_message_names_the_people_booked_in_both(
    client, login_as, organiser, make_performance, make_person, make_venue
):
    from tests.performances.test_routes import form_data

    wu, li = make_person(name="吴小梅"), make_person(name="李强")
    first = make_performance(
        at(3, 14), at(3, 16), title="Earlier booking", people=[(wu, "performer"), (li, "driver")]
    )
    second = make_performance(at(3, 18), at(3, 19), title="Second show", venue=make_venue())
    services.save_performance(
        second,
        {
            **form_values(second),
            "people": [
                {"person_id": wu.id, "role": "performer", "uses_wheelchair": False},
                {"person_id": li.id, "role": "driver", "uses_wheelchair": False},
            ],
        },
        version=second.version,
    )
    db.session.commit()
    login_as(user=organiser)
    data = form_data(second, start_time="15:00", end_time="17:00")
    data.update({f"role_{wu.id}": "performer", f"role_{li.id}": "driver"})
    data["setting"] = "village"
    response = client.post(f"/performances/{second.id}/edit", data=data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Clash with Earlier booking" in text
    assert "booked in both: 吴小梅, 李强" in text or "booked in both: 李强, 吴小梅" in text
    assert "2 people booked in both" not in text
    assert first.id


def form_values(performance) -> dict:
    return {
        "title": performance.title,
        "programme_id": performance.programme_id,
        "troupe_id": None,
        "setting": performance.setting.value,
        "venue_id": performance.venue_id,
        "starts_at": performance.starts_at,
        "ends_at": performance.ends_at,
        "status": performance.status.value,
        "is_public": performance.is_public,
        "needs": [],
    }
