"""Shared fixtures: app, client, runner, login_as(role), factories, query counting, the frozen
clock and the certificate-number leak guard that watches every response and log record of the
suite.

The clock (``app.core.clock``) is frozen for the whole run at SUITE_NOW and set back to it at
the start of every test; it then ticks at the real pace, so instants saved one after the other
still differ. No test depends on the machine's date, hour or ``TZ``: a test that needs another
moment moves the clock with the ``frozen_clock`` fixture (``frozen_clock.set(instant)``) or
``clock.freeze(instant)``.

The suite builds its own schema: on PostgreSQL it drops and recreates the ``public`` schema at
the start and the end, so tables left by an earlier run never matter.

The demo data (``app.demo.load_demo``) is loaded once per run and copied into the database for
each test that asks for the ``demo`` fixture (tests/demo_snapshot.py); tests of the loader
itself (tests/demo/) call it directly."""

from __future__ import annotations

import logging
import os
import re
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import request_finished, request_started

from app import create_app
from app.core import clock
from app.extensions import db, limiter
from tests import demo_snapshot

# The browser fixtures and the rule for when browser tests run, for tests/browser/ and
# tests/journeys/ alike.
pytest_plugins = ["tests.browser_fixtures"]

# Monday 30 November 2026, 10:00 in Beijing: the suite's "now".
SUITE_NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)

# 17 digits and a check character, optionally followed by category and grade digits: an
# unmasked resident ID or certificate number.
UNMASKED_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?:[1-7][1-4])?(?![0-9A-Za-z])")
# Endpoints whose purpose is to give an admin the full number (audit-logged): the certificate
# page and the export of everything held about a person (a ZIP).
LEAK_ALLOWED_ENDPOINTS = {"people.certificate", "privacy.export"}
DEFAULT_PASSWORD = "correct horse battery staple"


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        from config import _database_url

        return _database_url()
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


