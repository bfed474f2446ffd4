"""The round trip of the athlete profile's edit form (tests/roundtrip.py): every field changed
at once, Chinese with full-width punctuation kept, reopened as typed; two sessions: the second's
409 panel names every field the first changed, many-valued ones included (issue 19 item 3)."""

from __future__ import annotations

from datetime import date

from app.athletes.models import AthleteProfile
from app.extensions import db
from tests.roundtrip import CHINESE, round_trip, sign_in, two_sessions


def test_athlete_edit_round_trip_and_two_sessions(
    app, client, login_as, make_athlete, make_user, sports
):
    login_as("admin")
    athlete = make_athlete()
    url = f"/athletes/{athlete.id}/edit"
    round_trip(
        client,
        url,
        {
            "primary_sport_id": str(sports["swimming"].id),
            "sport_ids": [str(sports["archery"].id)],
            "squad_level": "city",
            "discovery_source": "referral",
            "discovered_on-year": "2023",
            "discovered_on-month": "11",
            "discovered_on-day": "15",
            "notes": CHINESE,
        },
    )
    db.session.expire_all()
    stored = db.session.get(AthleteProfile, athlete.id)
    assert (stored.notes, stored.discovered_on) == (CHINESE, date(2023, 11, 15))
    second = app.test_client()
    sign_in(second, make_user("admin"))
    two_sessions(
        client,
        second,
        url,
        {"sport_ids": [], "squad_level": "provincial", "discovered_on-day": "16"},
        {"notes": "复查，良好。"},
    )
