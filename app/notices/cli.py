"""``flask notices work [--once]``, ``flask notices remind`` and ``flask notices purge``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.notices import worker

notices_cli = AppGroup("notices", help="Send the notices in the outbox.")


@notices_cli.command("work")
@click.option("--once", is_flag=True, help="Send what is due now and stop (for cron).")
@click.option("--poll", default=5.0, show_default=True, help="Seconds between looks when idle.")
def work_command(once: bool, poll: float) -> None:
    """Send queued notices; runs until stopped unless --once."""
    if once:
        tally = worker.run_once()
        click.echo(", ".join(f"{k}: {v}" for k, v in sorted(tally.items())) or "nothing due")
        return
    worker.work(poll)


@notices_cli.command("remind")
def remind_command() -> None:
    """Queue the reminders of tomorrow's occurrences (idempotent: run it from cron as often
    as you like)."""
    from app.extensions import db
    from app.notices.reminders import queue_reminders

    count = queue_reminders(db.session)
    db.session.commit()
    click.echo(f"{count} reminders queued")


@notices_cli.command("purge")
def purge_command() -> None:
    """Clear message bodies older than 90 days."""
    click.echo(f"{worker.purge()} notice bodies cleared")
