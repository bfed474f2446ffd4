"""User accounts: sign-in, roles, the user's own settings and the admin's user pages."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from app.accounts import routes  # noqa: E402,F401
