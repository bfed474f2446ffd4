"""Security headers on every response, and no inline script or style for the CSP to block."""

from __future__ import annotations

from app.core.security import CSP
from tests.security.routes import inline_markup, routes

EXPECTED = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def header_problems(where: str, response, *, signed_in: bool) -> list[str]:
    problems = []
    for name, value in EXPECTED.items():
        if response.headers.get(name) != value:
            problems.append(f"{where}: {name} is {response.headers.get(name)!r}")
    if signed_in and "no-store" not in response.headers.get("Cache-Control", ""):
        problems.append(f"{where}: signed-in response without Cache-Control: no-store")
    if response.mimetype == "text/html":
        for what in inline_markup(response.get_data(as_text=True)):
            problems.append(f"{where}: {what} would be blocked by the CSP")
    response.close()
    return problems


def page_problems(where: str, response) -> list[str]:
    """What no page reached by GET may show: the edit-conflict panel belongs to a 409 only
    (the new-person form once showed "someone else saved this record" on every visit)."""
    if response.mimetype == "text/html" and 'id="conflict-heading"' in response.get_data(
        as_text=True
    ):
        return [f"{where}: shows the edit-conflict panel"]
    return []


def test_csp_is_the_designed_policy():
    directives = {d.strip() for d in CSP.split(";")}
    for wanted in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert wanted in directives
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP


def test_headers_and_no_conflict_panel_on_every_get_route(app, make_user, seeded):
    anonymous = app.test_client()
    admin = app.test_client()
    user = make_user("admin", username="headers-admin")
    with admin.session_transaction() as session:
        session["_user_id"] = user.get_id()
    problems = []
    for endpoint, _method, url in routes(app, "GET"):
        for who, client, signed_in in (("anonymous", anonymous, False), ("admin", admin, True)):
            response = client.get(url)
            problems += page_problems(f"{who} GET {url}", response)
            problems += header_problems(f"{who} GET {url}", response, signed_in=signed_in)
    assert not problems, "\n".join(problems)


def test_headers_on_static_error_and_post_responses(client, make_user, sign_in):
    with client.get("/static/css/site.css") as static:
        problems = header_problems("static css", static, signed_in=False)
    problems += header_problems("404", client.get("/no-such-page"), signed_in=False)
    problems += header_problems("405", client.get("/logout"), signed_in=False)
    problems += header_problems("login 422", client.post("/login", data={}), signed_in=False)
    sign_in(make_user("coach", username="headers-coach"))
    problems += header_problems("signed-in 404", client.get("/no-such-page"), signed_in=True)
    assert not problems, "\n".join(problems)


def test_anonymous_public_pages_may_be_cached_but_personal_pages_not(client, make_user, sign_in):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    sign_in(make_user("coach", username="headers-coach"))
    assert "no-store" in client.get("/").headers["Cache-Control"]
    assert "no-store" in client.get("/account").headers["Cache-Control"]
