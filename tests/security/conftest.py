from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.extensions import db


@pytest.fixture
def seeded(app):
    """The demo data, so that the dummy id 1 in each URL names a real record where the
    demo has one (a 404 from an empty table proves nothing about access control)."""
    from app.demo import load_demo

    restart_ids()
    load_demo()
    db.session.commit()


def restart_ids() -> None:
    """Number rows from 1 again (the tables are empty here: every test ends by emptying
    them). PostgreSQL sequences otherwise carry on from earlier tests."""
    tables = db.metadata.sorted_tables
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(conn.dialect.identifier_preparer.format_table(t) for t in tables)
            conn.execute(sa.text(f"TRUNCATE TABLE {names} RESTART IDENTITY CASCADE"))
        elif conn.execute(
            sa.text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
        ).first():
            conn.execute(sa.text("DELETE FROM sqlite_sequence"))


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
