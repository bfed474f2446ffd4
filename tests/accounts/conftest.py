"""Fixtures for the account tests: an English-speaking admin and a minimal register entry."""

from __future__ import annotations

from datetime import date

import pytest
from flask import g, request_started

from app.extensions import db


def _fresh_g(sender, **extra):
    g.__dict__.clear()


@pytest.fixture(autouse=True)
def fresh_g_per_request(app):
    """Each request starts with an empty ``g``, as in production.

    The shared ``_clean_state`` fixture holds one app context for the whole test, and a
    request reuses an app context that is already pushed, so without this ``g`` (Flask-Login's
    cached ``g._login_user``, Flask-Babel's cached locale, ``g.personal_data``) would carry
    over from one request to the next, and from one test client to another: a session that
    should have ended would still look signed in."""
    request_started.connect(_fresh_g, app)
    yield
    request_started.disconnect(_fresh_g, app)


@pytest.fixture
def admin(login_as):
    """The signed-in administrator (English pages, so assertions read English text)."""
    return login_as("admin", username="boss", display_name="Boss Admin", language="en")


@pytest.fixture
def register_person(app):
    """A person in the register with only the required fields (for linking accounts)."""
    from app.people.enums import Gender
    from app.people.models import Person

    def make(name="测试人"):
        person = Person(name=name, gender=list(Gender)[0], birth_on=date(1990, 5, 17))
        db.session.add(person)
        db.session.commit()
        return person

    return make
