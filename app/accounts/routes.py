"""Sign-in, sign-out and the user's own account page."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.accounts import bp, services
from app.accounts.forms import ChangePasswordForm, LoginForm, PreferencesForm
from app.core.auth import login_required, public
from app.core.errors import DomainError
from app.core.i18n import SESSION_KEY
from app.core.security import form_view, is_safe_next
from app.extensions import db, limiter


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["RATELIMIT_LOGIN"]


def _failed_login(response) -> bool:
    """Only failed attempts count towards the limit (status 422 = wrong credentials)."""
    return response.status_code == 422


@bp.route("/login", methods=["GET", "POST"])
@public
@form_view
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed_login)
def login():
    next_url = request.values.get("next")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url if is_safe_next(next_url) else url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data)
        except DomainError as error:
            form.add_error(error.field, error.message)
            db.session.commit()
        else:
            session.clear()
            login_user(user, remember=form.remember.data)
            session[SESSION_KEY] = str(user.language)
            db.session.commit()
            return redirect(next_url if is_safe_next(next_url) else url_for("core.home"), code=303)
    status = 422 if form.has_errors else 200
    return (
        render_template(
            "accounts/login.html",
            form=form,
            next_url=next_url if is_safe_next(next_url) else None,
            page_has_errors=form.has_errors,
        ),
        status,
    )


@bp.route("/logout", methods=["POST"])
@public
def logout():
    if current_user.is_authenticated:
        services.end_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()
    lang = session.get(SESSION_KEY)
    session.clear()
    if lang:
        session[SESSION_KEY] = lang
    flash(_("You have signed out."), "success")
    return redirect(url_for("core.home"), code=303)


@bp.route("/account", methods=["GET", "POST"])
@login_required
@form_view
def account():
    user = current_user._get_current_object()
    prefs = PreferencesForm(prefix="prefs", data={"language": str(user.language)})
    password_form = ChangePasswordForm(prefix="pw")
    status = 200
    if request.method == "POST":
        if "pw-password" in request.form:
            prefs = PreferencesForm(prefix="prefs", formdata=None, data={"language": str(user.language)})
            if password_form.validate_on_submit():
                try:
                    services.change_own_password(
                        user, password_form.current_password.data, password_form.password.data
                    )
                except DomainError as error:
                    field = "password" if error.field == "password" else error.field
                    password_form.add_error(field, error.message)
                else:
                    # Keep this session: log in again with the new session version.
                    login_user(user)
                    db.session.commit()
                    flash(_("Your password has been changed. Other devices have been signed out."), "success")
                    return redirect(url_for("accounts.account"), code=303)
        else:
            password_form = ChangePasswordForm(prefix="pw", formdata=None)
            if prefs.validate_on_submit():
                user.language = prefs.language.data
                session[SESSION_KEY] = prefs.language.data
                db.session.commit()
                flash(_("Your settings have been saved."), "success")
                return redirect(url_for("accounts.account"), code=303)
        status = 422
    return (
        render_template(
            "accounts/account.html",
            prefs=prefs,
            password_form=password_form,
            page_has_errors=prefs.has_errors or password_form.has_errors,
        ),
        status,
    )


@bp.route("/admin/users/")
@login_required
def users():  # replaced by the admin user pages
    return render_template("errors/error.html", code=200, title="Users", text="")
