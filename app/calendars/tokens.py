"""Personal feed tokens: 256 random bits (``secrets.token_urlsafe(32)``), never derived from
ids. One per user; issuing again replaces it, so the old address answers 404 at once."""

from __future__ import annotations

import secrets

import sqlalchemy as sa

from app.accounts.models import User
from app.calendars.models import CalendarToken
from app.extensions import db

TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def current(user_id: int) -> str | None:
    return db.session.scalar(sa.select(CalendarToken.token).where(CalendarToken.user_id == user_id))


def issue(user_id: int) -> str:
    """Turn the feed on, or give it a new address. The caller commits."""
    token = new_token()
    row = db.session.get(CalendarToken, user_id)
    if row is None:
        db.session.add(CalendarToken(user_id=user_id, token=token))
    else:
        row.token = token
    db.session.flush()
    return token


def turn_off(user_id: int) -> None:
    db.session.execute(sa.delete(CalendarToken).where(CalendarToken.user_id == user_id))


def owner(token: str) -> tuple[int, int | None] | None:
    """(user id, person id) of an active account holding ``token``; one query."""
    if not token or len(token) > 64:
        return None
    row = db.session.execute(
        sa.select(User.id, User.person_id)
        .join(CalendarToken, CalendarToken.user_id == User.id)
        .where(CalendarToken.token == token, User.is_active_account.is_(True))
    ).first()
    return (row[0], row[1]) if row else None
