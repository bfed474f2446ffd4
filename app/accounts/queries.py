"""Reads of user accounts: the admin's user pages, and the accounts a form offers."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import lazyload

from app.accounts.enums import Role
from app.accounts.models import User, UserRole
from app.core import params
from app.extensions import db


def active_users_with(*roles: Role, keep=()) -> list[User]:
    """Active accounts holding any of ``roles``, by display name then id, each once: whom a
    form offers as coach, manager, organiser or home staff. ``keep``: ids offered even when
    the account is inactive now (those already chosen, so saving the form keeps them). One
    query."""
    active = User.is_active_account.is_(True)
    if keep:
        active = sa.or_(active, User.id.in_(list(keep)))
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role_rows.any(UserRole.role.in_(roles)), active)
            # Offered by name: the roles the model loads with each user are not wanted here.
            .options(lazyload(User.role_rows))
            .order_by(User.display_name, User.id)
        )
    )


def user_page(*, role: str = "", status: str = "", page: int = 1, per_page: int = 25):
    """One page of users ordered by username, filtered by role and by status
    ("active" / "inactive"; anything else: both). At most three queries whatever the page size:
    the page's users, their roles (selectin) and the count when the first page is full."""
    query = db.select(User).order_by(User.username)
    if role in set(Role):
        query = query.where(User.role_rows.any(UserRole.role == Role(role)))
    if status == "active":
        query = query.where(User.is_active_account.is_(True))
    elif status == "inactive":
        query = query.where(User.is_active_account.is_(False))
    return params.paginate(query, page, per_page)
