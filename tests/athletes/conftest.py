"""Athletes tests assert the English source messages; factories for sports and athletes."""

from datetime import date

import pytest

from app.extensions import db


@pytest.fixture(autouse=True)
def _english(request):
    if "app" not in request.fixturenames:
        yield
        return
    from flask_babel import force_locale

    with force_locale("en"):
        yield


@pytest.fixture
def sports(app):
    """The seed sports and measures: {code: (id, code)} (plain values, so they outlive a
    session.remove())."""
    from types import SimpleNamespace

    from app.athletes.reference import ensure_measures, ensure_sports

    ensure_measures(db.session)
    result = {s.code: SimpleNamespace(id=s.id, code=s.code) for s in ensure_sports(db.session)}
    db.session.commit()
    return result


@pytest.fixture
def make_athlete(app, sports, make_person):
    """``make_athlete(coaches=[user], stage="reserve", sport="archery", **overrides)``: a
    committed athlete made through the service (a new person unless ``person`` is given)."""
    from app.athletes import services

    def make(*, person=None, sport="archery", coaches=(), actor=None, **overrides):
        person = person or make_person(**overrides.pop("person_fields", {}))
        values = {
            "person_id": person.id,
            "primary_sport_id": sports[sport].id,
            "discovery_source": "sunshine_home",
            "discovered_on": date(2024, 3, 1),
            "coach_ids": [getattr(c, "id", c) for c in coaches],
            "birth_on": person.birth_on,
        }
        values.update(overrides)
        athlete = services.create_athlete(actor=actor, **values)
        db.session.commit()
        return athlete

    return make


@pytest.fixture
def make_user(make_user):
    """Users read English pages unless told otherwise (their saved language wins over
    Accept-Language)."""

    def make(*roles, **overrides):
        overrides.setdefault("language", "en")
        return make_user(*roles, **overrides)

    return make
