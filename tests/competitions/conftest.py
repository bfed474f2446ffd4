"""Competitions tests: English messages, the athletes factories, and small builders for
competitions, events, entries and results."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from tests.athletes.conftest import _english, make_athlete, make_user, sports  # noqa: F401


@pytest.fixture
def make_competition(app, sports):  # noqa: F811
    from app.competitions import services

    counter = iter(range(1, 10_000))

    def make(**overrides):
        n = next(counter)
        data = {
            "name": f"Test Games {n}",
            "level": "national",
            "start_on": date(2018, 5, 1),
            "end_on": date(2018, 5, 5),
            "host_city": "Ningbo",
            "delegation": "Zhejiang",
            "sport_ids": [sports["archery"].id],
        }
        if "start_on" in overrides and "end_on" not in overrides:
            data["end_on"] = overrides["start_on"] + timedelta(days=4)
        data.update(overrides)
        competition = services.create_competition(data)
        db.session.commit()
        return competition

    return make


@pytest.fixture
def make_event(app, sports):  # noqa: F811
    from app.competitions import services

    def make(competition, *, sport="archery", **overrides):
        data = {
            "name": "Women's individual compound open",
            "sport_id": sports[sport].id,
            "gender": "women",
            "sport_class": "Open",
            "is_team": False,
        }
        data.update(overrides)
        event = services.add_event(competition, data)
        db.session.commit()
        return event

    return make


@pytest.fixture
def enter(app):
    """``enter(event, athlete, ..., medal="gold", rank=1)``: an entry with an OK result,
    official as results saved before publishing existed (``official=False``: provisional, as
    the results screen leaves it until the event's results are published)."""
    import sqlalchemy as sa

    from app.competitions import services
    from app.competitions.models import Result

    def make(event, *athletes, team_name="", result=True, official=True, **result_values):
        entry, _warnings = services.create_entry(
            event,
            athlete_ids=[a.id for a in athletes],
            team_name=team_name or ("Team" if len(athletes) > 1 else ""),
        )
        if result:
            medal = result_values.get("medal", "none")
            result_values.setdefault("rank", {"gold": 1, "silver": 2, "bronze": 3}.get(medal, None))
            saved = services.save_result(entry, **result_values)
            if official:  # as a row saved before publishing existed (version unchanged)
                db.session.execute(
                    sa.update(Result).where(Result.id == saved.id).values(is_provisional=False)
                )
        db.session.commit()
        return entry

    return make
