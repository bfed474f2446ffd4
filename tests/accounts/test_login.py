"""Sign-in, sign-out, sessions ending where they should, the login rate limit and the user's
own account page."""

import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from app.accounts import services
from app.accounts.models import User
from app.accounts.passwords import verify_password
from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD

NEW_PASSWORD = "river stone lantern"
EN = {"Accept-Language": "en"}


def test_login_happy_path(client, make_user):
    make_user("coach", username="coach1")
    response = client.post("/login", data={"username": "coach1", "password": DEFAULT_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert client.get("/account").status_code == 200


def test_login_wrong_password_keeps_username(client, make_user):
    make_user("coach", username="coach1")
    response = client.post("/login", data={"username": "coach1", "password": "wrong password"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'value="coach1"' in body
    assert 'aria-invalid="true"' in body


def test_sixth_failed_login_in_a_minute_is_limited(client, make_user):
    make_user("coach", username="coach1")
    for _ in range(5):
        assert (
            client.post("/login", data={"username": "coach1", "password": "nope-nope"}).status_code
            == 422
        )
    response = client.post("/login", data={"username": "coach1", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429


def test_logout_ends_other_sessions(app, make_user):
    make_user("coach", username="coach1")
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        assert (
            c.post("/login", data={"username": "coach1", "password": DEFAULT_PASSWORD}).status_code
            == 303
        )
    assert second.get("/account").status_code == 200
    assert first.post("/logout").status_code == 303
    assert second.get("/account").status_code == 302


def test_login_next_only_local(client, make_user):
    make_user("coach", username="coach1")
    response = client.post(
        "/login?next=//evil.example/x", data={"username": "coach1", "password": DEFAULT_PASSWORD}
    )
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post(
        "/login?next=/account", data={"username": "coach1", "password": DEFAULT_PASSWORD}
    )
    assert response.headers["Location"] == "/account"


# --- Sessions end where they should -------------------------------------------------------


def sign_in(app, username="coach1", password=DEFAULT_PASSWORD, remember=False):
    c = app.test_client()
    data = {"username": username, "password": password}
    if remember:
        data["remember"] = "y"
    assert c.post("/login", data=data).status_code == 303
    return c


def forget_session_cookie(c):
    """What closing the browser does: the session cookie goes, "remember me" stays."""
    c.delete_cookie("session", domain="localhost")


def test_password_change_ends_other_sessions_and_keeps_this_one(app, make_user):
    make_user("coach", username="coach1")
    here, elsewhere = sign_in(app), sign_in(app)
    response = here.post(
        "/account", data={"pw-current_password": DEFAULT_PASSWORD, "pw-password": NEW_PASSWORD}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302
    fresh = app.test_client()
    assert (
        fresh.post("/login", data={"username": "coach1", "password": DEFAULT_PASSWORD}).status_code
        == 422
    )
    sign_in(app, password=NEW_PASSWORD)


def test_password_change_keeps_remember_me_on_this_device_only(app, make_user):
    make_user("coach", username="coach1")
    here, elsewhere = sign_in(app, remember=True), sign_in(app, remember=True)
    here.post(
        "/account", data={"pw-current_password": DEFAULT_PASSWORD, "pw-password": NEW_PASSWORD}
    )
    for c in (here, elsewhere):
        forget_session_cookie(c)
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302


def test_logout_also_ends_remembered_devices(app, make_user):
    make_user("coach", username="coach1")
    remembered, leaving = sign_in(app, remember=True), sign_in(app)
    forget_session_cookie(remembered)
    assert remembered.get("/account").status_code == 200  # "remember me" works
    assert leaving.post("/logout").status_code == 303
    forget_session_cookie(remembered)
    assert remembered.get("/account").status_code == 302
    assert leaving.get("/account").status_code == 302


def test_deactivated_users_session_ends(app, make_user):
    user = make_user("coach", username="coach1")
    c = sign_in(app, remember=True)
    services.set_active(user, False)
    db.session.commit()
    assert c.get("/account").status_code == 302
    forget_session_cookie(c)
    assert c.get("/account").status_code == 302


def test_inactive_user_cannot_sign_in(client, make_user):
    user = make_user("coach", username="coach1", language="en")
    user.is_active_account = False
    db.session.commit()
    response = client.post(
        "/login", data={"username": "coach1", "password": DEFAULT_PASSWORD}, headers=EN
    )
    assert response.status_code == 422
    assert '<a href="#username">The username or password is not right.</a>' in response.get_data(
        as_text=True
    )


def test_username_is_not_case_sensitive_and_language_follows_the_user(client, make_user):
    make_user("coach", username="coach1", language="en")
    response = client.post("/login", data={"username": " COACH1 ", "password": DEFAULT_PASSWORD})
    assert response.status_code == 303
    assert '<html lang="en">' in client.get("/account").get_data(as_text=True)


def test_logout_is_post_only(client, login_as):
    login_as("coach")
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


def test_signed_in_user_visiting_login_goes_on(client, login_as):
    login_as("coach")
    assert client.get("/login?next=/account").headers["Location"] == "/account"
    assert client.get("/login?next=https://evil.example/").headers["Location"] == "/"


def test_anonymous_account_page_redirects_to_login(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Faccount"


def test_login_form_keeps_next_and_sends_only_local_paths(client):
    body = client.get("/login?next=/admin/users/", headers=EN).get_data(as_text=True)
    assert '<form method="post" action="/login?next=/admin/users/"' in body
    body = client.get("/login?next=//evil.example", headers=EN).get_data(as_text=True)
    assert '<form method="post" action="/login"' in body
    assert "evil" not in body[body.index("<main") :]


# --- Rate limit: the 429 page --------------------------------------------------------------


def fail_five_times(c, headers=None):
    for _ in range(5):
        response = c.post(
            "/login", data={"username": "coach1", "password": "nope-nope"}, headers=headers or {}
        )
        assert response.status_code == 422


def test_429_page_in_the_normal_layout_in_english(client, make_user):
    make_user("coach", username="coach1")
    fail_five_times(client, EN)
    response = client.post(
        "/login", data={"username": "coach1", "password": "nope-nope"}, headers=EN
    )
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert '<html lang="en">' in body
    assert "<title>Too many attempts – District Disabled Persons' Federation</title>" in body
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in body
    assert '<nav class="site-nav" aria-label="Main">' in body
    assert '<main id="main" class="wrap" tabindex="-1">' in body
    assert "<h1>Too many attempts</h1>" in body
    assert "Please wait a minute and try again." in body
    assert '<footer class="site-footer">' in body
    assert body.count("<h1>") == 1


def test_429_page_in_chinese(client, make_user, app):
    make_user("coach", username="coach1")
    zh = {"Accept-Language": "zh-CN,zh;q=0.9"}
    fail_five_times(client, zh)
    response = client.post(
        "/login", data={"username": "coach1", "password": "nope-nope"}, headers=zh
    )
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert '<html lang="zh-CN">' in body
    with force_locale("zh_Hans"):
        title = gettext("Too many attempts")
    assert f"<h1>{title}</h1>" in body
    assert '<main id="main"' in body


def test_limit_counts_failures_per_address_only(app, make_user):
    make_user("coach", username="coach1")
    c = app.test_client()
    for _ in range(8):  # successful sign-ins do not count
        assert (
            c.post("/login", data={"username": "coach1", "password": DEFAULT_PASSWORD}).status_code
            == 303
        )
    fail_five_times(c)
    assert c.post("/login", data={"username": "coach1", "password": "nope"}).status_code == 429
    other_address = app.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    response = other_address.post(
        "/login", data={"username": "coach1", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 303
    # Viewing the form is never limited.
    assert app.test_client().get("/login").status_code == 200


# --- The user's own account page -----------------------------------------------------------


def test_account_page(client, login_as, count_queries):
    user = login_as("coach", "organiser", username="coach1", display_name="王芳", language="en")
    user_id = user.id
    db.session.remove()
    with count_queries() as q:
        response = client.get("/account")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<h1>Your account</h1>" in body
    assert "<dd>coach1</dd>" in body and "<dd>王芳</dd>" in body
    assert '<span class="tag">Coach</span><span class="tag">Activity organiser</span>' in body
    assert 'autocomplete="current-password"' in body and 'autocomplete="new-password"' in body
    assert body.count("data-show-password=") == 2
    assert response.headers["Cache-Control"] == "no-store"
    assert q.count == 1  # the signed-in user with their roles (one statement)
    assert db.session.get(User, user_id).username == "coach1"


def test_account_language_is_saved(client, login_as):
    user = login_as("coach", language="en")
    response = client.post("/account", data={"prefs-language": "zh_Hans"})
    assert response.status_code == 303
    assert str(db.session.get(User, user.id).language) == "zh_Hans"
    assert '<html lang="zh-CN">' in client.get("/account").get_data(as_text=True)


def test_account_language_refuses_unknown_value(client, login_as):
    login_as("coach", language="en")
    response = client.post("/account", data={"prefs-language": "fr"})
    assert response.status_code == 422
    assert "<title>Error: Your account" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "anchor", "message"),
    [
        (
            {"pw-current_password": "wrong one", "pw-password": NEW_PASSWORD},
            "pw-current_password",
            "Your current password is not right.",
        ),
        (
            {"pw-current_password": DEFAULT_PASSWORD, "pw-password": "1234567"},
            "pw-password",
            "The password must have at least 8 characters.",
        ),
        (
            {"pw-current_password": DEFAULT_PASSWORD, "pw-password": "iloveyou"},
            "pw-password",
            "This password is too easy to guess: it is a common password, a keyboard pattern or close to your name. A few unrelated words together are long and easy to remember.",
        ),
        (
            {"pw-current_password": "", "pw-password": ""},
            "pw-current_password",
            "Enter your current password.",
        ),
    ],
)
def test_own_password_change_refused(client, login_as, data, anchor, message):
    user = login_as("coach", language="en")
    response = client.post("/account", data=data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    links = re.findall(
        r'<a href="#([\w-]+)">([^<]+)</a>', body.split("data-error-summary>")[1].split("</div>")[0]
    )
    assert links[0] == (anchor, message)
    user = db.session.get(User, user.id)
    assert verify_password(user.password_hash, DEFAULT_PASSWORD)
    assert user.session_version == 1
    assert client.get("/account").status_code == 200


def test_a_participant_asks_for_reminders_on_their_account_page(client, login_as, make_person):
    from app.core.audit import AuditEvent

    person = make_person()
    login_as("participant", language="en", person_id=person.id)
    page = client.get("/account").get_data(as_text=True)
    assert "Remind me the day before each activity I am expected at" in page
    response = client.post("/account", data={"prefs-language": "en", "prefs-wants_reminders": "y"})
    assert response.status_code == 303
    db.session.refresh(person)
    assert person.wants_reminders is True
    row = db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.entity_id == person.id, AuditEvent.action == "update"
        )
    ).one()
    assert row.field_list == ["wants_reminders"]
    # Unticked: no more reminders.
    assert client.post("/account", data={"prefs-language": "en"}).status_code == 303
    db.session.refresh(person)
    assert person.wants_reminders is False


def test_an_account_without_a_register_person_has_no_reminder_box(client, login_as):
    login_as("coach", language="en")
    assert "Remind me the day before" not in client.get("/account").get_data(as_text=True)
