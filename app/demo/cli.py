"""``flask demo load [--reset]``: the demo data of the README's `make run`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option("--reset", is_flag=True, help="Delete all data and load the demo afresh.")
def load(reset: bool) -> None:
    """Load the demo data (idempotent) and print one login per role."""
    if not current_app.config.get("DEMO_DATA_ALLOWED"):
        raise click.ClickException("Demo data is not allowed in this configuration.")
    from app.demo import load_demo

    # The loader saves through the services, which build page links (a clash names the
    # booking it clashes with): give them a request context as a web request would.
    with current_app.test_request_context("/"):
        logins = load_demo(reset=reset)
    click.echo("Demo logins (username / password):")
    for role, username, password in logins:
        click.echo(f"  {role:<12} {username:<12} {password}")
