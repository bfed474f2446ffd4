"""Replies: "I will come" / "I cannot come" from the people expected at a performance, a
competition event or a home session occurrence, through a signed link (no sign-in) or the
event pages (signed in). Caregivers answer for their dependants.

A seam like ``scheduling``: it imports only core, people and accounts. Each domain registers
its subject kind in ``subjects.py`` (what, when, where, who is expected) from its own
``replies.py``, as it registers a busy source."""

from flask import Blueprint

bp = Blueprint("replies", __name__)

from app.replies import busy, routes  # noqa: E402,F401
