"""Personal feed tokens: 256 random bits (``secrets.token_urlsafe(32)``), never derived from
ids. One per user; issuing again replaces it, so the old address answers 404 at once.

Only the token's SHA-256 is stored (issue 13 item 12): a copy of the database or a backup does
not give anyone a working feed address. 256 random bits need no slow hash. The address is
therefore shown once, on the page the user lands on after turning the feed on or making a new
address (``reveal``/``take_revealed``: the token travels to that one page encrypted in the
signed session cookie); afterwards the page says the feed is on and offers a new address.
A password change or a deactivated account turns the feed off (``accounts.services``).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import cast

import sqlalchemy as sa
from cryptography.fernet import InvalidToken
from flask import session

from app.accounts.models import User
from app.accounts.services import credentials_reset
from app.calendars.models import CalendarToken
from app.core import crypto
from app.extensions import db

TOKEN_BYTES = 32
_REVEAL = "calendar_feed_reveal"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_on(user_id: int) -> bool:
    return db.session.get(CalendarToken, user_id) is not None


def issue(user_id: int) -> str:
    """Turn the feed on, or give it a new address; answers the token (stored only as its
    hash). The caller commits."""
    token = new_token()
    row = db.session.get(CalendarToken, user_id)
    if row is None:
        db.session.add(CalendarToken(user_id=user_id, token_hash=digest(token)))
    else:
        row.token_hash = digest(token)
    db.session.flush()
    return token


def turn_off(user_id: int) -> bool:
    """Delete the user's feed address; answers whether there was one."""
    # A DELETE answers a CursorResult (its rowcount); Session.execute is typed as Result.
    result = cast(
        sa.CursorResult,
        db.session.execute(sa.delete(CalendarToken).where(CalendarToken.user_id == user_id)),
    )
    return bool(result.rowcount)


def owner(token: str) -> tuple[int, int | None] | None:
    """(user id, person id) of an active account holding ``token``; one query."""
    if not token or len(token) > 64:
        return None
    row = db.session.execute(
        sa.select(User.id, User.person_id)
        .join(CalendarToken, CalendarToken.user_id == User.id)
        .where(CalendarToken.token_hash == digest(token), User.is_active_account.is_(True))
    ).first()
    return (row[0], row[1]) if row else None


def reveal(token: str) -> None:
    """Keep ``token`` for the next page only, encrypted in the session cookie."""
    session[_REVEAL] = crypto.fernet().encrypt(token.encode()).decode()


def take_revealed(user_id: int) -> str | None:
    """The token kept by ``reveal``, once, if it is still the user's current address."""
    sealed = session.pop(_REVEAL, None)
    if not sealed:
        return None
    try:
        token = crypto.fernet().decrypt(sealed.encode(), ttl=600).decode()
    except (InvalidToken, ValueError):
        return None
    found = owner(token)
    return token if found is not None and found[0] == user_id else None


@credentials_reset.connect
def _turn_off_on_credentials_reset(user, **_extra) -> None:
    """A new password or a deactivated account: the feed address stops working too (the
    audit row says so; the user makes a new address on the calendar page)."""
    from app.core import audit

    if turn_off(user.id):
        audit.record("calendar_feed_off", "user", user.id, actor=None)
