"""Fuzzing every form the site shows (found by walking ``app.url_map``, so a new form is fuzzed
without editing this file): markup, quotes, CJK, full-width and control characters never
cause a 500, and whatever is echoed back is escaped."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import limiter
from tests.security.routes import inline_markup, parse_forms, routes

# Full-width forms turn into real markup after NFKC normalisation: they must be escaped too.
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(1)>",
    "＜script＞alert(1)＜/script＞",
    "＂＞＜b onmouseover=alert(1)＞",
    "' OR '1'='1' --",
    "\x00\x01\x1f\x7f\u200b\u202e",
    "融合 残疾人 体育 阳光家园 ｘ Ｘ　全角空格",
    "王小明\r\n<i>note</i>\t",
    "{{ 7*7 }} {% raw %} %(name)s %s",
    "𠮷𩸽🙂",
    " " * 300,
]
# No digits: 17 echoed digits would look like a leaked ID number to the suite's leak guard.
ALPHABET = st.sampled_from(
    list("<>\"'&/=;:()[]{}%\\`!?-_ ")
    + list("abcXYZ")
    + list("中文残联融合王张")
    + list("ＡＢＣａｂｃ＜＞＂＇＆／＝　")
    + ["\x00", "\x07", "\x1b", "\r", "\n", "\t", "\u2028", "\ufeff"]
)
FUZZ = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(ALPHABET, max_size=40),
    st.builds(lambda a, b: a + b, st.sampled_from(PAYLOADS), st.text(ALPHABET, max_size=12)),
)
SKIPPED_ENDPOINTS = {"accounts.logout", "core.set_language"}
FIELD_KINDS = {
    "text",
    "search",
    "email",
    "tel",
    "number",
    "password",
    "url",
    "date",
    "textarea",
    "select",
    "radio",
    "checkbox",
    "hidden",
}


def discover(app, admin) -> list[tuple[str, str, str, dict, list[str]]]:
    """(where, method, action, default data, fuzzable names) for every distinct form."""
    adapter = app.url_map.bind("localhost")
    seen, found = set(), []
    pages = [("anonymous", app.test_client(), "/login")]
    pages += [("admin", admin, url) for _e, _m, url in routes(app, "GET")]
    for who, client, url in pages:
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in parse_forms(response.get_data(as_text=True)):
            action = form.action or url
            try:
                endpoint, _ = adapter.match(urlsplit(action).path, method=form.method.upper())
            except Exception:
                continue
            names = sorted(
                n
                for n, kind in form.kinds.items()
                if kind in FIELD_KINDS
                and n != "csrf_token"
                and not (kind == "hidden" and n == "version")
            )
            key = (endpoint, form.method, tuple(names))
            if endpoint in SKIPPED_ENDPOINTS or form.destructive or not names or key in seen:
                continue
            seen.add(key)
            defaults = {n: v for n, v in form.fields.items() if v}
            found.append((f"{who} {url}", form.method, action, defaults, names))
    return found


def brief(data: dict) -> str:
    return "{" + ", ".join(f"{k}: {str(v)[:50]!r}" for k, v in data.items()) + "}"


def send(client, method: str, action: str, data: dict):
    limiter.reset()
    if method == "get":
        return client.get(action, query_string=data)
    return client.post(action, data=data)


def problems_in(response) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append(f"answered {response.status_code}")
    if response.mimetype == "text/html":
        body = response.get_data(as_text=True)
        problems += [f"echoed unescaped markup: {what}" for what in inline_markup(body)]
        for raw in ("<script>alert", "<img src=x", "<svg/onload", "<b onmouseover", "<i>note"):
            if raw in body:
                problems.append(f"echoed {raw!r} unescaped")
    return problems


def test_fuzz_every_form(app, make_user, seeded):
    user = make_user("admin", username="fuzz-admin")
    admin = app.test_client()

    def sign_in():
        with admin.session_transaction() as session:
            session["_user_id"] = user.get_id()

    sign_in()
    forms = discover(app, admin)
    assert any(action.startswith("/login") for _w, _m, action, _d, _n in forms)

    for where, method, action, defaults, names in forms:
        client = app.test_client() if where.startswith("anonymous") else admin
        # Every payload in every field at once; then each field alone (the others keeping
        # their valid values) with a markup payload, so a field's own echo is checked.
        attempts = [{**defaults, **dict.fromkeys(names, payload)} for payload in PAYLOADS]
        attempts += [{**defaults, name: PAYLOADS[i % 5]} for i, name in enumerate(names)]
        for data in attempts:
            sign_in()
            problems = problems_in(send(client, method, action, data))
            assert not problems, (
                f"{where} → {method.upper()} {action} with {brief(data)}: {problems}"
            )

        @settings(
            max_examples=15,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        @given(st.fixed_dictionaries({name: FUZZ for name in names}))
        def fuzz(values):
            sign_in()
            data = {**defaults, **values}
            problems = problems_in(send(client, method, action, data))
            assert not problems, (
                f"{where} → {method.upper()} {action} with {brief(data)}: {problems}"
            )

        fuzz()
