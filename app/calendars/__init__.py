"""Calendars: subscribable iCalendar feeds of competitions, performances and home activities."""

from flask import Blueprint

bp = Blueprint("calendars", __name__)

from app.calendars import cli, routes, sync  # noqa: E402, F401