def reset_schema(engine: sa.Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
            demo_snapshot.drop_schema(conn)
    else:
        db.metadata.drop_all(engine)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def stamp_head() -> None:
    """Mark the suite's schema (built from the models) as at the migrations' head, which
    tests/core/test_migrations.py proves it is: /readyz then answers as in production."""
    from flask_migrate import stamp

    from app.core.health import MIGRATIONS

    stamp(directory=str(MIGRATIONS), revision="head")


class LeakGuard:
    def __init__(self):
        self.leaks: list[str] = []

    def check_text(self, where: str, text: str) -> None:
        match = UNMASKED_ID.search(text or "")
        if match:
            self.leaks.append(f"{where}: …{text[max(0, match.start() - 40) : match.end() + 10]}…")


# Every person's name the suite has written (ORM inserts and updates, the demo's load included):
# the session cookie is readable by the browser (signed, not encrypted), so no name may travel
# in it, through a flash message or anything else (issue 13 item 13). Collected by mapper
# events, so the check after each POST costs no query.
KNOWN_NAMES: set[str] = set()


def _note_person_name(mapper, connection, target):
    name = (getattr(target, "name", None) or "").strip()
    if len(name) >= 2:
        KNOWN_NAMES.add(name)


def names_in_session_cookie(app, response) -> list[str]:
    """The known person names found in the session cookie a response sets (decoded)."""
    import json

    cookie_name = app.config["SESSION_COOKIE_NAME"]
    serializer = app.session_interface.get_signing_serializer(app)
    found = []
    for header in response.headers.getlist("Set-Cookie"):
        name, _sep, rest = header.partition("=")
        if name.strip() != cookie_name:
            continue
        value = rest.split(";", 1)[0].strip().strip('"')
        if not value:
            continue
        try:
            data = serializer.loads(value)
        except Exception:  # not ours to judge here; Flask refuses it on the next request
            continue
        text = json.dumps(data, ensure_ascii=False, default=str)
        found.extend(n for n in KNOWN_NAMES if n in text)
    return found


class LeakLogHandler(logging.Handler):
    def __init__(self, guard: LeakGuard):
        super().__init__(level=logging.DEBUG)
        self.guard = guard

    def emit(self, record):
        try:
            self.guard.check_text(f"log {record.name}", record.getMessage())
        except Exception:  # a broken log call must not hide the test's own result
            pass


@pytest.fixture(scope="session", autouse=True)
def _suite_clock():
    """The clock of the whole run, session-scoped fixtures (the browser crawl's demo) included."""
    with clock.freeze(SUITE_NOW, tick=True) as handle:
        yield handle


@pytest.fixture(autouse=True)
def frozen_clock(_suite_clock):
    """Each test starts at SUITE_NOW; ``frozen_clock.set(instant)`` moves the clock."""
    _suite_clock.set(SUITE_NOW)
    yield _suite_clock
    _suite_clock.set(SUITE_NOW)


@pytest.fixture(scope="session")
def leak_guard():
    guard = LeakGuard()
    handler = LeakLogHandler(guard)
    logging.getLogger().addHandler(handler)
    yield guard
    logging.getLogger().removeHandler(handler)


@pytest.fixture(scope="session")
def app(tmp_path_factory, leak_guard):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_path_factory),
            "SERVER_NAME": "localhost",
            # Tests assert the English source text unless they ask for Chinese; the product's
            # default (zh_Hans) is tested on an app of its own in tests/core/test_i18n.py.
            "BABEL_DEFAULT_LOCALE": "en",
        }
    )

    def inspect_response(sender, response, **extra):
        from flask import request

        if request.endpoint in LEAK_ALLOWED_ENDPOINTS:
            return
        where = f"{request.method} {request.path}"
        if not response.is_streamed and response.direct_passthrough is False:
            leak_guard.check_text(f"{where} body", response.get_data(as_text=True))
        for name, value in response.headers.items():
            leak_guard.check_text(f"{where} header {name}", value)

    request_finished.connect(inspect_response, app)

    def inspect_session_cookie(sender, response, **extra):
        from flask import request

        if request.method != "POST":
            return
        names = names_in_session_cookie(app, response)
        if names:
            leak_guard.leaks.append(
                f"{request.method} {request.path}: person names in the session cookie: "
                + ", ".join(sorted(names))
            )

    request_finished.connect(inspect_session_cookie, app)
    from app.people.models import Person

    for event in ("after_insert", "after_update"):
        if not sa.event.contains(Person, event, _note_person_name):
            sa.event.listen(Person, event, _note_person_name)

    def fresh_identity_map(sender, **extra):
        # Test-client requests reuse the test's app context and so its session; expiring
        # everything makes each request load what it reads, as in production (one session per
        # request), so query counts and freshly saved values are real.
        db.session.expire_all()

    request_started.connect(fresh_identity_map, app)

    def fresh_request_globals(sender, **extra):
        # Tests hold one app context open and every request shares it, so `g` would carry
        # Flask-Login's user and Flask-Babel's locale from one request into the next.
        from flask import g

        for name in list(vars(g)):
            delattr(g, name)

    request_started.connect(fresh_request_globals, app)
    with app.app_context():
        engine = db.engine
        reset_schema(engine)
        db.metadata.create_all(engine)
        stamp_head()
    yield app
    with app.app_context():
        db.session.remove()
        reset_schema(db.engine)
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_state(request, leak_guard):
    """Every test starts with empty tables and fresh rate limits, and ends without leaks."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    before = len(leak_guard.leaks)
    with app.app_context():
        yield
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        limiter.reset()
    new = leak_guard.leaks[before:]
    assert not new, "Unmasked ID/certificate number or a name leaked:\n" + "\n".join(new)


@pytest.fixture(scope="session")
def _demo_snapshot(app, _suite_clock, tmp_path_factory):
    """The run's one load of the demo, made when a test first asks for ``demo``."""

    def load():
        from app.demo import load_demo

        _suite_clock.set(SUITE_NOW)
        return load_demo()

    with app.app_context():
        snapshot = demo_snapshot.DemoSnapshot.build(
            db.engine,
            db.metadata.sorted_tables,
            load,
            tmp_path_factory.mktemp("demo") / "demo.sqlite3",
        )
        db.session.remove()
    return snapshot


