"""Cultural programmes and touring performances: programmes, troupes, performances, clashes,
audiences and person-times."""

from flask import Blueprint

bp = Blueprint("performances", __name__)

# api.py adds this domain's /api/v1 endpoints to app.core.api.bp (it registers itself).
from app.performances import api, busy, replies, views  # noqa: E402, F401
