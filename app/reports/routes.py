"""The term report: pages."""

from __future__ import annotations

from flask import render_template

from app.core.auth import public
from app.reports import bp


@bp.route("/")
@public
def index():
    return render_template("reports/index.html")
