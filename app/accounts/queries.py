"""Reads for the admin's user pages."""

from __future__ import annotations

from app.accounts.enums import Role
from app.accounts.models import User, UserRole
from app.extensions import db


def user_page(*, role: str = "", status: str = "", page: int = 1, per_page: int = 25):
    """One page of users ordered by username, filtered by role and by status
    ("active" / "inactive"; anything else: both). Three queries whatever the page size:
    the count, the page's users and their roles (selectin)."""
    query = db.select(User).order_by(User.username)
    if role in set(Role):
        query = query.where(User.role_rows.any(UserRole.role == Role(role)))
    if status == "active":
        query = query.where(User.is_active_account.is_(True))
    elif status == "inactive":
        query = query.where(User.is_active_account.is_(False))
    return db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False)
