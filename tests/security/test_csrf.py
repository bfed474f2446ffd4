"""CSRF left ON: every POST route, posted by a signed-in admin without a token, is refused and
changes nothing; the same request with the page's token works."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.conftest import DEFAULT_PASSWORD
from tests.security.routes import csrf_token, parse_forms, routes, snapshot

pytestmark = pytest.mark.usefixtures("csrf_on")


def form_data_for(client, url: str) -> dict[str, list[str]]:
    """What the page at ``url`` would post to itself (its own form, token removed), so the
    request would succeed if only it had a token. Empty when there is no such page."""
    response = client.get(url)
    if response.status_code != 200 or not response.mimetype == "text/html":
        return {}
    path = urlsplit(url).path
    for form in parse_forms(response.get_data(as_text=True)):
        if form.method != "post":
            continue
        if form.action in (None, "") or urlsplit(form.action).path == path:
            return {
                name: values
                for name, values in form.fields.items()
                if values and not name.endswith("csrf_token")  # also prefixed: "prefs-csrf_token"
            }
    return {}


def session_state(client) -> dict:
    with client.session_transaction() as session:
        return {k: v for k, v in session.items() if k not in ("csrf_token", "_flashes")}


def test_every_post_route_refuses_a_missing_token(app, client, make_user, sign_in, seeded):
    sign_in(make_user("admin", username="csrf-admin"))
    posted, failures = 0, []
    for endpoint, _method, url in routes(app, "POST"):
        data = form_data_for(client, url)
        before, session_before = snapshot(), session_state(client)
        response = client.post(url, data=data)
        after, session_after = snapshot(), session_state(client)
        posted += 1
        # Refused: 400 (checked before the view) or 422 (the form's own check, input kept).
        # A view may instead send the visitor back (303) as long as nothing happened.
        refused = response.status_code in (400, 422) or (
            response.status_code in (302, 303) and session_before == session_after
        )
        if not refused:
            failures.append(f"POST {url} ({endpoint}) answered {response.status_code}")
        if before != after:
            changed = sorted(t for t in before if before[t] != after.get(t))
            failures.append(f"POST {url} ({endpoint}) without a token changed tables {changed}")
    assert posted >= 3
    assert not failures, "\n".join(failures)


def test_login_with_the_pages_token_works(client, make_user):
    make_user("coach", username="token-coach")
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"csrf_token": token, "username": "token-coach", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 303
    assert client.get("/account").status_code == 200


def test_login_without_a_token_keeps_the_input(client, make_user):
    make_user("coach", username="token-coach")
    client.get("/login")
    response = client.post("/login", data={"username": "token-coach", "password": DEFAULT_PASSWORD})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'value="token-coach"' in body
    assert "data-error-summary" in body
    assert client.get("/account").status_code == 302


def test_another_sessions_token_is_refused(app, client, make_user):
    make_user("coach", username="token-coach")
    other = app.test_client()
    token = csrf_token(other.get("/login").get_data(as_text=True))
    client.get("/login")
    response = client.post(
        "/login",
        data={"csrf_token": token, "username": "token-coach", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 422
    assert client.get("/account").status_code == 302


def test_sign_out_needs_the_token(client, make_user, sign_in):
    sign_in(make_user("coach", username="token-coach"))
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200
    token = csrf_token(client.get("/account").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/account").status_code == 302
