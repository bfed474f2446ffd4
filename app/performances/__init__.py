"""Cultural programmes and touring performances: programmes, troupes, performances, clashes,
audiences and person-times."""

from flask import Blueprint

bp = Blueprint("performances", __name__)

from app.performances import busy, replies, views  # noqa: E402, F401
