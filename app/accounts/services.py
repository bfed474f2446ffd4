"""Account operations. Services flush, never commit; the route or CLI commits once."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.accounts.passwords import hash_password, password_problem, verify_password
from app.core import audit
from app.core.db import utcnow
from app.core.errors import DomainError, EditConflict
from app.extensions import db

# A hash of a random password, checked when the username is unknown so that the answer takes
# as long as for a real user (no username enumeration by timing).
_DUMMY_HASH = None


class InvalidCredentials(DomainError):
    pass


def find_by_username(username: str) -> User | None:
    username = (username or "").strip().lower()
    return db.session.scalar(db.select(User).where(User.username == username))


def authenticate(username: str, password: str) -> User:
    """The active user with these credentials, or InvalidCredentials (one message for every
    cause, so the form does not reveal which usernames exist)."""
    global _DUMMY_HASH
    user = find_by_username(username)
    if user is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password("not-a-real-password-0")
        verify_password(_DUMMY_HASH, password)
        raise InvalidCredentials(_l("The username or password is not right."), field="username")
    if not verify_password(user.password_hash, password) or not user.is_active:
        raise InvalidCredentials(_l("The username or password is not right."), field="username")
    user.last_login_at = utcnow()
    audit.record("login", "user", user.id, actor=user)
    return user


def check_password(password: str, *, username: str = "", display_name: str = "") -> None:
    problem = password_problem(password, username=username, display_name=display_name)
    if problem:
        raise DomainError(problem, field="password")


def create_user(
    *,
    username: str,
    display_name: str,
    password: str,
    roles,
    language: str = "zh_Hans",
    person_id: int | None = None,
    actor=None,
) -> User:
    username = username.strip().lower()
    if not username:
        raise DomainError(_l("Enter a username."), field="username")
    if find_by_username(username) is not None:
        raise DomainError(_l("This username is already taken."), field="username")
    if not roles:
        raise DomainError(_l("Choose at least one role."), field="roles")
    check_password(password, username=username, display_name=display_name)
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        password_hash=hash_password(password),
        language=language,
        person_id=person_id,
    )
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    audit.record(
        "create", "user", user.id, ["username", "display_name", "roles", "password"], actor=actor
    )
    return user


def update_user(
    user: User, *, version: int | None, display_name: str, roles, language: str,
    person_id: int | None, is_active: bool, actor=None,
) -> User:
    """Admin edit. ``version`` is what the form was built from; a newer one is a conflict."""
    if version is not None and version != user.version:
        raise EditConflict(user)
    if not roles:
        raise DomainError(_l("Choose at least one role."), field="roles")
    if actor is not None and actor.id == user.id and ("admin" not in {str(r) for r in roles} or not is_active):
        raise DomainError(
            _l("You cannot remove your own administrator role or deactivate yourself."),
            field="roles",
        )
    before_roles = {str(r) for r in user.roles}
    user.display_name = display_name.strip() or user.username
    user.language = language
    user.person_id = person_id
    deactivated = user.is_active_account and not is_active
    user.is_active_account = is_active
    user.set_roles(roles)
    changed = audit.changed_fields(
        user, ["display_name", "language", "person_id", "is_active_account"]
    )
    if before_roles != {str(r) for r in roles}:
        changed.append("roles")
    if deactivated:
        user.session_version += 1
    if changed:
        audit.record("update", "user", user.id, changed, actor=actor)
    db.session.flush()
    return user


def set_password(user: User, password: str, *, actor=None) -> None:
    """Set a new password and end every other session of this user."""
    check_password(password, username=user.username, display_name=user.display_name)
    user.password_hash = hash_password(password)
    user.session_version += 1
    audit.record("set_password", "user", user.id, ["password"], actor=actor)
    db.session.flush()


def change_own_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise DomainError(_l("Your current password is not right."), field="current_password")
    set_password(user, new, actor=user)


def end_sessions(user: User) -> None:
    """Logout: every session of this user, on every device, stops working."""
    user.session_version += 1
    db.session.flush()
