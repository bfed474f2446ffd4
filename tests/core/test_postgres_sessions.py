"""Read-only requests end with COMMIT on PostgreSQL, so psycopg keeps its prepared statements
(app/core/postgres.py); anything written and not committed is still rolled back."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.core import postgres
from app.core.reference import Town, TownKind
from app.extensions import db


@pytest.fixture
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("prepared statements and txid_current_if_assigned() are PostgreSQL's")


def _prepared_statements() -> set[str]:
    rows = db.session.execute(sa.text("SELECT statement FROM pg_prepared_statements"))
    return {row[0] for row in rows}


def test_a_page_read_again_runs_prepared_statements(app, postgresql_only):
    # An app of its own: the suite's app shares the test's app context with every request,
    # so its requests never end a transaction; this one's requests each have their own, as
    # under gunicorn, and one pooled connection serves them all.
    from app import create_app

    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SERVER_NAME": "localhost",
        }
    )
    client = other.test_client()
    try:
        for _ in range(7):
            assert client.get("/venues/").status_code == 200
        with other.app_context():
            statements = _prepared_statements()
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
    assert any("FROM venues JOIN towns" in s for s in statements), statements
    assert "SELECT txid_current_if_assigned() IS NULL" in statements


def test_a_read_only_transaction_is_committed_by_the_driver(app, postgresql_only):
    with app.app_context():
        db.session.execute(sa.select(sa.literal(1)))
        assert postgres.end_read_only_transaction(db.session()) is True
        # SQLAlchemy's own rollback afterwards finds the connection idle: nothing to undo.
        db.session.remove()


def _towns() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Town))


def test_a_write_no_one_committed_is_still_rolled_back(app, postgresql_only):
    with app.app_context():
        db.session.add(Town(name="未提交镇", name_en="Uncommitted", kind=TownKind.TOWN))
        db.session.flush()
        assert postgres.end_read_only_transaction(db.session()) is False
    with app.app_context():
        assert _towns() == 0


def test_an_app_context_that_wrote_without_committing_leaves_nothing(app, postgresql_only):
    with app.app_context():
        db.session.add(Town(name="遗忘镇", name_en="Forgotten", kind=TownKind.TOWN))
        db.session.flush()
    with app.app_context():
        assert _towns() == 0


def test_a_failed_request_is_rolled_back(app, postgresql_only):
    with pytest.raises(RuntimeError), app.app_context():
        db.session.execute(sa.select(sa.literal(1)))
        raise RuntimeError("the request failed")
    with app.app_context():
        assert _towns() == 0


def test_sqlite_is_left_alone(app):
    if db.engine.dialect.name == "postgresql":
        pytest.skip("the SQLite side of the switch")
    with app.app_context():
        db.session.execute(sa.select(sa.literal(1)))
        # No connection was remembered: SQLite ends its transactions as before.
        assert postgres._KEY not in db.session().info
