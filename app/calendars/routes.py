"""Calendars: pages."""

from __future__ import annotations

from flask import render_template

from app.calendars import bp
from app.core.auth import public


@bp.route("/")
@public
def index():
    return render_template("calendars/index.html")
