"""/healthz (the process is up) and /readyz (database, schema at head, Redis when configured)
for a load balancer (issue 13, Health)."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from tests.conftest import stamp_head


def drop_alembic_version():
    db.session.remove()  # no transaction of the test may hold the table
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def test_healthz_needs_nothing_but_the_process(client, count_queries):
    with count_queries() as q:
        response = client.get("/healthz")
    assert (response.status_code, response.get_json(), q.count) == (200, {"status": "ok"}, 0)


def test_readyz_is_ready_at_head(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok"},
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_unavailable_when_the_schema_is_not_migrated(client):
    drop_alembic_version()
    try:
        response = client.get("/readyz")
    finally:
        stamp_head()  # the suite's schema is at head (tests/conftest.py)
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "migrations": "not at head (run flask db upgrade)"},
    }


def test_readyz_checks_redis_when_limits_live_there(app, client):
    saved = app.config["RATELIMIT_STORAGE_URI"]
    try:
        app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:1/0"  # nothing listens
        down = client.get("/readyz")
    finally:
        app.config["RATELIMIT_STORAGE_URI"] = saved
    assert down.status_code == 503
    assert down.get_json()["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "redis": "unreachable",
    }
