"""The form round trip, for any create or edit form (issue 12, "one generic round-trip test over
every create/edit form"; issue 19's done-when).

A form is read from the page the way a browser reads it (``read_form``: every input, select and
textarea of the form, many-valued ones as lists), filled with changed values, posted, and the
edit page read again: what the user typed must be what the page shows (``round_trip``). Two
sessions editing different fields of the same record (``two_sessions``): the second gets the
409 page naming the field the first changed, with both values, and its own input kept.

Text goes in as typed Chinese with full-width punctuation (``CHINESE``): a form that changes
"，" into "," fails here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

CHINESE = "场地测评，状态良好（一）。"
# opened_sport_ids: what the competition form was opened with (bookkeeping for a conflict).
NOT_VALUES = {"csrf_token", "version", "submit", "confirmed", "opened_sport_ids"}


@dataclass
class Control:
    name: str
    kind: str  # text, textarea, select, select-multiple, checkbox, radio, hidden, number, ...
    values: list[str] = field(default_factory=list)  # what the browser would send
    options: list[str] = field(default_factory=list)  # the choices of a select/checkbox/radio
    labels: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, action: str | None):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.in_form = False
        self.found = False
        self.controls: dict[str, Control] = {}
        self._select: Control | None = None
        self._option: str | None = None
        self._textarea: Control | None = None
        self._label_for: str | None = None
        self.label_text: dict[str, str] = {}  # control id -> its <label>'s text
        self.ids: dict[str, str] = {}  # control id -> control name
        self._legend: list[str] | None = None  # the open fieldset's legend text
        self._in_legend = False
        self._in_optional = 0
        self.legends: dict[str, str] = {}  # checkbox/radio group name -> its legend

    def _control(self, name: str, kind: str) -> Control:
        return self.controls.setdefault(name, Control(name, kind))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.found:
            method = (a.get("method") or "get").lower()
            target = a.get("action")
            if method == "post" and (target in (None, "") or target == self.action):
                self.in_form = self.found = True
            return
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "span" and "optional" in (a.get("class") or "").split():
            self._in_optional += 1
        elif tag == "span" and self._in_optional:
            self._in_optional += 1
        if tag == "fieldset":
            self._legend = [""]
        elif tag == "legend" and self._legend is not None:
            self._in_legend = True
        if (
            tag == "input"
            and name
            and self._legend is not None
            and (
                (a.get("type") or "").lower() in ("checkbox", "radio")
                or name.endswith(("-year", "-month", "-day"))
            )
        ):
            self.legends.setdefault(name, " ".join(self._legend[0].split()))
        if tag == "label" and a.get("for"):
            self._label_for = a["for"]
            self.label_text.setdefault(self._label_for, "")
        if name and a.get("id") and tag in ("input", "select", "textarea"):
            self.ids[a["id"]] = name
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            control = self._control(name, kind)
            if kind in ("checkbox", "radio"):
                control.options.append(a.get("value", "on"))
                if "checked" in a:
                    control.values.append(a.get("value", "on"))
            else:
                control.values.append(a.get("value", ""))
        elif tag == "select" and name:
            kind = "select-multiple" if "multiple" in a else "select"
            self._select = self._control(name, kind)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._option = value
            self._select.options.append(value)
            if "selected" in a:
                self._select.values.append(value)
        elif tag == "textarea" and name:
            self._textarea = self._control(name, "textarea")
            self._textarea.values.append("")

    def handle_data(self, data):
        if self._in_optional:
            return
        if self._in_legend and self._legend is not None:
            self._legend[0] += data
        if self._label_for is not None:
            self.label_text[self._label_for] += data
        if self._textarea is not None:
            self._textarea.values[-1] += data
        elif self._select is not None and self._option is not None:
            self._select.labels[self._option] = (
                self._select.labels.get(self._option, "") + data
            ).strip()

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None
        elif tag == "span" and self._in_optional:
            self._in_optional -= 1
        elif tag == "legend":
            self._in_legend = False
        elif tag == "fieldset":
            self._legend = None
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "select":
            if (
                self._select is not None
                and self._select.kind == "select"
                and not (self._select.values)
            ):
                # A browser sends the first option of a single select with none selected.
                self._select.values = self._select.options[:1]
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser keeps the newline right after <textarea>; browsers drop it.
            text = self._textarea.values[-1]
            for newline in ("\r\n", "\n"):
                if text.startswith(newline):
                    text = text[len(newline) :]
                    break
            self._textarea.values[-1] = text
            self._textarea = None


def read_form(html: str, action: str | None = None) -> dict[str, Control]:
    """The controls of the first POST form on the page that posts to itself or to ``action``
    (the header's language switch posts elsewhere)."""
    parser = _FormParser(action)
    parser.feed(html)
    assert parser.found, f"no POST form{f' to {action}' if action else ''} on the page"
    return parser.controls


def field_labels(html: str, action: str | None = None) -> dict[str, str]:
    """Each control's label as the page shows it, without its "(optional)" mark, by control
    name; a checkbox or radio group, or the year/month/day boxes of a date, by its fieldset's
    legend."""
    parser = _FormParser(action)
    parser.feed(html)
    labels: dict[str, str] = dict(parser.legends)
    for control_id, name in parser.ids.items():
        text = " ".join(parser.label_text.get(control_id, "").split())
        if text and name not in labels:
            labels[name] = text
    return labels


def values(controls: dict[str, Control]) -> dict[str, list[str]]:
    """What the page shows, field by field (the record's values; tokens and buttons left out)."""
    return {name: c.values for name, c in controls.items() if name not in NOT_VALUES}


def post_data(controls: dict[str, Control], changes: dict[str, str | list[str]]) -> dict:
    data = {name: list(c.values) for name, c in controls.items()}
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return data


def round_trip(
    client,
    edit_url: str,
    changes: dict,
    *,
    shown_as: dict | None = None,
    post_url: str | None = None,
    action=None,
):
    """Post ``changes`` over the edit form's current values, reopen the edit page and assert
    every changed field shows exactly what was sent (or, for a number typed as "1,200", what
    ``shown_as`` says it reads as), and no other field changed. Answers the values shown."""
    page = client.get(edit_url)
    assert page.status_code == 200, edit_url
    action = action or edit_url
    before = read_form(page.get_data(as_text=True), action)
    unknown = set(changes) - set(before)
    assert not unknown, f"{edit_url} has no fields {sorted(unknown)}"
    response = client.post(post_url or edit_url, data=post_data(before, changes))
    assert response.status_code == 303, f"{edit_url}: {response.status_code}\n" + _errors(
        response.get_data(as_text=True)
    )
    after = values(read_form(client.get(edit_url).get_data(as_text=True), action))
    expected = values(before)
    for name, value in {**changes, **(shown_as or {})}.items():
        expected[name] = value if isinstance(value, list) else [value]
    mismatched = {
        name: (expected[name], after.get(name))
        for name in expected
        if after.get(name) != expected[name]
    }
    assert not mismatched, f"{edit_url}: sent vs shown after reopening: {mismatched}"
    return after


def two_sessions(first, second, edit_url: str, change_first: dict, change_second: dict, labels=()):
    """Both open the edit page; ``first`` saves ``change_first``; ``second`` then saves
    ``change_second`` over its stale copy: a 409 whose panel names every field the first
    changed (by the label the form shows for it, plus any ``labels`` given, e.g. the saved
    values), the second's input kept; nothing of the first's was overwritten. Answers the 409
    page's text."""
    stale_html = second.get(edit_url).get_data(as_text=True)
    stale = read_form(stale_html, edit_url)
    shown_labels = field_labels(stale_html, edit_url)
    labels = [*(shown_labels[name] for name in change_first), *labels]
    fresh = read_form(first.get(edit_url).get_data(as_text=True), edit_url)
    saved = first.post(edit_url, data=post_data(fresh, change_first))
    assert saved.status_code == 303, _errors(saved.get_data(as_text=True))
    conflict = second.post(edit_url, data=post_data(stale, change_second))
    assert conflict.status_code == 409, f"{edit_url}: {conflict.status_code}"
    text = conflict.get_data(as_text=True)
    start = text.index('<section class="conflict"')
    panel = text[start : text.index("</section>", start)]
    for label in labels:
        assert label in panel, f"the conflict panel does not name {label!r}"
    kept = values(read_form(text, edit_url))
    for name, value in change_second.items():
        assert kept[name] == (value if isinstance(value, list) else [value]), name
    shown_after = values(read_form(first.get(edit_url).get_data(as_text=True), edit_url))
    for name, value in change_first.items():
        assert shown_after[name] == (value if isinstance(value, list) else [value]), name
    return panel


def _errors(html: str) -> str:
    start = html.find('class="error-summary"')
    return html[start : start + 1500] if start >= 0 else html[:1500]


def sign_in(client, user) -> None:
    """Sign ``client`` in as ``user`` (as tests/conftest.py's login_as does)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
