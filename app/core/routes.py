"""Site-wide pages: accessibility statement, language switch, health check. The home page
(``core.home``: the public page, or the signed-in user's dashboards) is registered on this
blueprint by app/dashboards/routes.py, which reads every domain; core imports none."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.core.auth import public
from app.core.forms import BaseForm
from app.core.i18n import SESSION_KEY, normalise_locale
from app.core.security import form_view, is_safe_next
from app.extensions import db

bp = Blueprint("core", __name__)


class LanguageForm(BaseForm):
    """Only the CSRF token; the language comes from the button pressed."""


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
