"""The term report: the source report's figures computed from the data, for any period."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

# api.py adds this domain's /api/v1 endpoints to app.core.api.bp (it registers itself).
from app.reports import api, routes  # noqa: E402, F401
