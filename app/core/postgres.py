"""PostgreSQL keeps each worker's prepared statements from one request to the next.

psycopg prepares a statement on the server once it has run five times on a connection
(``prepare_threshold``), so the planning of the app's hot statements is done once per worker
instead of at every request: on the coach's dashboard, planning its five statements took
0.5–1.7 ms each, several times what running them takes (docs/benchmarks.md). But psycopg
forgets everything it prepared whenever its connection rolls back, and SQLAlchemy ends every
request's transaction with a rollback, the read-only ones included, so nothing was ever
reused.

Here a request whose transaction wrote nothing ends with COMMIT instead, which for such a
transaction is the same as a rollback. Whether it wrote is asked of PostgreSQL itself
(``txid_current_if_assigned()`` is null until a transaction writes or locks a row), so a write
that no one committed is still rolled back, and a request that failed rolls back as before.
The commit is the driver's (SQLAlchemy's own rollback that follows finds nothing to do), so
the commit hooks of app/core/commit_hooks.py do not run for it: nothing was written."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

_KEY = "postgres_connection"


def _remember_connection(session, transaction, connection) -> None:
    session.info[_KEY] = connection


def end_read_only_transaction(session: Session) -> bool:
    """COMMIT the session's PostgreSQL transaction at the driver if it wrote nothing (True),
    else leave it to be rolled back (False)."""
    from psycopg import pq

    connection = session.info.pop(_KEY, None)
    if connection is None or connection.closed or connection.invalidated:
        return False
    raw = connection.connection.dbapi_connection
    if raw is None or raw.info.transaction_status != pq.TransactionStatus.INTRANS:
        return False
    with raw.cursor() as cursor:
        cursor.execute("SELECT txid_current_if_assigned() IS NULL")
        row = cursor.fetchone()
    if not row or not row[0]:
        return False
    raw.commit()
    return True


def register(app: Flask) -> None:
    """Call after ``db.init_app``: teardown functions run last-registered first, so this one
    runs before Flask-SQLAlchemy's ``session.remove()`` rolls the transaction back."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    from app.extensions import db

    if not event.contains(Session, "after_begin", _remember_connection):
        event.listen(Session, "after_begin", _remember_connection)

    @app.teardown_appcontext
    def _end_read_only(exc: BaseException | None) -> None:
        if exc is None and db.session.registry.has():
            end_read_only_transaction(db.session())
