"""``flask people reencrypt``: encrypt every certificate number again with the first key of
PERSONAL_DATA_ENCRYPTION_KEYS (after putting a new key first; then the old one can go)."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.core import crypto
from app.extensions import db

people_cli = AppGroup("people", help="The people register.")


@people_cli.command("reencrypt")
def reencrypt() -> None:
    """Encrypt the certificate numbers again with the first key (idempotent)."""
    raw = sa.table("people", sa.column("id", sa.Integer), sa.column("certificate_number", sa.Text))
    rows = db.session.execute(
        sa.select(raw.c.id, raw.c.certificate_number).where(raw.c.certificate_number.is_not(None))
    ).all()
    for person_id, token in rows:
        db.session.execute(
            raw.update()
            .where(raw.c.id == person_id)
            .values(certificate_number=crypto.rotate(token))
        )
    db.session.commit()
    click.echo(f"Encrypted {len(rows)} certificate numbers with the first key.")
