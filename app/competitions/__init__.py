"""Competitions: competitions, their events, entries, results and the medal ledger."""

from flask import Blueprint

bp = Blueprint("competitions", __name__)

# api.py adds this domain's /api/v1 endpoints to app.core.api.bp (it registers itself).
from app.competitions import (  # noqa: E402, F401
    api,
    busy,
    live_api,
    live_views,
    printing,
    replies,
    views,
)
