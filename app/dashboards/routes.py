"""The home page, endpoint ``core.home`` (registered on the core blueprint, so the endpoint
name every template and redirect uses stays): the public page for visitors, the signed-in
user's dashboards otherwise."""

from __future__ import annotations

from flask import render_template
from flask_babel import get_locale
from flask_login import current_user

from app.core import clock
from app.core.auth import public
from app.core.routes import bp
from app.core.security import mark_personal
from app.dashboards import boards
from app.homes.queries import ABSENT_DAYS, HISTORY_DAYS


@bp.route("/")
@public
def home():
    if not current_user.is_authenticated:
        return render_template("core/home.html", boards=None)
    mark_personal()
    now = clock.now()
    now_local = clock.to_local(now)
    role_boards = boards.boards_for(
        current_user,
        today=now_local.date(),
        now=now,
        now_local=now_local.replace(tzinfo=None),
        lang="en" if str(get_locale() or "") == "en" else "zh",
    )
    return render_template(
        "core/home.html", boards=role_boards, today=now_local.date(), staff_days=_staff_days()
    )


def _staff_days():
    return {"absent": ABSENT_DAYS, "history": HISTORY_DAYS}
