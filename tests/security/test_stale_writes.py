"""Adversary: a second session saves the same record between the version check and the write
(issue 13 item 10: StaleDataError was a 500). Every edit form of the site (found by walking
the pages: a form carrying a ``version``) is posted as shown while, at its first flush,
another connection raises the version of each record the save changes, as a racing second
session would. Never a 500."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.extensions import db, limiter
from tests.security.routes import parse_forms, routes

# Signing out, or the language switch, would end the walk; they change no versioned record.
CODE_LIKE = {"number", "code", "email", "phone", "username", "url", "token", "mark", "rank"}
SKIPPED = {"accounts.logout", "core.set_language"}


@pytest.fixture
def racing_session(app):
    """Armed, the next flush first commits a version bump of every versioned record it is
    about to change, through a connection of its own."""
    state = {"armed": False, "raced": 0}

    def bump(session, flush_context, instances):
        if not state["armed"]:
            return
        state["armed"] = False
        for obj in list(session.dirty):
            mapper = sa.inspect(obj).mapper
            column = mapper.version_id_col
            if column is None or not session.is_modified(obj):
                continue
            table = mapper.local_table
            keys = mapper.primary_key_from_instance(obj)
            where = [c == v for c, v in zip(mapper.primary_key, keys, strict=True)]
            with db.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
                conn.execute(sa.update(table).where(*where).values({column.name: column + 1}))
            state["raced"] += 1

    sa.event.listen(Session, "before_flush", bump)
    yield state
    sa.event.remove(Session, "before_flush", bump)


def test_every_edit_form_racing_another_save_is_not_a_500(app, make_user, seeded, racing_session):
    user = make_user("admin", username="race-admin")
    client = app.test_client()

    def sign_in():
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True

    sign_in()
    adapter = app.url_map.bind("localhost")
    broken, raced, seen = [], [], set()
    for _endpoint, _method, url in routes(app, "GET"):
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in parse_forms(response.get_data(as_text=True)):
            if form.method != "post" or not form.fields:
                continue
            action = form.action or url
            try:
                endpoint, _ = adapter.match(urlsplit(action).path, method="POST")
            except Exception:
                continue
            if endpoint in seen or endpoint in SKIPPED:
                continue
            seen.add(endpoint)
            data = {n: v for n, v in form.fields.items() if v}
            # A change, so that the save writes: the first free-text field with a value.
            for name, kind in form.kinds.items():
                value = (data.get(name) or [""])[0]
                if kind in ("text", "textarea") and value and not CODE_LIKE & set(name.split("_")):
                    data[name] = [value + " 2"]
                    break
            limiter.reset()
            sign_in()
            before = racing_session["raced"]
            racing_session["armed"] = True
            answer = client.post(action, data=data)
            racing_session["armed"] = False
            db.session.rollback()
            if racing_session["raced"] > before:
                raced.append(endpoint)
            if answer.status_code >= 500:
                broken.append(f"POST {action} (from {url}): {answer.status_code}")
    print("raced:", raced)
    assert not broken, "\n".join(broken)
    assert len(raced) >= 5, raced  # the race was run, not skipped
