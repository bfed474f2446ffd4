"""Authorisation helpers: role checks and load-or-404 with an ownership rule.

"Not yours" answers 404, so the existence of a record is not revealed."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from app.extensions import db, login_manager


def role_required(*roles: str):
    """Allow signed-in users holding any of ``roles`` (an admin always passes).
    Anonymous users are sent to the login page; others get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_any_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


def login_required(view):
    """Any signed-in user."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapped


def public(view):
    """Mark a view as open to anonymous visitors (the url_map test reads this mark)."""
    view.is_public = True
    return view


def get_or_404(model, ident, *, visible: Callable | None = None, options=()):
    """Load ``model`` by primary key; 404 when missing or when ``visible(obj)`` is false."""
    obj = db.session.get(model, ident, options=options)
    if obj is None or (visible is not None and not visible(obj)):
        abort(404)
    return obj
