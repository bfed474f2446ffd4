"""The demo data, loaded once per test run and copied into the test database for each test that
asks for it (the ``demo`` fixture of tests/conftest.py).

Loading the demo goes through every service (people, athletes, 59 performances, 578 home
members, attendance, calendar items rendered at commit) and takes seconds; copying its rows
back takes a fraction of that. The snapshot is made once, the first time a test needs it:
the demo is loaded into the (empty) test database, its rows are copied aside, and the tables
are emptied again. Restoring is one ``INSERT … SELECT`` per table, parents first, in one
transaction:

- SQLite: the snapshot is a database file (a copy of the test database made with SQLite's
  backup API) that the restoring connection attaches as ``demo_snapshot``. Rows are copied
  into the open test database rather than copying the file over it: the app's engine, its
  pooled connections and the browser tests' live server keep working on the same file, and
  nothing is ever replaced under an open connection.
- PostgreSQL: the snapshot is a schema ``demo_snapshot`` in the test database itself
  (``CREATE TABLE … AS TABLE``). A template database (``CREATE DATABASE … TEMPLATE``) would
  mean dropping and recreating the database the suite is connected to, which needs every
  connection closed (the pool, the live server's threads), the CREATEDB right, and leaves no
  database at all if a run dies half way; a schema needs only the rights the suite already
  uses (it drops ``public`` itself), and the suite drops it with ``public`` at the start and
  end of every run. Sequences are set past the restored ids.

Rows are numbered from 1 in the snapshot on both databases (identities restarted before the
load), so the demo's ids are the same in every test and on both databases.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa

SCHEMA = "demo_snapshot"


def restart_ids(engine: sa.Engine, tables) -> None:
    """Number rows from 1 again (the tables must be empty). PostgreSQL sequences otherwise
    carry on from earlier tests; SQLite reuses ids unless a table is AUTOINCREMENT."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(conn.dialect.identifier_preparer.format_table(t) for t in tables)
            conn.execute(sa.text(f"TRUNCATE TABLE {names} RESTART IDENTITY CASCADE"))
        elif conn.execute(
            sa.text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
        ).first():
            conn.execute(sa.text("DELETE FROM sqlite_sequence"))


def empty_tables(engine: sa.Engine, tables) -> None:
    with engine.begin() as conn:
        for table in reversed(tables):
            conn.execute(table.delete())


def drop_schema(conn) -> None:
    """Drop the PostgreSQL snapshot schema (the suite calls it with ``public``'s reset)."""
    conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))


class DemoSnapshot:
    """``DemoSnapshot.build(engine, tables, load, path)`` loads the demo with ``load()`` (which
    commits and returns the logins) and keeps its rows; ``restore()`` copies them into the
    empty test database."""

    def __init__(self, engine: sa.Engine, tables, logins, path: Path | None):
        self.engine = engine
        self.tables = list(tables)
        self.logins = logins
        self.path = path
        self.counts: dict[str, int] = {}

    @classmethod
    def build(cls, engine: sa.Engine, tables, load, path: Path) -> DemoSnapshot:
        tables = list(tables)
        empty_tables(engine, tables)
        restart_ids(engine, tables)
        logins = load()
        sqlite = engine.dialect.name == "sqlite"
        snapshot = cls(engine, tables, logins, path if sqlite else None)
        with engine.begin() as conn:
            snapshot.counts = {
                t.name: conn.scalar(sa.select(sa.func.count()).select_from(t)) for t in tables
            }
        if sqlite:
            raw = engine.raw_connection()
            try:
                target = sqlite3.connect(path)
                try:
                    raw.driver_connection.backup(target)
                finally:
                    target.close()
            finally:
                raw.close()
        else:
            with engine.begin() as conn:
                drop_schema(conn)
                conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
                for table in tables:
                    name = conn.dialect.identifier_preparer.quote(table.name)
                    conn.execute(sa.text(f"CREATE TABLE {SCHEMA}.{name} AS TABLE public.{name}"))
        empty_tables(engine, tables)
        return snapshot

    def restore(self) -> None:
        """Copy the demo's rows into the test database, whose tables are empty (every test
        ends by emptying them)."""
        with self.engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                conn.exec_driver_sql(f"ATTACH DATABASE ? AS {SCHEMA}", (str(self.path),))
                conn.commit()
            try:
                quote = conn.dialect.identifier_preparer.quote
                later = []
                for table in self.tables:
                    name = quote(table.name)
                    # A foreign key that closes a cycle (use_alter, e.g. users.person_id while
                    # people point at users) is filled in once both tables hold their rows.
                    cyclic = {fk.parent.name for fk in table.foreign_keys if fk.use_alter}
                    columns = ", ".join(quote(c.name) for c in table.columns)
                    values = ", ".join(
                        "NULL" if c.name in cyclic else quote(c.name) for c in table.columns
                    )
                    conn.execute(
                        sa.text(
                            f"INSERT INTO {name} ({columns}) SELECT {values} FROM {SCHEMA}.{name}"
                        )
                    )
                    later += [(table, column) for column in sorted(cyclic)]
                for table, column in later:
                    name, col = quote(table.name), quote(column)
                    (key,) = [quote(c.name) for c in table.primary_key.columns]
                    conn.execute(
                        sa.text(
                            f"UPDATE {name} SET {col} = (SELECT s.{col} FROM {SCHEMA}.{name} s "
                            f"WHERE s.{key} = {name}.{key})"
                        )
                    )
                if not sqlite:
                    self._move_sequences(conn)
                conn.commit()
            finally:
                if sqlite:
                    conn.rollback()
                    conn.exec_driver_sql(f"DETACH DATABASE {SCHEMA}")
                    conn.commit()

    def _move_sequences(self, conn) -> None:
        """Each serial column's sequence continues after the restored rows."""
        quote = conn.dialect.identifier_preparer.quote
        for table in self.tables:
            column = table.autoincrement_column
            if column is None:
                continue
            name, col = quote(table.name), quote(column.name)
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                    f"coalesce(max({col}), 0) + 1, false) FROM {name}"
                ),
                {"table": name, "column": column.name},
            )
