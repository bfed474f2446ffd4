"""Security headers on every response and the safe ``next`` rule for redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, g, request
from flask.wrappers import Response

from app.core.auth import role_required
from app.extensions import csrf

CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' data:"
)


def is_safe_next(target: str | None) -> bool:
    """Only a local absolute path: no scheme, no host, no ``//`` or ``/\\``, no backslash,
    no control characters."""
    if not target or not isinstance(target, str):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target:
        return False
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def mark_personal() -> None:
    """Call from a view that shows personal data: the response must not be cached."""
    g.personal_data = True


def form_view(view):
    """Mark a view whose POST is validated by a BaseForm (which checks the CSRF token itself
    and, when it expired, re-renders the form with the input kept). Every other POST is
    checked before the view runs."""
    view.csrf_in_form = True
    return view


def form_page(
    blueprint: Blueprint, rule: str, *roles: str, methods: tuple[str, ...] = ("GET", "POST")
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a form page: the route (GET shows the form, POST saves it), open to signed-in
    users holding one of ``roles`` (``role_required``), its POST checked by its form
    (``form_view``). The same as the three decorators ``@blueprint.route(rule,
    methods=...)``, ``@role_required(*roles)``, ``@form_view``."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        return blueprint.route(rule, methods=list(methods))(role_required(*roles)(form_view(view)))

    return decorator


UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def refuse_forged_post() -> None:
    """Call from a ``form_view`` that answers 404 before its form has read the POST (a record
    named in the URL is not there): a POST without a valid token is refused (400) first, as
    before any other view, so a forged request learns nothing about what exists."""
    if request.method in UNSAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


def register(app: Flask) -> None:
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False

    @app.before_request
    def protect_unsafe_methods():
        if request.method not in UNSAFE_METHODS or not app.config.get("WTF_CSRF_ENABLED", True):
            return
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        if view is not None and getattr(view, "csrf_in_form", False):
            return
        csrf.protect()

    @app.after_request
    def set_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        from flask_login import current_user

        # A page served from the public cache went to an anonymous visitor (page_cache checked
        # the session): no user is loaded for it.
        if g.get("personal_data") or (
            not g.get("page_cache_served")
            and current_user
            and getattr(current_user, "is_authenticated", False)
        ):
            # Signed-in pages may show personal data; never let a shared device cache them.
            headers["Cache-Control"] = "no-store"
        return response
