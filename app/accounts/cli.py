"""``flask users create USERNAME --role ROLE …``: the password comes from stdin, never argv."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from app.accounts import services
from app.accounts.enums import Role
from app.core.errors import DomainError
from app.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


def _stdin_is_tty() -> bool:
    return sys.stdin.isatty()


def _read_password() -> str:
    """Prompt twice on a terminal; otherwise read one line from stdin (a script's pipe)."""
    if _stdin_is_tty():
        return click.prompt("Password", hide_input=True, confirmation_prompt="Repeat the password")
    return sys.stdin.readline().rstrip("\r\n")


@users_cli.command("create")
@click.argument("username")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="A role; repeat for several.",
)
@click.option("--name", "display_name", default="", help="Display name (defaults to USERNAME).")
@click.option("--language", type=click.Choice(["zh_Hans", "en"]), default="zh_Hans")
def create(username: str, roles: tuple[str, ...], display_name: str, language: str) -> None:
    """Create USERNAME with the given roles. The password is read from standard input when it
    is not a terminal (e.g. ``printf '%s\\n' "$PW" | flask users create …``), otherwise
    prompted for twice."""
    password = _read_password()
    # The operator's terminal gets English messages, whatever the site's default language.
    with force_locale("en"):
        try:
            user = services.create_user(
                username=username,
                display_name=display_name or username,
                password=password,
                roles=roles,
                language=language,
            )
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Created user {user.username} with roles: {', '.join(sorted(roles))}")
