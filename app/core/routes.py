"""Site-wide pages: home (the public page, or the signed-in user's dashboards), accessibility
statement, language switch, health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from app.core import clock
from app.core.auth import public
from app.core.forms import BaseForm
from app.core.i18n import SESSION_KEY, normalise_locale
from app.core.security import form_view, is_safe_next, mark_personal
from app.extensions import db

bp = Blueprint("core", __name__)


class LanguageForm(BaseForm):
    """Only the CSRF token; the language comes from the button pressed."""


@bp.route("/")
@public
def home():
    if not current_user.is_authenticated:
        return render_template("core/home.html", boards=None)
    from app.core import dashboards

    mark_personal()
    now = clock.now()
    now_local = clock.to_local(now)
    boards = dashboards.boards_for(
        current_user,
        today=now_local.date(),
        now=now,
        now_local=now_local.replace(tzinfo=None),
        lang="en" if str(get_locale() or "") == "en" else "zh",
    )
    return render_template(
        "core/home.html", boards=boards, today=now_local.date(), staff_days=_staff_days()
    )


def _staff_days():
    from app.homes.queries import ABSENT_DAYS, HISTORY_DAYS

    return {"absent": ABSENT_DAYS, "history": HISTORY_DAYS}


@bp.route("/accessibility")
@public
def accessibility():
    return render_template("core/accessibility.html")


@bp.route("/language", methods=["POST"])
@public
@form_view
def set_language():
    form = LanguageForm()
    locale = normalise_locale(request.form.get("lang")) or "zh_Hans"
    if form.validate_on_submit():
        session[SESSION_KEY] = locale
        if current_user.is_authenticated:
            current_user.language = locale
            db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("core.home"), code=303)


@bp.route("/healthz")
@public
def healthz():
    """The process is up (no database: a slow database must not get workers restarted)."""
    return {"status": "ok"}


@bp.route("/readyz")
@public
def readyz():
    """Ready to serve: database, schema at head, Redis when configured. 503 otherwise."""
    from app.core import health

    ready, checks = health.readiness()
    response = jsonify({"status": "ok" if ready else "unavailable", "checks": checks})
    response.status_code = 200 if ready else 503
    response.headers["Cache-Control"] = "no-store"
    return response
