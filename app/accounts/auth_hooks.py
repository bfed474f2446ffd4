"""Flask-Login wiring: load the user from the session id and end stale sessions."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db, login_manager


def load_user(session_id: str):

    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.execute(_user_with_roles(), {"user_id": int(user_id)}).unique().scalar()
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


@cache
def _user_with_roles():
    """Built once: the signed-in user and their roles in one statement (a request would
    otherwise pay for building the query and a second SELECT of the roles)."""
    from app.accounts.models import User

    return (
        sa.select(User)
        .options(joinedload(User.role_rows))
        .where(User.id == sa.bindparam("user_id"))
    )


def register(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