@pytest.fixture
def demo(app, _demo_snapshot):
    """The demo data, as ``load_demo()`` leaves it (rows numbered from 1), copied in from the
    run's one load; answers what ``load_demo`` answers: one (role, username, password) per
    role."""
    _demo_snapshot.restore()
    db.session.expire_all()
    return list(_demo_snapshot.logins)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    from app.accounts import services

    counter = iter(range(1, 10_000))

    def make(*roles, username=None, password=DEFAULT_PASSWORD, **overrides):
        roles = roles or ("participant",)
        # English, like the test app's default; pass language="zh_Hans" to test Chinese.
        overrides.setdefault("language", "en")
        user = services.create_user(
            username=username or f"{roles[0]}{next(counter)}",
            display_name=overrides.pop("display_name", None) or f"Test {roles[0]}",
            password=password,
            roles=roles,
            **overrides,
        )
        db.session.commit()
        return user

    return make


@pytest.fixture
def login_as(client, make_user):
    """``login_as("coach")`` creates a user with that role and signs the test client in as it.
    Pass several roles, or an existing user."""

    def login(*roles, user=None, **overrides):
        if user is None:
            user = make_user(*roles, **overrides)
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        return user

    return login


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as q: …; assert q.count == 3``."""

    @contextmanager
    def counting():
        counter = QueryCounter()

        def before(conn, cursor, statement, parameters, context, executemany):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "PRAGMA")):
                counter.statements.append(statement)

        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counting


@pytest.fixture
def make_venue(app):
    """``make_venue(name=…, features=[…])``: a committed venue through the service (the
    district's towns are created when missing; ``town`` picks one by its Chinese name)."""
    from app.core.reference import ensure_towns
    from app.venues import services

    counter = iter(range(1, 10_000))

    def make(**overrides):
        towns = {t.name: t for t in ensure_towns(db.session)}
        town = towns[overrides.pop("town", "锦屏街道")]
        values = {
            "name": f"测试场馆{next(counter)}",
            "kind": "sports_venue",
            "town_id": town.id,
            "address": "测试路 1 号",
            "capacity": 100,
            "features": (),
        }
        values.update(overrides)
        venue = services.create_venue(**values)
        db.session.commit()
        return venue

    return make


_NO_DEFAULT = object()


@pytest.fixture
def make_person(app):
    """``make_person(**overrides)``: a committed Person made through the people services,
    with a collection consent (the guardian's for an under-14) and, when the person has a
    disability category and grade, a valid fictional certificate number. Override any person
    field; pass ``certificate_number=None`` for none, ``consent=None`` for no consent (then
    leave the sensitive fields out: ``disability_category=None, disability_grade=None``)."""
    from datetime import date, timedelta

    from app.core import clock
    from app.core.reference import ensure_towns
    from app.people import certificate, services
    from app.people.models import age_on

    counter = iter(range(1, 10_000))

    def make(**overrides):
        n = next(counter)
        towns = ensure_towns(db.session)
        data = {
            "name": f"测试人员{n}",
            "gender": "male" if n % 2 else "female",
            "birth_on": date(1990, 1, 1) + timedelta(days=n),
            "town_id": towns[0].id,
            "disability_category": "physical",
            "disability_grade": "2",
        }
        number = overrides.pop("certificate_number", _NO_DEFAULT)
        consent = overrides.pop("consent", _NO_DEFAULT)
        data.update(overrides)
        minor = age_on(data["birth_on"], clock.today()) < 14
        if minor and not data.get("guardian_name"):
            data["guardian_name"] = f"测试监护人{n}"
        if number is _NO_DEFAULT:
            number = (
                certificate.generate(
                    data["birth_on"],
                    data["disability_category"],
                    data["disability_grade"],
                    gender=data["gender"],
                    sequence=n % 100,
                )
                if data.get("disability_category") and data.get("disability_grade")
                else None
            )
        if consent is _NO_DEFAULT:
            consent = {
                "given_on": max(data["birth_on"], clock.today() - timedelta(days=365)),
                "given_by": "guardian" if minor else "self",
            }
        person = services.create_person(data, certificate_number=number, consent=consent)
        db.session.commit()
        return person

    return make
