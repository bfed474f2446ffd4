"""Access control from ``app.url_map``: every route not marked public refuses anonymous
visitors, and every role-restricted route refuses the roles it does not name."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.security.routes import is_public, routes

ROLES = ("admin", "coach", "organiser", "home_staff", "participant")


def refused_anonymous(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code in (302, 303):
        return urlsplit(response.headers["Location"]).path == "/login"
    return False


def test_public_endpoints_are_marked(app):
    public = {endpoint for endpoint in app.view_functions if is_public(app, endpoint)}
    # The pages anyone must reach; the rest of the list comes from the @public marks.
    assert {"core.home", "core.accessibility", "accounts.login", "static"} <= public
    # Pages that are for signed-in users are never marked public.
    assert "accounts.account" not in public


def test_every_non_public_route_refuses_anonymous_visitors(app, client, seeded):
    checked, failures = 0, []
    for endpoint, method, url in routes(app):
        if is_public(app, endpoint):
            continue
        response = client.open(url, method=method)
        checked += 1
        if not refused_anonymous(response):
            failures.append(
                f"{method} {url} ({endpoint}) answered {response.status_code} "
                f"{response.headers.get('Location', '')}"
            )
    assert checked >= 3
    assert not failures, "Open to anonymous visitors:\n" + "\n".join(failures)


def test_role_restricted_routes_refuse_other_roles(app, make_user, seeded):
    """``role_required(...)`` records its roles on the view; every other role (admins always
    pass) gets 403, or 404 where the route hides what exists."""
    restricted = [
        (endpoint, method, url, set(app.view_functions[endpoint].required_roles))
        for endpoint, method, url in routes(app)
        if getattr(app.view_functions[endpoint], "required_roles", None)
    ]
    assert restricted, "no route uses role_required: the matrix would check nothing"
    failures = []
    for role in ROLES[1:]:
        user = make_user(role, username=f"matrix-{role}".replace("_", "-"))
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        for endpoint, method, url, allowed in restricted:
            if role in allowed:
                continue
            response = client.open(url, method=method)
            if response.status_code not in (403, 404):
                failures.append(
                    f"{role}: {method} {url} ({endpoint}) answered {response.status_code}"
                )
    assert not failures, "Role checks missing:\n" + "\n".join(failures)
