"""Sunshine homes: homes and members, recurring activities with exceptions, roll-call
attendance, coverage and person-times."""

from flask import Blueprint

bp = Blueprint("homes", __name__)

# api.py adds this domain's /api/v1 endpoints to app.core.api.bp (it registers itself).
from app.homes import api, busy, replies, views  # noqa: E402, F401
