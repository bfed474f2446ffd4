from __future__ import annotations

import pytest


@pytest.fixture
def seeded(demo):
    """The demo data, so that the dummy id 1 in each URL names a real record where the
    demo has one (a 404 from an empty table proves nothing about access control). The
    ``demo`` fixture numbers its rows from 1."""
    return demo


@pytest.fixture
def csrf_on(app):
    """CSRF protection as in production, for this test only."""
    saved = app.config.get("WTF_CSRF_ENABLED")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = saved


@pytest.fixture
def sign_in(client):
    """Sign the test client in as an existing user (what Flask-Login stores)."""

    def sign(user):
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return sign
