"""Sunshine homes: homes and members, recurring activities with exceptions, roll-call
attendance, coverage and person-times."""

from flask import Blueprint

bp = Blueprint("homes", __name__)

from app.homes import busy, replies, views  # noqa: E402, F401
