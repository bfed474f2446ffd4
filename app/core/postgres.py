"""PostgreSQL keeps each worker's prepared statements from one request to the next.

psycopg prepares a statement on the server once it has run five times on a connection
(``prepare_threshold``), so the planning of the app's hot statements is done once per worker
instead of at every request: on the coach's dashboard, planning its five statements took
0.5–1.7 ms each, several times what running them takes (docs/benchmarks.md). But psycopg
forgets everything it prepared whenever its connection rolls back, and SQLAlchemy ends every
request's transaction with a rollback, the read-only ones included, so nothing was ever
reused.

Here a request whose transaction wrote nothing ends with COMMIT instead, which for such a
transaction is the same as a rollback. A transaction that ran nothing but single SELECT
statements (each statement is looked at as it goes to the driver) wrote nothing and is
committed at once; for any other, whether it wrote is asked of PostgreSQL itself
(``txid_current_if_assigned()`` is null until a transaction writes or locks a row), so a write
that no one committed is still rolled back, and a request that failed rolls back as before.
Under load the question cost a round trip of every read-only request, an eighth of a coach's
list page's time in its worker (docs/benchmarks.md). The commit is the driver's (SQLAlchemy's
own rollback that follows finds nothing to do), so the commit hooks of
app/core/commit_hooks.py do not run for it: nothing was written.

The pool's ping is the other round trip every request paid: ``pool_pre_ping`` asks the server
at each checkout whether the connection still works. Here a connection is pinged only when it
comes out of the pool after ``PING_AFTER_IDLE_SECONDS`` unused (a server restarted or a
connection dropped while the site was quiet is found there and replaced, as with
``pool_pre_ping``); one handed back by a request a moment ago is not. A server that goes away
while requests come in fails those requests with either setting; then SQLAlchemy sees the
disconnect and renews the whole pool, and one more request per worker, started within the
second, may fail on its old connection before that."""

from __future__ import annotations

import re
import time

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

_KEY = "postgres_connection"
# On the connection (its info lives as long as the pooled connection): True while the
# transaction the session began on it has run only plain SELECTs.
_ONLY_SELECTS = "ronghe_only_selects"
# One SELECT statement: no second statement after a semicolon (a semicolon inside a literal
# makes it "something else", which only costs the question to PostgreSQL).
_PLAIN_SELECT = re.compile(r"\s*SELECT\b[^;]*;?\s*\Z", re.IGNORECASE)


def _remember_connection(session, transaction, connection) -> None:
    session.info[_KEY] = connection
    connection.info[_ONLY_SELECTS] = True


def _note_statement(connection, cursor, statement, parameters, context, executemany) -> None:
    if connection.info.get(_ONLY_SELECTS) and not _PLAIN_SELECT.match(statement):
        connection.info[_ONLY_SELECTS] = False


# A connection unused this long is pinged when it next leaves the pool.
PING_AFTER_IDLE_SECONDS = 1.0
_RETURNED_AT = "ronghe_returned_at"


def _connected(dbapi_connection, record) -> None:
    record.info[_RETURNED_AT] = time.monotonic()  # new: nothing to ping yet


def _returned(dbapi_connection, record) -> None:
    record.info[_RETURNED_AT] = time.monotonic()


def _ping_if_idle(dialect):
    def checkout(dbapi_connection, record, proxy) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is not None and time.monotonic() - returned < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                # The pool drops this connection and every older one, and connects anew.
                raise sa.exc.InvalidatePoolError() from error
            raise

    return checkout


def configure(app: Flask) -> None:
    """Call before ``db.init_app``: on PostgreSQL the pool pings idle connections only (the
    checkout hook ``register`` installs) instead of every connection at every checkout, and
    the app's sessions run without JIT compilation. A statement the planner prices above
    ``jit_above_cost`` (a grouped pass over months of roll-call marks, a correlated count)
    was compiled for 50-200 ms and then ran for less: a web request never wins it back
    (docs/benchmarks.md, the homes dashboard)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    options = app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {}
    connect_args = dict(options.get("connect_args") or {})
    connect_args["options"] = " ".join(
        part for part in (connect_args.get("options"), "-c jit=off") if part
    )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **options,
        "pool_pre_ping": False,
        "connect_args": connect_args,
    }


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
    if not connection.info.pop(_ONLY_SELECTS, False):
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
    with app.app_context():
        engine = db.engine
    if not event.contains(engine, "before_cursor_execute", _note_statement):
        event.listen(engine, "before_cursor_execute", _note_statement)
        event.listen(engine.pool, "connect", _connected)
        event.listen(engine.pool, "checkin", _returned)
        event.listen(engine.pool, "checkout", _ping_if_idle(engine.dialect))

    @app.teardown_appcontext
    def _end_read_only(exc: BaseException | None) -> None:
        if exc is None and db.session.registry.has():
            end_read_only_transaction(db.session())
