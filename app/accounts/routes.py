"""Sign-in, sign-out, the user's own account page and the admin's user pages."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.accounts import bp, queries, services
from app.accounts.forms import (
    ChangePasswordForm,
    ConfirmForm,
    LoginForm,
    PreferencesForm,
    ResetPasswordForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from app.accounts.models import User
from app.core import editing
from app.core.auth import get_or_404, login_required, public, role_required
from app.core.errors import DomainError
from app.core.forms import normalise_text
from app.core.i18n import SESSION_KEY
from app.core.params import page_number
from app.core.security import form_page, form_view, is_safe_next, mark_personal
from app.extensions import db, limiter
from app.people import services as people_services


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _login_account_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN_ACCOUNT"]


def _failed_login(response) -> bool:
    """Only failed attempts count towards the limit (status 422 = wrong credentials)."""
    return response.status_code == 422


def _login_account() -> str:
    """The account a sign-in names (as the login compares it), for the per-account limit."""
    return "login-account:" + normalise_text(request.form.get("username", "")).lower()[:200]


def _password_check_failed(response) -> bool:
    return bool(g.get("password_check_failed"))


def _signed_in_user() -> str:
    return f"password-check:{current_user.get_id()}"


def _not_a_password_check() -> bool:
    return "pw-password" not in request.form


def _sign_in_again(user: User) -> None:
    """After the user's own password change: keep this device signed in with the new session
    version (and keep "remember me" if this device had it)."""
    cookie_name = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    login_user(user, remember=cookie_name in request.cookies)


@bp.route("/login", methods=["GET", "POST"])
@public
@form_view
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed_login)
@limiter.limit(
    _login_account_limit,
    key_func=_login_account,
    methods=["POST"],
    deduct_when=_failed_login,
    scope="login-account",
)
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
            db.session.rollback()
        else:
            # A fresh session (no fixation); the user's language comes with them.
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
@limiter.limit(
    _login_limit,
    methods=["POST"],
    deduct_when=_password_check_failed,
    exempt_when=_not_a_password_check,
)
@limiter.limit(
    _login_limit,
    key_func=_signed_in_user,
    methods=["POST"],
    deduct_when=_password_check_failed,
    exempt_when=_not_a_password_check,
    scope="password-check",
)
def account():
    user = current_user._get_current_object()
    person = user.person if user.person_id is not None else None
    saved_prefs = {
        "language": str(user.language),
        "wants_reminders": bool(person and person.wants_reminders),
    }
    prefs = PreferencesForm(prefix="prefs", data=saved_prefs)
    password_form = ChangePasswordForm(prefix="pw")
    status = 200
    if request.method == "POST":
        if "pw-password" in request.form:
            prefs = PreferencesForm(prefix="prefs", formdata=None, data=saved_prefs)
            if password_form.validate_on_submit():
                try:
                    services.change_own_password(
                        user, password_form.current_password.data, password_form.password.data
                    )
                except DomainError as error:
                    password_form.add_error(error.field, error.message)
                    # A wrong current password counts like a failed sign-in.
                    g.password_check_failed = error.field == "current_password"
                else:
                    db.session.commit()
                    _sign_in_again(user)
                    flash(
                        _("Your password has been changed. Other devices have been signed out."),
                        "success",
                    )
                    return redirect(url_for("accounts.account"), code=303)
        else:
            password_form = ChangePasswordForm(prefix="pw", formdata=None)
            if prefs.validate_on_submit():
                services.set_language(user, prefs.language.data)
                if person is not None:
                    people_services.set_reminder_wish(
                        person, bool(prefs.wants_reminders.data), actor=user
                    )
                session[SESSION_KEY] = prefs.language.data
                db.session.commit()
                flash(_("Your settings have been saved."), "success")
                return redirect(url_for("accounts.account"), code=303)
        status = 422
    return (
        render_template(
            "accounts/account.html",
            prefs=prefs,
            person=person,
            password_form=password_form,
            page_has_errors=prefs.has_errors or password_form.has_errors,
        ),
        status,
    )


# --- Admin: user accounts ---------------------------------------------------------------


@bp.route("/admin/users/")
@role_required("admin")
def users():
    mark_personal()
    filters = UserFilterForm(request.args)
    if not filters.validate():
        filters = UserFilterForm(formdata=None)
    role, status = filters.role.data or "", filters.status.data or ""
    page = queries.user_page(
        role=role,
        status=status,
        page=page_number(),
        per_page=current_app.config["PAGE_SIZE"],
    )
    args = {key: value for key, value in (("role", role), ("status", status)) if value}
    return render_template("accounts/users.html", page=page, filters=filters, filter_args=args)


@form_page(bp, "/admin/users/new", "admin")
def user_new():
    form = UserCreateForm()
    response = editing.save(
        form,
        lambda: services.create_user(
            **form.data_of(
                "username", "display_name", "password", "roles", "language", "person_id"
            ),
            actor=current_user._get_current_object(),
        ),
        flash_message=lambda user: _(
            "The account %(username)s has been created.", username=user.username
        ),
        redirect_to=url_for("accounts.users"),
    )
    return response or editing.render("accounts/user_new.html", form)


@form_page(bp, "/admin/users/<int:user_id>/edit", "admin")
def user_edit(user_id: int):
    mark_personal()
    user = get_or_404(User, user_id)
    form = editing.edit_form(UserEditForm, user)
    response = editing.save(
        form,
        lambda: services.update_user(
            user,
            **form.data_of("version", "display_name", "roles", "language", "person_id"),
            actor=current_user._get_current_object(),
        ),
        saved_form=editing.saved_form_of(UserEditForm, lambda: get_or_404(User, user_id)),
        flash_message=lambda _saved: _(
            "The account %(username)s has been saved.", username=user.username
        ),
        redirect_to=url_for("accounts.users"),
    )
    return response or editing.render("accounts/user_edit.html", form, user=user)


@form_page(bp, "/admin/users/<int:user_id>/password", "admin")
def user_password(user_id: int):
    user = get_or_404(User, user_id)
    form = ResetPasswordForm()

    def changed(_result) -> str:
        if user.id == current_user.id:
            _sign_in_again(user)
        return url_for("accounts.user_edit", user_id=user.id)

    response = editing.save(
        form,
        lambda: services.set_password(
            user, form.password.data, actor=current_user._get_current_object()
        ),
        flash_message=lambda _result: _(
            "The password of %(username)s has been changed and the account has been "
            "signed out on every device.",
            username=user.username,
        ),
        redirect_to=changed,
    )
    return response or editing.render("accounts/user_password.html", form, user=user)


def _set_active(user_id: int, active: bool):
    user = get_or_404(User, user_id)
    if bool(user.is_active_account) == active:
        return redirect(url_for("accounts.user_edit", user_id=user.id), code=303)
    form = ConfirmForm()

    def done(_result) -> str:
        if active:
            return _("The account %(username)s has been reactivated.", username=user.username)
        return _(
            "The account %(username)s has been deactivated. It can no longer sign in.",
            username=user.username,
        )

    response = editing.save(
        form,
        lambda: services.set_active(user, active, actor=current_user._get_current_object()),
        flash_message=done,
        redirect_to=url_for("accounts.users"),
    )
    return response or editing.render(
        "accounts/user_active.html",
        form,
        user=user,
        active=active,
        is_self=user.id == current_user.id,
    )


@form_page(bp, "/admin/users/<int:user_id>/deactivate", "admin")
def user_deactivate(user_id: int):
    return _set_active(user_id, False)


@form_page(bp, "/admin/users/<int:user_id>/reactivate", "admin")
def user_reactivate(user_id: int):
    return _set_active(user_id, True)
