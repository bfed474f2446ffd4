"""The migrations at head build exactly the models' schema, on SQLite and PostgreSQL, and
downgrade back to nothing. Runs against a database of its own, never the suite's."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    from config import _database_url

    base = sa.engine.make_url(_database_url())
    name = f"{base.database}_migrations"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_head_equals_models_and_downgrade_empties(empty_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        try:
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(
                    conn,
                    opts={
                        "compare_type": True,
                        "compare_server_default": True,
                        "render_as_batch": True,
                    },
                )
                diff = compare_metadata(context, db.metadata)
            assert diff == []

            downgrade(revision="base")
            with db.engine.connect() as conn:
                remaining = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
            assert remaining == set()
        finally:
            # Close pooled connections even when an assertion fails (psycopg warns otherwise).
            db.session.remove()
            db.engine.dispose()


def test_every_enum_check_at_head_admits_exactly_the_enums_values(empty_database_url):
    """Alembic's autogenerate does not compare CHECK constraints: an enum that gains a member
    without a migration would be refused by the database (tests build tables from the models,
    so only this test sees it). Each enum column's constraint at head must name exactly the
    member values."""
    import re

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        try:
            upgrade()
            problems = []
            with db.engine.connect() as conn:
                inspector = sa.inspect(conn)
                for table in db.metadata.sorted_tables:
                    checks = {
                        c["name"]: c["sqltext"] for c in inspector.get_check_constraints(table.name)
                    }
                    for column in table.columns:
                        kind = column.type
                        if not isinstance(kind, sa.Enum) or kind.enum_class is None:
                            continue
                        name = f"ck_{table.name}_{kind.name}"
                        text = checks.get(name)
                        if text is None:
                            problems.append(f"{name}: missing")
                            continue
                        found = set(re.findall(r"'([^']*)'", text))
                        wanted = {member.value for member in kind.enum_class}
                        if found != wanted:
                            problems.append(f"{name}: {sorted(found)} != {sorted(wanted)}")
            assert problems == []
        finally:
            db.session.remove()
            db.engine.dispose()


def test_a_database_with_people_in_it_upgrades(empty_database_url, make_person):
    """Found upgrading the demo database: on SQLite, batch mode rebuilds `people` (copy, DROP,
    rename) and with foreign keys on, dropping a table other rows point at failed, so no
    existing database could take a migration that alters `people`. Down to before the two
    that do (contact e-mail, reminders, WeChat) and up again, with a person and their consent
    in it: both are still there and every foreign key holds."""
    from app.people.models import Consent, Person

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        try:
            upgrade()
            person = make_person(name="迁移测试")
            person_id = person.id
            db.session.remove()  # PostgreSQL: no open read may hold a lock the DDL waits for
            downgrade(revision="e4b7c2a9d1f3")  # before notices: people had no e-mail yet
            upgrade()
            db.session.remove()
            kept = db.session.get(Person, person_id)
            assert kept.name == "迁移测试"
            consents = db.session.scalars(
                sa.select(Consent.person_id).where(Consent.person_id == person_id)
            ).all()
            assert consents == [person_id]
            if db.engine.dialect.name == "sqlite":
                with db.engine.connect() as conn:
                    assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        finally:
            db.session.remove()
            db.engine.dispose()
