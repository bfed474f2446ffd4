"""athletes: talent scouting, the reserve pipeline, sport classification and screening."""

from flask import Blueprint

bp = Blueprint("athletes", __name__)

from app.athletes import views  # noqa: E402,F401
