"""Password rules (NIST SP 800-63B, as security-privacy.md asks): at least 8 characters, no
composition rules, common and context-specific passwords refused, no forced rotation."""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 256


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("app.accounts").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def _is_pattern(text: str) -> bool:
    """Repetitive or sequential text (NIST's examples of passwords to refuse):
    ``aaaaaaaa``, ``abababab``, ``abcabcabc``, ``12345678``, ``87654321``, ``abcdefgh``."""
    if len(set(text)) <= 2:
        return True
    for size in range(1, len(text) // 2 + 1):
        unit = text[:size]
        if len(text) % size == 0 and unit * (len(text) // size) == text:
            return True
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:], strict=False)}
    return steps in ({1}, {-1})


def password_problem(password: str, *, username: str = "", display_name: str = ""):
    """The reason ``password`` is refused, as a translatable message, or None if it is fine."""
    password = unicodedata.normalize("NFKC", password or "")
    if len(password) < MIN_LENGTH:
        return _l("The password must have at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("The password must have at most %(n)d characters.", n=MAX_LENGTH)
    lowered = password.lower()
    if lowered in common_passwords() or _is_pattern(lowered):
        return _l("This password is too common and easy to guess. Choose another one.")
    for word in (username, display_name):
        if word and lowered == unicodedata.normalize("NFKC", word).lower():
            return _l("The password must not be the same as your username or name.")
    return None


def hash_password(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(unicodedata.normalize("NFKC", password), method=method)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, unicodedata.normalize("NFKC", password or ""))
