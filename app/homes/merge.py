"""Saving again after an edit conflict does not revert the other person's changes (issue 19
item 3, for the home and activity forms).

The 409 page (core.editing) keeps the user's input and lists every field whose value differs
from the record as saved now. Alone, that makes "save again" write back the *old* value of
every field the other person changed and this user never touched. So the edit page remembers
what each field showed when it was opened (``remember``: keyed digests in the session, never
the values, so no personal data travels in the cookie), and after a conflict ``take_over``
puts the saved value into each field the user left as it was shown. Fields both people
changed keep the user's value; the panel lists them all, and saving again keeps both
people's changes.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, session

from app.core.editing import NOT_VALUE_NAMES, NOT_VALUES, shown_value


def _digest(text: str) -> str:
    key = str(current_app.secret_key or "").encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:12]


SESSION_KEY = "homes_seen"
KEEP = 3  # records remembered at once: the session cookie stays small


def _key(kind: str, record_id: int) -> str:
    return f"{kind}-{record_id}"


def remember(form, kind: str, record_id: int) -> None:
    """What ``form`` shows now, as the user's starting point for this record (the last KEEP
    records opened are remembered, oldest first: a list, as the session's JSON sorts keys)."""
    key = _key(kind, record_id)
    seen = [pair for pair in session.get(SESSION_KEY) or () if pair[0] != key]
    digests = {
        field.name: _digest(shown_value(field))
        for field in form
        if field.type not in NOT_VALUES and field.name not in NOT_VALUE_NAMES
    }
    session[SESSION_KEY] = (seen + [[key, digests]])[-KEEP:]


def _seen(kind: str, record_id: int) -> dict:
    key = _key(kind, record_id)
    return next((d for k, d in session.get(SESSION_KEY) or () if k == key), {})


def take_over(form, saved, kind: str, record_id: int) -> list[str]:
    """After a conflict: each field of ``form`` the user left as it was shown takes its value
    from ``saved`` (the same form filled from the record as saved now). Returns the labels
    of the fields taken over, and remembers the merged form as the new starting point."""
    seen = _seen(kind, record_id)
    taken = []
    for field in form:
        if field.type in NOT_VALUES or field.name in NOT_VALUE_NAMES:
            continue
        if field.name not in saved or field.name not in seen:
            continue
        theirs = saved[field.name]
        mine = shown_value(field)
        if mine != shown_value(theirs) and _digest(mine) == seen[field.name]:
            field.raw_data = None
            field.process(None, theirs.data)
            taken.append(str(field.label.text))
    remember(form, kind, record_id)
    return taken
