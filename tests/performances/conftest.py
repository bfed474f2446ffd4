"""Performances tests assert the English source messages; builders for programmes, troupes
and performances (through the services), and a fake busy source for cross-kind clashes."""

from datetime import UTC, datetime

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


def at(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    """A Beijing wall-clock time as an aware UTC instant (Beijing is UTC+8, no DST)."""
    from datetime import timedelta

    return datetime(year, month, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


@pytest.fixture
def organiser(make_user):
    return make_user("organiser", display_name="Organiser One")


@pytest.fixture
def make_programme(app, organiser):
    from app.performances import services

    counter = iter(range(1, 10_000))

    def make(organisers=None, **overrides):
        data = {
            "name": f"Programme {next(counter)}",
            "first_year": 2017,
            "last_year": None,
            "description": "",
            "organiser_ids": [u.id for u in (organisers or [organiser])],
        }
        data.update(overrides)
        programme = services.create_programme(data)
        db.session.commit()
        return programme

    return make


@pytest.fixture
def make_troupe(app):
    from app.performances import services

    counter = iter(range(1, 10_000))

    def make(members=(), **overrides):
        troupe = services.create_troupe({"name": f"Troupe {next(counter)}", **overrides})
        for person, role in members:
            services.add_member(troupe, person_id=person.id, birth_on=person.birth_on, role=role)
        db.session.commit()
        return troupe

    return make


@pytest.fixture
def make_performance(app, make_programme, make_venue):
    """``make_performance(start, end, venue=…, people=[(person, role)…], **overrides)``."""
    from app.performances import services

    defaults = {}

    def make(start=None, end=None, *, venue=None, people=(), override_reason="", **overrides):
        if "programme" not in defaults:
            defaults["programme"] = make_programme()
        if venue is None:
            if "venue" not in defaults:
                defaults["venue"] = make_venue(features=["step_free_entrance"])
            venue = defaults["venue"]
        data = {
            "title": "Spring tour",
            "programme_id": defaults["programme"].id,
            "troupe_id": None,
            "setting": "village",
            "venue_id": venue.id,
            "starts_at": start or at(3, 14),
            "ends_at": end or at(3, 16),
            "status": "confirmed",
            "is_public": True,
            "needs": [],
            "people": [
                {"person_id": p.id, "role": role, "uses_wheelchair": False} for p, role in people
            ],
        }
        data.update(overrides)
        result = services.save_performance(None, data, override_reason=override_reason)
        db.session.commit()
        return result.performance

    return make


@pytest.fixture
def fake_source(app):
    """Register a fake busy kind ("fake") for the test; yields the list of its bookings."""
    from app.scheduling import busy

    bookings: list = []

    def source(start, end, venues, people):
        return [
            b
            for b in bookings
            if b.start < end and start < b.end and (b.venue_id in venues or b.person_ids & people)
        ]

    busy.register_source("fake", source)
    yield bookings
    busy.SOURCES.pop("fake", None)
