"""What a load balancer asks: is the process up (``/healthz``), and can it serve (``/readyz``:
the database answers, its schema is at the migrations' head, and Redis answers when the rate
limits are kept there). Answers name the check, never a host, a password or an error text."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app

from app.extensions import db

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def _database() -> str:
    db.session.execute(db.text("SELECT 1"))
    return "ok"


def _migrations() -> str:
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = set(ScriptDirectory.from_config(config).get_heads())
    current = set(MigrationContext.configure(db.session.connection()).get_current_heads())
    return "ok" if current == heads else "not at head (run flask db upgrade)"


def _redis() -> str | None:
    uri = current_app.config.get("RATELIMIT_STORAGE_URI") or ""
    if not uri.startswith(("redis://", "rediss://", "redis+sentinel://")):
        return None
    import redis

    client = redis.Redis.from_url(uri.replace("redis+sentinel://", "redis://"), socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return "ok"


def readiness() -> tuple[bool, dict[str, str]]:
    """(ready, {check: "ok" or what is wrong}) for the database, migrations and Redis."""
    checks: dict[str, str] = {}
    for name, check in (("database", _database), ("migrations", _migrations), ("redis", _redis)):
        try:
            result = check()
        except Exception:  # a check that fails is the answer, not an error page
            log.warning("readiness check %s failed", name, exc_info=True)
            db.session.rollback()
            result = "unreachable"
        if result is not None:
            checks[name] = result
        if name == "database" and result != "ok":
            break
    return all(value == "ok" for value in checks.values()), checks
