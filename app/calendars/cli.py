"""``flask calendars rebuild``: re-derive every calendar item from its source (after bulk SQL,
a catalogue update or a first deployment). Idempotent: unchanged items keep their bytes."""

from __future__ import annotations

import click

from app.calendars import bp


@bp.cli.command("rebuild")
def rebuild_command():
    from app.calendars.sync import rebuild
    from app.extensions import db

    raised = rebuild(db.session, commit_every=500)
    db.session.commit()
    click.echo(f"Calendar items rebuilt; {raised} feed marks raised.")
