"""The admin's user pages: list, create, edit (with the conflict page), password reset,
deactivate and reactivate. Each: happy path, permission denied, invalid input, query count."""

from __future__ import annotations

import re

import pytest

from app.accounts.enums import Language, Role
from app.accounts.models import User
from app.accounts.passwords import verify_password
from app.core.audit import AuditEvent
from app.extensions import db
from tests.conftest import DEFAULT_PASSWORD

NEW_PASSWORD = "river stone lantern"


def fresh_get(client, count_queries, url):
    """GET with an empty session identity map, as in production, counting the queries."""
    db.session.remove()
    with count_queries() as q:
        response = client.get(url)
    return response, q.count


def main_html(response) -> str:
    body = response.get_data(as_text=True)
    return body[body.index('<main id="main"') : body.index("</main>")]


def reload(user_id) -> User:
    """The account as stored now (expire, don't detach: the test's objects stay usable)."""
    db.session.expire_all()
    return db.session.get(User, user_id)


def last_audit(user_id) -> AuditEvent:
    return db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.entity == "user", AuditEvent.entity_id == user_id)
        .order_by(AuditEvent.id.desc())
    ).first()


def signed_in_client(app, username, password=DEFAULT_PASSWORD):
    other = app.test_client()
    response = other.post("/login", data={"username": username, "password": password})
    assert response.status_code == 303
    return other


# --- Permissions ---------------------------------------------------------------------------

ADMIN_PAGES = [
    ("GET", "/admin/users/"),
    ("GET", "/admin/users/new"),
    ("POST", "/admin/users/new"),
    ("GET", "/admin/users/{id}/edit"),
    ("POST", "/admin/users/{id}/edit"),
    ("GET", "/admin/users/{id}/password"),
    ("POST", "/admin/users/{id}/password"),
    ("GET", "/admin/users/{id}/deactivate"),
    ("POST", "/admin/users/{id}/deactivate"),
    ("GET", "/admin/users/{id}/reactivate"),
    ("POST", "/admin/users/{id}/reactivate"),
]


@pytest.mark.parametrize(("method", "url"), ADMIN_PAGES)
def test_anonymous_is_sent_to_sign_in(client, make_user, method, url):
    target = make_user("coach")
    path = url.format(id=target.id)
    response = client.open(path, method=method, data={"password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=" + path.replace("/", "%2F")
    assert reload(target.id).session_version == 1


@pytest.mark.parametrize("role", ["coach", "organiser", "home_staff", "participant"])
@pytest.mark.parametrize(("method", "url"), ADMIN_PAGES)
def test_other_roles_are_refused(client, login_as, make_user, role, method, url):
    login_as(role, username="notadmin", language="en")
    target = make_user("coach", username="target")
    response = client.open(
        url.format(id=target.id),
        method=method,
        data={
            "password": NEW_PASSWORD,
            "display_name": "Hacked",
            "roles": ["admin"],
            "language": "en",
            "version": "1",
            "username": "sneaky",
        },
    )
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in response.get_data(as_text=True)
    target = reload(target.id)
    assert (target.display_name, target.is_active, target.session_version) == (
        "Test coach",
        True,
        1,
    )
    assert db.session.scalar(db.select(User).where(User.username == "sneaky")) is None


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users/999/edit",
        "/admin/users/999/password",
        "/admin/users/999/deactivate",
        "/admin/users/999/reactivate",
    ],
)
def test_unknown_user_is_404(client, admin, url):
    assert client.get(url).status_code == 404


# --- List ----------------------------------------------------------------------------------


