"""venues."""

from flask import Blueprint

bp = Blueprint("venues", __name__)

# api.py adds this domain's /api/v1 endpoints to app.core.api.bp (it registers itself).
from app.venues import api, routes  # noqa: E402, F401
