"""Password rules (NIST SP 800-63B, as security-privacy.md asks): at least 8 characters, no
composition rules, common and context-specific passwords refused, no forced rotation.

"Common" is judged by zxcvbn (Dropbox's estimator, maintained on PyPI as ``zxcvbn``): its
frequency lists of leaked passwords, words and names, keyboard patterns (zaq12wsx, 1qaz2wsx),
sequences, repeats and dates, plus this user's own username and name and the product's and
federation's names as context words. A password it expects to fall within about 10^8
guesses (score below 3) is refused: "ronghe-demo" is, "ronghe-admin-demo" is not."""

from __future__ import annotations

import re
import unicodedata

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

MIN_LENGTH = 8
MAX_LENGTH = 256


MIN_SCORE = 3
# zxcvbn's limit; a longer password is judged by its first 72 characters (it only grows safer).
ZXCVBN_MAX = 72
CONTEXT_WORDS = ("ronghe", "融合", "canlian", "残联", "fenghua", "奉化", "password", "mima")


def _context(*words: str) -> list[str]:
    """The words an attacker would try for this user: each given word, and its parts
    (``wang.fang`` -> ``wang``, ``fang``), plus the product's and federation's names."""
    found = list(CONTEXT_WORDS)
    for word in words:
        word = unicodedata.normalize("NFKC", word or "").lower()
        if word:
            found.append(word)
            found.extend(part for part in re.split(r"[\W_]+", word) if len(part) >= 2)
    return found


def _ideographs(text: str) -> int:
    return sum(1 for ch in text if unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH"))


def _too_easy(password: str, *context: str) -> bool:
    # zxcvbn knows no Chinese: it would judge 王芳的密码是长的 as 8 letters of an alphabet of
    # about 100 (score 2). Six or more ideographs (thousands in everyday use) that do not
    # include the user's name are many orders of magnitude harder than its threshold.
    if _ideographs(password) >= 6 and not any(
        word and _ideographs(word) >= 2 and word in password for word in context
    ):
        return False
    result = zxcvbn(password[:ZXCVBN_MAX], user_inputs=_context(*context))
    return result["score"] < MIN_SCORE


def password_problem(password: str, *, username: str = "", display_name: str = ""):
    """The reason ``password`` is refused, as a translatable message, or None if it is fine."""
    password = unicodedata.normalize("NFKC", password or "")
    if len(password) < MIN_LENGTH:
        return _l("The password must have at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("The password must have at most %(n)d characters.", n=MAX_LENGTH)
    lowered = password.lower()
    for word in (username, display_name):
        if word and lowered == unicodedata.normalize("NFKC", word).lower():
            return _l("The password must not be the same as your username or name.")
    if _too_easy(password, username, display_name):
        return _l(
            "This password is too easy to guess: it is a common password, a keyboard pattern "
            "or close to your name. A few unrelated words together are long and easy to "
            "remember."
        )
    return None


def hash_password(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(unicodedata.normalize("NFKC", password), method=method)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, unicodedata.normalize("NFKC", password or ""))
