"""Competitions: competitions, their events, entries, results and the medal ledger."""

from flask import Blueprint

bp = Blueprint("competitions", __name__)

from app.competitions import busy, live_views, printing, replies, routes  # noqa: E402, F401
