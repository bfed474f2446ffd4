"""Helpers shared by the security tests: walk ``app.url_map`` and read forms out of HTML.

Everything is derived from the running app, so a new route is covered without editing a list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from uuid import UUID

import sqlalchemy as sa
from werkzeug.routing import AnyConverter, IntegerConverter, UUIDConverter

from app.extensions import db

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def is_public(app, endpoint: str) -> bool:
    """Anonymous visitors may use it: marked with app.core.auth.public, or a static file."""
    if endpoint == "static":
        return True
    return bool(getattr(app.view_functions[endpoint], "is_public", False))


def dummy_value(converter):
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, UUIDConverter):
        return UUID(int=1)
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0] if hasattr(converter, "items") else "1"
    return "1"


def routes(app, method: str | None = None):
    """(endpoint, method, url) for every rule and method, with 1 for every id."""
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint == "static":
            continue
        values = {name: dummy_value(conv) for name, conv in rule._converters.items()}
        for m in METHODS:
            if m not in rule.methods or (method and m != method):
                continue
            url = adapter.build(rule.endpoint, values, method=m, force_external=False)
            found.append((rule.endpoint, m, url))
    return found


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, to prove that a refused request changed nothing."""
    rows = {}
    for table in db.metadata.sorted_tables:
        result = db.session.execute(sa.select(table)).all()
        rows[table.name] = sorted(tuple(map(repr, row)) for row in result)
    db.session.rollback()
    return rows


@dataclass
class Form:
    method: str
    action: str | None
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values (as posted)
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type / select / textarea
    options: dict[str, list[str]] = field(default_factory=dict)
    classes: set[str] = field(default_factory=set)  # every class and data-* marker inside

    @property
    def destructive(self) -> bool:
        return "button-warning" in self.classes or "data-confirm" in self.classes


class FormParser(HTMLParser):
    """The forms of a page, with what a browser would send for each as it stands."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._selected_seen = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(method=(a.get("method") or "get").lower(), action=a.get("action"))
            if "data-confirm" in a:
                self._form.classes.add("data-confirm")
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        form.classes.update((a.get("class") or "").split())
        if "data-confirm" in a:
            form.classes.add("data-confirm")
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            form.kinds[name] = kind
            if kind in ("checkbox", "radio"):
                form.options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.fields.setdefault(name, []).append(a.get("value", "on"))
                else:
                    form.fields.setdefault(name, [])
            elif kind not in ("submit", "button", "image", "reset", "file"):
                form.fields.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self._selected_seen = False
            form.kinds[name] = "select"
            form.fields[name] = []
            form.options[name] = []
        elif tag == "option" and self._select:
            value = a.get("value", "")
            form.options[self._select].append(value)
            if "selected" in a:
                form.fields[self._select] = [value]
                self._selected_seen = True
            elif not form.fields[self._select] and not self._selected_seen:
                form.fields[self._select] = [value]
        elif tag == "textarea" and name:
            self._textarea = name
            form.kinds[name] = "textarea"
            form.fields[name] = [""]

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def csrf_token(html: str) -> str:
    for form in parse_forms(html):
        values = form.fields.get("csrf_token")
        if values and values[0]:
            return values[0]
    raise AssertionError("no csrf_token on the page")


class InlineFinder(HTMLParser):
    """Markup the CSP would block (and that an unescaped echo would create): inline scripts,
    <style> elements, style= and on*= attributes, javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and not a.get("src"):
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"style= attribute on <{tag}>")
            elif name.startswith("on"):
                self.found.append(f"{name}= attribute on <{tag}>")
            elif name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in <{tag} {name}>")

    handle_startendtag = handle_starttag


def inline_markup(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found
