"""The term report: the source report's figures computed from the data, for any period."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from app.reports import routes  # noqa: E402, F401
