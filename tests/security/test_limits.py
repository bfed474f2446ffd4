"""Sign-in limits that hold behind a proxy, across addresses and when Redis is down
(issue 13 items 5, 6 and 15)."""

from __future__ import annotations

import logging

import pytest

from app import create_app
from app.extensions import db, limiter
from tests.conftest import DEFAULT_PASSWORD

WRONG = {"username": "coach1", "password": "nope-nope"}
RIGHT = {"username": "coach1", "password": DEFAULT_PASSWORD}


@pytest.fixture
def make_app(app):
    """Another app on the suite's database with some settings changed."""
    made = []

    def make(**settings):
        other = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "SERVER_NAME": "localhost",
                "BABEL_DEFAULT_LOCALE": "en",
                **settings,
            }
        )
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
    with app.app_context():
        limiter.init_app(app)  # the shared limiter object serves the suite's app again
        limiter.reset()


def from_address(app, address: str, *, forwarded: bool):
    client = app.test_client()
    if forwarded:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = address
        client.environ_base["REMOTE_ADDR"] = "10.9.9.9"  # the proxy
    else:
        client.environ_base["REMOTE_ADDR"] = address
    return client


def test_behind_a_proxy_each_client_has_its_own_limit(make_app, make_user):
    make_user("coach", username="coach1")
    proxied = make_app(RONGHE_PROXY_HOPS=1)
    first = from_address(proxied, "203.0.113.7", forwarded=True)
    for _ in range(5):
        assert first.post("/login", data=WRONG).status_code == 422
    assert first.post("/login", data=WRONG).status_code == 429
    # Another person behind the same proxy is not locked out by the first one's failures.
    second = from_address(proxied, "198.51.100.4", forwarded=True)
    assert second.post("/login", data=RIGHT).status_code == 303


def test_without_trusted_hops_a_forwarded_address_is_ignored(client, make_user):
    """A client cannot dodge the limit by inventing X-Forwarded-For."""
    make_user("coach", username="coach1")
    for number in range(5):
        client.environ_base["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{number}"
        assert client.post("/login", data=WRONG).status_code == 422
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.99"
    assert client.post("/login", data=WRONG).status_code == 429


def test_one_account_is_limited_whatever_the_address(app, make_user):
    make_user("coach", username="coach1")
    make_user("coach", username="coach2")
    for number in range(10):
        guesser = from_address(app, f"192.0.2.{number}", forwarded=False)
        assert guesser.post("/login", data=WRONG).status_code == 422
    eleventh = from_address(app, "192.0.2.200", forwarded=False)
    # The same account written differently is the same account.
    assert eleventh.post("/login", data={**WRONG, "username": " COACH1 "}).status_code == 429
    other_account = {"username": "coach2", "password": DEFAULT_PASSWORD}
    assert eleventh.post("/login", data=other_account).status_code == 303


def test_with_redis_down_sign_in_still_works_and_is_limited(make_app, make_user, caplog):
    make_user("coach", username="coach1")
    down = make_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")  # nothing listens there
    client = down.test_client()
    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            assert client.post("/login", data=WRONG).status_code == 422
        assert client.post("/login", data=WRONG).status_code == 429
        other = from_address(down, "192.0.2.8", forwarded=False)
        assert other.post("/login", data=RIGHT).status_code == 303
    assert any("fall" in record.getMessage().lower() for record in caplog.records), [
        record.getMessage() for record in caplog.records
    ]


def test_a_wrong_current_password_counts_like_a_failed_sign_in(client, login_as):
    login_as("coach", username="coach1")
    wrong = {
        "pw-current_password": "not-my-password",
        "pw-password": "lanterns drift upriver",
        "pw-password_confirm": "lanterns drift upriver",
    }
    for _ in range(5):
        assert client.post("/account", data=wrong).status_code == 422
    assert client.post("/account", data=wrong).status_code == 429
    # Changing the language is not a password check and is never limited.
    assert client.post("/account", data={"prefs-language": "en"}).status_code == 303
