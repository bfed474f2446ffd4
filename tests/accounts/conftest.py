"""Fixtures for the account tests: an English-speaking admin and a minimal register entry."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db


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
