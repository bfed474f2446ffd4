"""SQLite behaves like PostgreSQL where it matters: foreign keys are enforced."""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


def _enable_foreign_keys(dbapi_connection, connection_record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def register(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from app.extensions import db

    with app.app_context():
        engine: Engine = db.engine
        if not event.contains(engine, "connect", _enable_foreign_keys):
            event.listen(engine, "connect", _enable_foreign_keys)
