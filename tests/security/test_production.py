"""Production configuration: refuses weak secrets and debug mode (read from the environment, as
a real deployment starts), and sets the cookie and transport flags."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import ProductionConfig
from tests.security.routes import csrf_token

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://ronghe.example.org"
STRONG = "k3J9x-a_strong-random-secret-of-sufficient-length-0123456789"
REDIS = "redis://127.0.0.1:6379/15"
FERNET = "7Xo0cQ0mW9qkq1q0H7u5h3c2yQ3b8e2rQnV0sF5tJ2M="
START = (
    "from app import create_app\n"
    "app = create_app('production')\n"
    "print(app.config['SESSION_COOKIE_SECURE'], app.config['SESSION_COOKIE_HTTPONLY'],"
    " app.config['SESSION_COOKIE_SAMESITE'], app.debug)\n"
)


def start_production(**env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "SECRET_KEY",
            "PERSONAL_DATA_KEY",
            "DATABASE_URL",
            "FLASK_DEBUG",
            "RONGHE_CONFIG",
            "RONGHE_BASE_URL",
            "RATELIMIT_STORAGE_URI",
            "PERSONAL_DATA_ENCRYPTION_KEYS",
        )
    }
    clean.update(
        {
            "DATABASE_URL": "sqlite://",
            "RONGHE_BASE_URL": SITE,
            "RATELIMIT_STORAGE_URI": REDIS,
            "PERSONAL_DATA_ENCRYPTION_KEYS": FERNET,
        }
    )
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", START],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PERSONAL_DATA_KEY": STRONG}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "changeme", "PERSONAL_DATA_KEY": STRONG}, "SECRET_KEY must be set"),
        (
            {"SECRET_KEY": "short-but-random-9f3k", "PERSONAL_DATA_KEY": STRONG},
            "SECRET_KEY must be set",
        ),
        ({"SECRET_KEY": STRONG, "PERSONAL_DATA_KEY": STRONG, "FLASK_DEBUG": "1"}, "Debug mode"),
        ({"SECRET_KEY": STRONG}, "PERSONAL_DATA_KEY must be set"),
        (
            {"SECRET_KEY": STRONG, "PERSONAL_DATA_KEY": STRONG, "RONGHE_BASE_URL": ""},
            "RONGHE_BASE_URL",
        ),
        (
            {"SECRET_KEY": STRONG, "PERSONAL_DATA_KEY": STRONG, "RONGHE_BASE_URL": "http://x.org"},
            "RONGHE_BASE_URL",
        ),
        (
            {"SECRET_KEY": STRONG, "PERSONAL_DATA_KEY": STRONG, "RATELIMIT_STORAGE_URI": ""},
            "RATELIMIT_STORAGE_URI must name a shared store",
        ),
        (
            {
                "SECRET_KEY": STRONG,
                "PERSONAL_DATA_KEY": STRONG,
                "RATELIMIT_STORAGE_URI": "memory://",
            },
            "RATELIMIT_STORAGE_URI must name a shared store",
        ),
        (
            {
                "SECRET_KEY": STRONG,
                "PERSONAL_DATA_KEY": STRONG,
                "PERSONAL_DATA_ENCRYPTION_KEYS": "",
            },
            "PERSONAL_DATA_ENCRYPTION_KEYS must hold one or more Fernet keys",
        ),
        (
            {
                "SECRET_KEY": STRONG,
                "PERSONAL_DATA_KEY": STRONG,
                "PERSONAL_DATA_ENCRYPTION_KEYS": "not-a-fernet-key",
            },
            "PERSONAL_DATA_ENCRYPTION_KEYS must hold one or more Fernet keys",
        ),
    ],
    ids=[
        "no-secret",
        "weak-secret",
        "short-secret",
        "debug",
        "no-personal-data-key",
        "no-base-url",
        "plain-http-base-url",
        "default-memory-rate-limits",
        "memory-rate-limits",
        "no-encryption-key",
        "bad-encryption-key",
    ],
)
def test_production_refuses_to_start(env, message):
    result = start_production(**env)
    assert result.returncode != 0
    assert message in result.stderr
    # The refusal names the problem, never the value it was given.
    for value in env.values():
        if value and value not in ("1", STRONG):
            assert value not in result.stderr


def test_production_starts_with_strong_settings():
    result = start_production(SECRET_KEY=STRONG, PERSONAL_DATA_KEY=STRONG + "-other")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "Lax", "False"]


@pytest.fixture
def production_app():
    from app import create_app
    from app.extensions import db

    class Production(ProductionConfig):
        SECRET_KEY = STRONG
        PERSONAL_DATA_KEY = STRONG + "-other"
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        RATELIMIT_STORAGE_URI = REDIS
        # Counters of this run only: CI runs the suite on SQLite and PostgreSQL at once, on one
        # Redis, and both sign the same user in from the same address.
        RATELIMIT_KEY_PREFIX = f"test-{os.getpid()}"
        PERSONAL_DATA_ENCRYPTION_KEYS = FERNET
        RONGHE_BASE_URL = SITE

    app = create_app(Production)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def test_production_cookies_and_headers(production_app):
    from app.accounts import services
    from app.extensions import db

    services.create_user(
        username="prod-admin",
        display_name="Admin",
        password="correct horse battery staple",
        roles=["admin"],
    )
    db.session.commit()
    client = production_app.test_client()
    login_page = client.get("/login", base_url="https://localhost")
    assert login_page.headers["Strict-Transport-Security"].startswith("max-age=")
    response = client.post(
        "/login",
        base_url="https://localhost",
        data={
            "csrf_token": csrf_token(login_page.get_data(as_text=True)),
            "username": "prod-admin",
            "password": "correct horse battery staple",
        },
    )
    assert response.status_code == 303
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1
    flags = {part.strip().lower() for part in cookies[0].split(";")[1:]}
    assert {"secure", "httponly", "samesite=lax"} <= flags


def test_production_posts_need_a_token(production_app):
    client = production_app.test_client()
    response = client.post("/logout", base_url="https://localhost")
    assert response.status_code == 400
