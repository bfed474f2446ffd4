"""``flask stats rebuild``: recount the per-day attendance aggregates from the marks."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.core import versions
from app.extensions import db
from app.homes import aggregates

stats_cli = AppGroup("stats", help="Statistics aggregates.")


@stats_cli.command("rebuild")
def rebuild():
    """Recount the per-day attendance aggregates from the roll-call marks (after bulk SQL or
    a restore; idempotent)."""
    rows = aggregates.rebuild(db.session)
    versions.bump(db.session, [versions.HOMES_STATS, versions.REPORT])
    db.session.commit()
    click.echo(f"Attendance aggregates rebuilt: {rows} activity days.")