def test_list_shows_every_account(client, admin, make_user):
    make_user("coach", "organiser", username="wang.fang", display_name="王芳")
    quiet = make_user("participant", username="li.lei", display_name="李雷")
    quiet.is_active_account = False
    db.session.commit()
    response = client.get("/admin/users/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = main_html(response)
    assert "<h1>User accounts</h1>" in html
    assert "<caption>3 accounts</caption>" in html
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", html, re.S)
    assert len(rows) == 3
    boss_row, li_row, wang_row = rows  # ordered by username
    assert ">boss<" in boss_row and "Federation administrator" in boss_row
    assert "李雷" in li_row and "<strong>Deactivated</strong>" in li_row and "Never" in li_row
    assert "王芳" in wang_row
    assert '<span class="tag">Coach</span><span class="tag">Activity organiser</span>' in wang_row
    assert "<td>Active</td>" in wang_row
    assert 'href="/admin/users/new"' in html


def test_list_shows_last_sign_in_in_beijing_time(client, admin, make_user):
    from datetime import UTC, datetime

    user = make_user("coach", username="wang.fang")
    user.last_login_at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    db.session.commit()
    assert "2026-03-02 07:30" in main_html(client.get("/admin/users/"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("role=coach", {"wang.fang", "both"}),
        ("role=organiser", {"both"}),
        ("role=admin", {"boss"}),
        ("status=inactive", {"gone"}),
        ("status=active", {"boss", "wang.fang", "both"}),
        ("role=coach&status=inactive", set()),
        ("role=emperor", {"boss", "wang.fang", "both", "gone"}),  # a bad value is ignored
        ("", {"boss", "wang.fang", "both", "gone"}),
    ],
)
def test_list_filters(client, admin, make_user, query, expected):
    make_user("coach", username="wang.fang")
    make_user("coach", "organiser", username="both")
    gone = make_user("participant", username="gone")
    gone.is_active_account = False
    db.session.commit()
    response = client.get("/admin/users/?" + query)
    assert response.status_code == 200
    html = main_html(response)
    shown = set(re.findall(r'<th scope="row"><a href="/admin/users/\d+/edit">([^<]+)<', html))
    assert shown == expected
    if not expected:
        assert "No accounts match these filters." in html


def test_list_filter_keeps_choice_selected(client, admin):
    html = main_html(client.get("/admin/users/?role=coach&status=active"))
    assert '<option selected value="coach">Coach</option>' in html
    assert '<option selected value="active">Active</option>' in html


def test_list_is_paginated_and_links_keep_filters(app, client, admin, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for n in range(4):
        make_user("coach", username=f"coach{n}")
    html = main_html(client.get("/admin/users/?role=coach"))
    assert "<caption>4 accounts – page 1 of 2</caption>" in html
    assert "coach0" in html and "coach2" not in html
    assert 'href="/admin/users/?page=2&amp;role=coach" rel="next">Next page</a>' in html
    assert '<span aria-current="page">Page 1 of 2</span>' in html
    assert '<a href="/admin/users/?page=2&amp;role=coach" aria-label="Page 2">2</a>' in html
    html = main_html(client.get("/admin/users/?role=coach&page=2"))
    assert "coach2" in html and "coach3" in html and "coach0" not in html
    assert 'href="/admin/users/?page=1&amp;role=coach" rel="prev">Previous page</a>' in html
    assert "Next page" not in html


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999"])
def test_list_bad_page_number_shows_first_page(client, admin, page):
    response = client.get(f"/admin/users/?page={page}")
    assert response.status_code == 200
    assert ">boss<" in main_html(response)


def test_list_query_count_does_not_grow_with_users(client, admin, make_user, count_queries):
    for n in range(2):
        make_user("coach", "organiser", username=f"a{n}")
    response, few = fresh_get(client, count_queries, "/admin/users/")
    assert response.status_code == 200
    for n in range(2, 12):
        make_user("coach", "organiser", username=f"a{n}")
    response, many = fresh_get(client, count_queries, "/admin/users/")
    assert "<caption>13 accounts</caption>" in main_html(response)
    # Signed-in user with roles (1), the page and the page's roles (2); no COUNT while the
    # first page holds every account.
    assert few == many == 3


# --- Create --------------------------------------------------------------------------------


def new_user_data(**overrides):
    data = {
        "username": "Wang.Fang",
        "display_name": "王芳",
        "roles": ["coach", "organiser"],
        "language": "en",
        "person_id": "",
        "password": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def test_create_form(client, admin, count_queries):
    response, queries = fresh_get(client, count_queries, "/admin/users/new")
    assert response.status_code == 200
    html = main_html(response)
    assert "<h1>Create an account</h1>" in html
    assert "<legend>Roles</legend>" in html  # a group, and not marked optional
    assert html.count('type="checkbox"') == len(Role)
    assert " required" not in re.search(r'<div class="checkboxes">.*?</fieldset>', html, re.S)[0]
    assert (
        '<input checked id="language-0" name="language" required type="radio" value="zh_Hans">'
        in html
    )
    assert 'autocomplete="new-password"' in html
    assert 'data-show-password="password"' in html
    assert 'inputmode="numeric"' in html
    assert "onpaste" not in html
    assert queries == 1


def test_create_happy_path(client, admin, register_person):
    person = register_person()
    response = client.post("/admin/users/new", data=new_user_data(person_id=str(person.id)))
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/users/"
    user = db.session.scalar(db.select(User).where(User.username == "wang.fang"))
    assert user.display_name == "王芳"
    assert user.roles == {Role.COACH, Role.ORGANISER}
    assert user.language is Language.EN
    assert user.person_id == person.id
    assert verify_password(user.password_hash, NEW_PASSWORD)
    event = last_audit(user.id)
    assert (event.action, event.actor_id) == ("create", admin.id)
    assert NEW_PASSWORD not in event.fields
    assert "The account wang.fang has been created." in main_html(client.get("/admin/users/"))
    # The new account can sign in.
    signed_in_client(client.application, "wang.fang", NEW_PASSWORD)


def test_create_accepts_full_width_record_number(client, admin, register_person):
    person = register_person()
    full_width = "".join(chr(ord(d) + 0xFEE0) for d in str(person.id))
    response = client.post("/admin/users/new", data=new_user_data(person_id=f" {full_width} "))
    assert response.status_code == 303
    assert (
        db.session.scalar(db.select(User.person_id).where(User.username == "wang.fang"))
        == person.id
    )


def test_create_invalid_input_is_422_with_input_kept(client, admin):
    response = client.post(
        "/admin/users/new",
        data=new_user_data(roles=[], display_name="", password="short", username="wang.fang"),
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "<title>Error: Create an account" in body
    html = main_html(response)
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)[0]
    assert re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', summary) == [
        ("display_name", "Enter the name to show for this user."),
        ("roles-0", "Choose at least one role."),
    ]
    assert 'value="wang.fang"' in html
    assert 'aria-invalid="true"' in html
    assert (
        '<input checked id="language-1" name="language" required type="radio" value="en">' in html
    )
    assert 'value="short"' not in html  # a password is never sent back
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


@pytest.mark.parametrize(
    ("overrides", "anchor", "message"),
    [
        (
            {"password": "password123"},
            "password",
            "This password is too easy to guess: it is a common password, a keyboard pattern or close to your name. A few unrelated words together are long and easy to remember.",
        ),
        ({"password": "1234567"}, "password", "The password must have at least 8 characters."),
        ({"username": "boss"}, "username", "This username is already taken."),
        (
            {"username": "wang fang"},
            "username",
            "A username has 2 to 64 characters: letters a to z, digits, dots, hyphens and underscores, starting with a letter or digit.",
        ),
        ({"person_id": "12a"}, "person_id", "Enter the record number in digits, for example 125."),
        ({"person_id": "0"}, "person_id", "Enter the record number in digits, for example 125."),
        ({"person_id": "4242"}, "person_id", "There is no person with record number 4242."),
        (
            {"roles": ["coach", "emperor"]},
            "roles-0",
            "Choose roles from the list.",  # ours, translated; not WTForms' English
        ),
    ],
)
def test_create_refused_values(client, admin, overrides, anchor, message):
    data = new_user_data(**overrides)
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 422
    html = main_html(response)
    assert f'<li><a href="#{anchor}">{message}</a></li>' in html.replace("&#39;", "'")
    assert f'value="{data["username"]}"' in html
    assert db.session.scalar(db.select(User).where(User.username != "boss")) is None


def test_create_refuses_a_person_already_linked(client, admin, register_person, make_user):
    person = register_person()
    make_user("coach", username="first", person_id=person.id)
    response = client.post("/admin/users/new", data=new_user_data(person_id=str(person.id)))
    assert response.status_code == 422
    assert "This person is already linked to the account first." in main_html(response)


# --- Edit ----------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["2147483648", "9" * 20])
def test_a_record_number_past_the_column_names_no_one(client, admin, make_user, number):
    """Issue 19 item 17 / issue 13 item 14: an OverflowError 500 that lost the input."""
    response = client.post("/admin/users/new", data=new_user_data(person_id=number))
    assert response.status_code == 422
    html = main_html(response)
    assert f"There is no person with record number {number}." in html
    assert 'value="Wang.Fang"' in html and f'value="{number}"' in html
    user = make_user("coach", username="li.ming")
    response = client.post(f"/admin/users/{user.id}/edit", data=edit_data(user, person_id=number))
    assert response.status_code == 422
    assert f"There is no person with record number {number}." in main_html(response)
    assert reload(user.id).person_id is None


def edit_data(user, **overrides):
    data = {
        "version": str(user.version),
        "display_name": user.display_name,
        "roles": sorted(r.value for r in user.roles),
        "language": str(user.language),
        "person_id": str(user.person_id or ""),
    }
    data.update(overrides)
    return data


def test_edit_form_is_filled_in(client, admin, make_user, register_person, count_queries):
    person_id = register_person("张三").id
    user = make_user(
        "coach", "participant", username="wang.fang", display_name="王芳", person_id=person_id
    )
    response, queries = fresh_get(client, count_queries, f"/admin/users/{user.id}/edit")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = main_html(response)
    assert "<h1>Edit the account wang.fang</h1>" in html
    assert '<input id="version" name="version" type="hidden" value="1">' in html
    assert 'value="王芳"' in html
    assert '<input checked id="roles-1" name="roles" type="checkbox" value="coach">' in html
    assert '<input checked id="roles-4" name="roles" type="checkbox" value="participant">' in html
    assert '<input id="roles-0" name="roles" type="checkbox" value="admin">' in html
    assert f'value="{person_id}"' in html
    assert f"张三 (record {person_id})" in html
    assert f'href="/admin/users/{user.id}/password"' in html
    assert f'href="/admin/users/{user.id}/deactivate"' in html
    # Signed-in user with roles (1), the account and its roles (2), the linked person (1).
    assert queries == 4


def test_edit_happy_path(client, admin, make_user):
    admin_id = admin.id
    user = make_user("coach", username="wang.fang", display_name="王芳", language="zh_Hans")
    response = client.post(
        f"/admin/users/{user.id}/edit",
        data=edit_data(user, display_name="王芳芳", roles=["organiser"], language="en"),
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/users/"
    user = reload(user.id)
    assert (user.display_name, user.roles, user.language, user.version) == (
        "王芳芳",
        {Role.ORGANISER},
        Language.EN,
        2,
    )
    event = last_audit(user.id)
    assert (event.action, event.field_list, event.actor_id) == (
        "update",
        ["display_name", "language", "roles"],
        admin_id,
    )
    assert "The account wang.fang has been saved." in main_html(client.get("/admin/users/"))


def test_edit_invalid_input_is_422_with_input_kept(client, admin, make_user):
    user = make_user("coach", username="wang.fang", display_name="王芳")
    response = client.post(
        f"/admin/users/{user.id}/edit",
        data=edit_data(user, display_name="", roles=[], person_id="abc"),
    )
    assert response.status_code == 422
    html = main_html(response)
    assert re.findall(r'<a href="#([\w-]+)">', html) == ["display_name", "roles-0", "person_id"]
    assert 'value="abc"' in html
    assert '<input id="roles-1" name="roles" type="checkbox" value="coach">' in html
    assert reload(user.id).display_name == "王芳"


def test_admin_cannot_drop_own_admin_role(client, admin):
    response = client.post(f"/admin/users/{admin.id}/edit", data=edit_data(admin, roles=["coach"]))
    assert response.status_code == 422
    assert '<a href="#roles-0">You cannot remove your own administrator role.</a>' in main_html(
        response
    )
    assert reload(admin.id).roles == {Role.ADMIN}


def test_admin_edits_own_name(client, admin):
    response = client.post(
        f"/admin/users/{admin.id}/edit", data=edit_data(admin, display_name="Chief")
    )
    assert response.status_code == 303
    assert client.get("/admin/users/").status_code == 200
    assert reload(admin.id).display_name == "Chief"


def test_edit_conflict_shows_both_values_and_keeps_input(client, admin, make_user):
    user = make_user("coach", username="wang.fang", display_name="王芳")
    stale = edit_data(user, display_name="Mine", roles=["coach", "participant"])
    # Another admin saves first.
    other = signed_in_client(client.application, "boss")
    assert (
        other.post(
            f"/admin/users/{user.id}/edit", data=edit_data(user, display_name="Theirs")
        ).status_code
        == 303
    )
    response = client.post(f"/admin/users/{user.id}/edit", data=stale)
    assert response.status_code == 409
    html = main_html(response)
    assert (
        "<li>Someone else saved this record after you opened it. Your input is kept in the form: "
        "check the differences, then save again to keep your values.</li>" in html
    )
    compact = re.sub(r">\s+<", "><", html)
    # Your value first, then the saved one (the shared conflict panel), every field that differs.
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td>([^<]*)</td><td>([^<]*)</td></tr>', compact
    )
    assert rows == [("Name", "Mine", "Theirs"), ("Roles", "Coach, Participant", "Coach")]
    assert 'value="Mine"' in html
    assert '<input checked id="roles-4" name="roles" type="checkbox" value="participant">' in html
    # The form now carries the saved version: sending it again saves the user's values.
    assert '<input id="version" name="version" type="hidden" value="2">' in html
    assert reload(user.id).display_name == "Theirs"
    assert (
        client.post(f"/admin/users/{user.id}/edit", data={**stale, "version": "2"}).status_code
        == 303
    )
    assert reload(user.id).display_name == "Mine"


def test_signing_in_does_not_make_an_open_form_conflict(app, client, admin, make_user):
    user = make_user("coach", username="wang.fang")
    data = edit_data(user, display_name="New name")
    signed_in = signed_in_client(app, "wang.fang")
    signed_in.post("/logout")
    assert client.post(f"/admin/users/{user.id}/edit", data=data).status_code == 303


# --- Password reset ------------------------------------------------------------------------


def test_password_page(client, admin, make_user, count_queries):
    user = make_user("coach", username="wang.fang")
    response, queries = fresh_get(client, count_queries, f"/admin/users/{user.id}/password")
    assert response.status_code == 200
    html = main_html(response)
    assert "<h1>Set a new password for wang.fang</h1>" in html
    assert 'autocomplete="new-password"' in html
    assert 'data-show-password="password"' in html
    assert queries == 3


def test_password_reset_ends_the_users_sessions(app, client, admin, make_user):
    admin_id = admin.id
    user = make_user("coach", username="wang.fang")
    theirs = signed_in_client(app, "wang.fang")
    assert theirs.get("/account").status_code == 200
    response = client.post(f"/admin/users/{user.id}/password", data={"password": NEW_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/admin/users/{user.id}/edit"
    assert theirs.get("/account").status_code == 302
    user = reload(user.id)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    event = last_audit(user.id)
    assert (event.action, event.field_list, event.actor_id) == (
        "set_password",
        ["password"],
        admin_id,
    )
    assert "has been changed and the account has been signed out on every device" in main_html(
        client.get(f"/admin/users/{user.id}/edit")
    )
    signed_in_client(app, "wang.fang", NEW_PASSWORD)


def test_admin_resetting_own_password_stays_signed_in(client, admin):
    response = client.post(f"/admin/users/{admin.id}/password", data={"password": NEW_PASSWORD})
    assert response.status_code == 303
    assert client.get("/admin/users/").status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "Enter a new password."),
        ("seven77", "The password must have at least 8 characters."),
        (
            "iloveyou",
            "This password is too easy to guess: it is a common password, a keyboard pattern or close to your name. A few unrelated words together are long and easy to remember.",
        ),
        ("wang.fang", "The password must not be the same as your username or name."),
    ],
)
def test_password_reset_refused(client, admin, make_user, password, message):
    user = make_user("coach", username="wang.fang")
    response = client.post(f"/admin/users/{user.id}/password", data={"password": password})
    assert response.status_code == 422
    html = main_html(response)
    assert f'<a href="#password">{message}</a>' in html
    assert 'aria-invalid="true"' in html
    user = reload(user.id)
    assert user.session_version == 1
    assert verify_password(user.password_hash, DEFAULT_PASSWORD)


# --- Deactivate and reactivate ---------------------------------------------------------------


def test_deactivate_confirmation_page(client, admin, make_user, count_queries):
    user = make_user("coach", username="wang.fang", display_name="王芳")
    response, queries = fresh_get(client, count_queries, f"/admin/users/{user.id}/deactivate")
    assert response.status_code == 200
    html = main_html(response)
    assert "<h1>Deactivate the account wang.fang?</h1>" in html
    assert "王芳 will be signed out on every device" in html
    assert '<button type="submit" class="button button-warning">Deactivate account</button>' in html
    assert queries == 3
    assert reload(user.id).is_active is True  # GET changes nothing


def test_deactivate_ends_sessions_and_blocks_sign_in(app, client, admin, make_user):
    admin_id = admin.id
    user = make_user("coach", username="wang.fang")
    theirs = signed_in_client(app, "wang.fang")
    response = client.post(f"/admin/users/{user.id}/deactivate")
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/users/"
    assert theirs.get("/account").status_code == 302
    assert (
        app.test_client()
        .post("/login", data={"username": "wang.fang", "password": DEFAULT_PASSWORD})
        .status_code
        == 422
    )
    user = reload(user.id)
    assert user.is_active is False
    event = last_audit(user.id)
    assert (event.action, event.field_list, event.actor_id) == (
        "deactivate",
        ["is_active_account"],
        admin_id,
    )
    html = main_html(client.get("/admin/users/"))
    assert "The account wang.fang has been deactivated. It can no longer sign in." in html
    # The edit page now offers reactivation, not deactivation.
    html = main_html(client.get(f"/admin/users/{user.id}/edit"))
    assert f'href="/admin/users/{user.id}/reactivate"' in html
    assert f'href="/admin/users/{user.id}/deactivate"' not in html


def test_admin_cannot_deactivate_self(client, admin):
    html = main_html(client.get(f"/admin/users/{admin.id}/deactivate"))
    assert "You cannot deactivate your own account. Another administrator can do it." in html
    assert 'type="submit"' not in html
    assert f'action="/admin/users/{admin.id}/deactivate"' not in html
    response = client.post(f"/admin/users/{admin.id}/deactivate")
    assert response.status_code == 422
    assert "<li>You cannot deactivate your own account.</li>" in main_html(response)
    assert reload(admin.id).is_active is True
    assert client.get("/admin/users/").status_code == 200
    edit_page = main_html(client.get(f"/admin/users/{admin.id}/edit"))
    assert f'href="/admin/users/{admin.id}/deactivate"' not in edit_page


def test_reactivate(app, client, admin, make_user, count_queries):
    user = make_user("coach", username="wang.fang", display_name="王芳")
    user.is_active_account = False
    db.session.commit()
    response, queries = fresh_get(client, count_queries, f"/admin/users/{user.id}/reactivate")
    assert response.status_code == 200
    assert "王芳 will be able to sign in again with their password." in main_html(response)
    assert queries == 3
    response = client.post(f"/admin/users/{user.id}/reactivate")
    assert response.status_code == 303
    assert reload(user.id).is_active is True
    assert last_audit(user.id).action == "reactivate"
    signed_in_client(app, "wang.fang")


@pytest.mark.parametrize("action", ["deactivate", "reactivate"])
def test_nothing_to_do_goes_back_to_the_account(client, admin, make_user, action):
    user = make_user("coach", username="wang.fang")
    if action == "reactivate":
        pass  # already active
    else:
        user.is_active_account = False
        db.session.commit()
    for method in ("GET", "POST"):
        response = client.open(f"/admin/users/{user.id}/{action}", method=method)
        assert response.status_code == 303
        assert response.headers["Location"] == f"/admin/users/{user.id}/edit"
    assert last_audit(user.id).action == "create"


def test_a_save_landing_between_the_check_and_the_update_is_a_409_not_a_500(
    app, client, admin, make_user, monkeypatch
):
    """Issue 13 item 10 (users): another admin's save commits after this request compared
    the versions but before its UPDATE (StaleDataError at flush): the conflict page with the
    input kept, never a 500, and the other admin's save stays."""
    import sqlalchemy as sa

    from app.accounts import services
    from app.accounts.models import User
    from app.extensions import db

    user = make_user("coach", username="wang.fang", display_name="王芳")
    data = edit_data(user, display_name="Mine")
    real_check = services._check_person

    def other_admin_saves_now(person_id, account):
        with db.engine.connect() as other:
            other.execute(
                sa.update(User)
                .where(User.id == account.id)
                .values(display_name="Theirs", version=User.version + 1)
            )
            other.commit()
        return real_check(person_id, account)

    monkeypatch.setattr(services, "_check_person", other_admin_saves_now)
    response = client.post(f"/admin/users/{user.id}/edit", data=data)
    assert response.status_code == 409
    html = main_html(response)
    assert "Someone else saved this record after you opened it." in html
    assert 'value="Mine"' in html
    assert '<input id="version" name="version" type="hidden" value="2">' in html
    saved = reload(user.id)
    assert (saved.display_name, saved.version) == ("Theirs", 2)
