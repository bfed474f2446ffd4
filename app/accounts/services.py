"""Account operations. Services flush, never commit; the route or CLI commits once.

Every change an admin makes is audit-logged with the names of the fields that changed, never
their values (a password is recorded as the field name ``password``)."""

from __future__ import annotations

import re
import unicodedata

from blinker import Namespace
from flask_babel import lazy_gettext as _l

from app.accounts.enums import Language, Role
from app.accounts.models import User
from app.accounts.passwords import hash_password, password_problem, verify_password
from app.core import audit, clock, editing
from app.core.errors import DomainError
from app.core.params import MAX_ID
from app.extensions import db
from app.people.models import Person

# Sent (with ``user``) when a user's credentials are reset: a new password, or the account
# deactivated. Packages holding other credentials of the user listen (calendars turns the
# personal feed off, issue 13 item 12), so accounts need not know them.
credentials_reset = Namespace().signal("credentials-reset")

USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
DISPLAY_NAME_MAX = 120

# A hash of a random password, checked when the username is unknown so that the answer takes
# as long as for a real user (no username enumeration by timing).
_DUMMY_HASH = None


class InvalidCredentials(DomainError):
    pass


def normalise_username(username: str | None) -> str:
    return unicodedata.normalize("NFKC", username or "").strip().lower()


def find_by_username(username: str) -> User | None:
    username = normalise_username(username)
    if not username:
        return None
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
    user.last_login_at = clock.now()
    audit.record("login", "user", user.id, actor=user)
    return user


def check_password(password: str, *, username: str = "", display_name: str = "") -> None:
    problem = password_problem(password, username=username, display_name=display_name)
    if problem:
        raise DomainError(problem, field="password")


def _clean_display_name(display_name: str | None) -> str:
    name = (display_name or "").strip()
    if not name:
        raise DomainError(_l("Enter the name to show for this user."), field="display_name")
    if len(name) > DISPLAY_NAME_MAX:
        raise DomainError(
            _l("The name must have at most %(n)d characters.", n=DISPLAY_NAME_MAX),
            field="display_name",
        )
    return name


def _clean_roles(roles) -> set[Role]:
    try:
        wanted = {Role(str(r)) for r in roles or ()}
    except ValueError:
        raise DomainError(_l("Choose roles from the list."), field="roles") from None
    if not wanted:
        raise DomainError(_l("Choose at least one role."), field="roles")
    return wanted


def _clean_language(language) -> Language:
    try:
        return Language(str(language))
    except ValueError:
        raise DomainError(_l("Choose a language."), field="language") from None


def _check_person(person_id: int | None, user: User | None = None) -> None:
    """The person must exist in the register and not be linked to another account."""
    if person_id is None:
        return
    # A number past an INTEGER column names no one (and must not reach the database).
    if not 1 <= person_id <= MAX_ID or db.session.get(Person, person_id) is None:
        raise DomainError(
            _l("There is no person with record number %(id)d.", id=person_id), field="person_id"
        )
    query = db.select(User.username).where(User.person_id == person_id)
    if user is not None and user.id is not None:
        query = query.where(User.id != user.id)
    other = db.session.scalar(query)
    if other is not None:
        raise DomainError(
            _l("This person is already linked to the account %(username)s.", username=other),
            field="person_id",
        )


def bump_version(user: User) -> None:
    """Mark a change the admin's edit form shows, so a form opened before it is a conflict."""
    user.version = (user.version or 1) + 1


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
    """A new active account. The username is stored in lower case."""
    username = normalise_username(username)
    if not username:
        raise DomainError(_l("Enter a username."), field="username")
    if not USERNAME_PATTERN.fullmatch(username):
        raise DomainError(
            _l(
                "A username has 2 to 64 characters: letters a to z, digits, dots, hyphens "
                "and underscores, starting with a letter or digit."
            ),
            field="username",
        )
    if find_by_username(username) is not None:
        raise DomainError(_l("This username is already taken."), field="username")
    display_name = _clean_display_name(display_name)
    wanted = _clean_roles(roles)
    lang = _clean_language(language)
    _check_person(person_id)
    check_password(password, username=username, display_name=display_name)
    user = User(
        username=username,
        display_name=display_name,
        password_hash=hash_password(password),
        language=lang,
        person_id=person_id,
        is_active_account=True,
        session_version=1,
        version=1,
    )
    user.set_roles(wanted)
    db.session.add(user)
    db.session.flush()
    fields = ["username", "display_name", "roles", "language", "password"]
    if person_id is not None:
        fields.append("person_id")
    audit.record("create", "user", user.id, fields, actor=actor)
    return user


def update_user(
    user: User,
    *,
    version: int | None,
    display_name: str,
    roles,
    language: str,
    person_id: int | None,
    actor=None,
) -> list[str]:
    """The admin's edit. ``version`` is the one the form was built from: if the account was
    changed since, EditConflict carries the account as saved now. An admin cannot remove
    their own administrator role. Returns the names of the fields that changed."""
    editing.check_version(user, version)
    display_name = _clean_display_name(display_name)
    wanted = _clean_roles(roles)
    lang = _clean_language(language)
    if actor is not None and actor.id == user.id and Role.ADMIN not in wanted:
        raise DomainError(_l("You cannot remove your own administrator role."), field="roles")
    _check_person(person_id, user)
    roles_changed = wanted != user.roles
    user.display_name = display_name
    user.language = lang
    user.person_id = person_id
    changed = audit.changed_fields(user, ["display_name", "language", "person_id"])
    if roles_changed:
        user.set_roles(wanted)
        changed.append("roles")
    if changed:
        bump_version(user)
        audit.record("update", "user", user.id, changed, actor=actor)
    editing.flush_or_conflict(user)
    return changed


def set_active(user: User, active: bool, *, actor=None) -> None:
    """Deactivate (the account can no longer sign in and its sessions end) or reactivate.
    An admin cannot deactivate their own account."""
    if not active and actor is not None and actor.id == user.id:
        raise DomainError(_l("You cannot deactivate your own account."))
    if bool(user.is_active_account) == active:
        return
    user.is_active_account = active
    if not active:
        user.session_version += 1
        credentials_reset.send(user)
    bump_version(user)
    audit.record(
        "reactivate" if active else "deactivate",
        "user",
        user.id,
        ["is_active_account"],
        actor=actor,
    )
    db.session.flush()


def set_password(user: User, password: str, *, actor=None) -> None:
    """Set a new password and end every session of this user (the caller signs the current
    device in again when the user changed their own password)."""
    check_password(password, username=user.username, display_name=user.display_name)
    user.password_hash = hash_password(password)
    user.session_version += 1
    credentials_reset.send(user)
    audit.record("set_password", "user", user.id, ["password"], actor=actor)
    db.session.flush()


def change_own_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise DomainError(_l("Your current password is not right."), field="current_password")
    set_password(user, new, actor=user)


def set_language(user: User, language: str) -> None:
    """The user's own language preference (also set by the header's language switch)."""
    user.language = _clean_language(language)
    db.session.flush()


def end_sessions(user: User) -> None:
    """Logout: every session of this user, on every device, stops working."""
    user.session_version += 1
    db.session.flush()
