"""The public reply page, opened from a signed link."""

from __future__ import annotations

from flask import abort

from app.core.auth import public
from app.replies import bp, links


@bp.route("/<token>", methods=["GET", "POST"])
@public
def answer(token: str):
    try:
        links.read(token)
    except links.BadLink:
        abort(404)
    abort(404)
