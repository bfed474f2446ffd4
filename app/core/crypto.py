"""Encryption at rest for the few values that must stay readable but must not sit in the
database in clear (the disability certificate number).

``EncryptedText`` is a column type: Python sees the plain value, the database holds a Fernet
token (AES-128-CBC with HMAC-SHA256, from the well-kept ``cryptography`` package), so a copy of
the database or a backup alone does not reveal the numbers. Keys come from
``PERSONAL_DATA_ENCRYPTION_KEYS``: comma-separated Fernet keys, the first encrypts, all decrypt
(MultiFernet), so a key is rotated by putting a new one first, running
``flask people reencrypt`` and then dropping the old one (docs/deploy.md).

Lookups never use these columns: duplicates are found by the keyed hash
(people.certificate.keyed_hash), which does not change with the encryption key.
"""

from __future__ import annotations

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


def generate_key() -> str:
    return Fernet.generate_key().decode()


def _keys(setting: str | None) -> list[str]:
    return [key.strip() for key in (setting or "").split(",") if key.strip()]


def check_keys(setting: str | None) -> None:
    """Raise ValueError unless ``setting`` holds at least one valid Fernet key."""
    keys = _keys(setting)
    if not keys:
        raise ValueError("no key")
    for key in keys:
        Fernet(key.encode())


def fernet() -> MultiFernet:
    keys = _keys(current_app.config.get("PERSONAL_DATA_ENCRYPTION_KEYS"))
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        # Never the token or the value in the message: it would reach the logs.
        raise ValueError(
            "An encrypted value cannot be read with PERSONAL_DATA_ENCRYPTION_KEYS "
            "(a key was removed before `flask people reencrypt` ran?)"
        ) from None


def rotate(token: str) -> str:
    """The token encrypted again with the first key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


class EncryptedText(sa.types.TypeDecorator):
    """A text value stored as a Fernet token (see the module docstring)."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)
