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
    # Nothing but SELECTs ran: committed without asking PostgreSQL whether it wrote.
    assert "SELECT txid_current_if_assigned() IS NULL" not in statements


def test_a_read_only_transaction_is_committed_by_the_driver(app, postgresql_only):
    with app.app_context():
        db.session.execute(sa.select(sa.literal(1)))
        assert postgres.end_read_only_transaction(db.session()) is True
        # SQLAlchemy's own rollback afterwards finds the connection idle: nothing to undo.
        db.session.remove()


@pytest.mark.parametrize(
    ("statement", "plain"),
    [
        ("SELECT towns.id FROM towns WHERE towns.id = %(id)s", True),
        ("\n  select 1;  ", True),
        ("SELECT id FROM towns FOR UPDATE", True),  # locks only: released either way
        ("UPDATE towns SET name = 'x'", False),
        ("WITH gone AS (DELETE FROM towns RETURNING id) SELECT * FROM gone", False),
        ("SELECT 1; DELETE FROM towns", False),
        ("SAVEPOINT sa_savepoint_1", False),
        ("INSERT INTO towns (name) SELECT 'x'", False),
    ],
)
def test_only_a_single_select_counts_as_reading(statement, plain):
    assert bool(postgres._PLAIN_SELECT.match(statement)) is plain


def _asks(monkeypatch) -> list[str]:
    """The questions end_read_only_transaction puts to PostgreSQL (its own cursor's SQL)."""
    import psycopg

    asked: list[str] = []
    execute = psycopg.Cursor.execute

    def spy(self, query, *args, **kwargs):
        asked.append(query)
        return execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", spy)
    return asked


def test_only_selects_are_committed_without_asking(app, postgresql_only, monkeypatch):
    with app.app_context():
        db.session.execute(sa.select(sa.literal(1)))
        db.session.execute(sa.text("select count(*) from towns"))
        asked = _asks(monkeypatch)
        assert postgres.end_read_only_transaction(db.session()) is True
        assert asked == []
        db.session.remove()


def test_any_other_statement_asks_postgresql(app, postgresql_only, monkeypatch):
    with app.app_context():
        # An UPDATE that changed no row assigns no transaction id: nothing written, committed.
        db.session.execute(sa.text("UPDATE towns SET name = name WHERE id = -1"))
        asked = _asks(monkeypatch)
        assert postgres.end_read_only_transaction(db.session()) is True
        assert asked == ["SELECT txid_current_if_assigned() IS NULL"]
        db.session.remove()


def test_a_write_by_a_statement_no_one_committed_is_rolled_back(app, postgresql_only):
    with app.app_context():
        db.session.execute(sa.select(sa.literal(1)))
        db.session.execute(
            sa.text(
                "INSERT INTO towns (name, name_en, kind, sort_order) VALUES ('语句镇', 'S', 'town', 0)"
            )
        )
        db.session.execute(sa.select(sa.literal(1)))  # a SELECT after it changes nothing
        assert postgres.end_read_only_transaction(db.session()) is False
    with app.app_context():
        assert _towns() == 0


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


# --- the pool pings a connection left idle, not one just handed back ----------------------


@pytest.fixture
def own_app(app, postgresql_only):
    """An app of its own on the suite's database (its own engine and pool)."""
    from app import create_app

    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SERVER_NAME": "localhost",
        }
    )
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _pings(app, monkeypatch) -> list[int]:
    with app.app_context():
        dialect = db.engine.dialect
    pings: list[int] = []
    ping = dialect.do_ping

    def counted(dbapi_connection):
        pings.append(1)
        return ping(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counted)
    return pings


def test_a_connection_just_handed_back_is_not_pinged(own_app, monkeypatch):
    assert own_app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is False
    pings = _pings(own_app, monkeypatch)
    client = own_app.test_client()
    for _ in range(5):
        assert client.get("/venues/").status_code == 200
    assert pings == []


def test_a_connection_left_idle_is_pinged(own_app, monkeypatch):
    client = own_app.test_client()
    assert client.get("/venues/").status_code == 200
    pings = _pings(own_app, monkeypatch)
    monkeypatch.setattr(postgres, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert client.get("/venues/").status_code == 200
    assert pings == [1]


def test_a_connection_the_server_dropped_while_idle_is_replaced(own_app, monkeypatch):
    client = own_app.test_client()
    assert client.get("/venues/").status_code == 200
    with own_app.app_context():
        pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
        db.session.commit()
    # The server ends that connection (a restart, an idle timeout) while the site is quiet.
    with db.engine.connect() as other:
        other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    monkeypatch.setattr(postgres, "PING_AFTER_IDLE_SECONDS", 0.0)
    assert client.get("/venues/").status_code == 200
    with own_app.app_context():
        assert db.session.scalar(sa.text("SELECT pg_backend_pid()")) != pid


def test_the_apps_sessions_run_without_jit(app, postgresql_only):
    assert db.session.scalar(sa.text("SHOW jit")) == "off"


def test_connect_options_of_the_settings_are_kept(app):
    from flask import Flask

    other = Flask(__name__)
    other.config.update(
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://localhost/x",
        SQLALCHEMY_ENGINE_OPTIONS={
            "hide_parameters": True,
            "connect_args": {"options": "-c statement_timeout=5000", "connect_timeout": 3},
        },
    )
    postgres.configure(other)
    assert other.config["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "hide_parameters": True,
        "pool_pre_ping": False,
        "connect_args": {"options": "-c statement_timeout=5000 -c jit=off", "connect_timeout": 3},
    }
