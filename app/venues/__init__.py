"""venues."""

from flask import Blueprint

bp = Blueprint("venues", __name__)

from app.venues import routes  # noqa: E402,F401
