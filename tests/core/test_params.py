"""Whole numbers from request data: never a 500, whatever is typed or put in a URL."""

from __future__ import annotations

import logging

import pytest

from app.core.params import MAX_ID, whole_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", 7),
        ("0", 0),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 20, None),
        ("9" * 5000, None),
        ("²", None),
        ("٣", None),
        ("-1", None),
        (" 7", None),
        ("", None),
        (None, None),
    ],
)
def test_whole_number(text, expected):
    assert whole_number(text) == expected


def test_bounds():
    assert whole_number("5", low=1, high=5) == 5
    assert whole_number("6", low=1, high=5) is None
    assert whole_number("0", low=1, high=5) is None


@pytest.mark.parametrize(
    "url",
    [
        "/venues/" + "9" * 20,
        "/people/" + "9" * 20,
        "/competitions/" + "9" * 20,
        "/performances/" + "9" * 20,
        "/homes/" + "9" * 20,
        "/calendar/competition/" + "9" * 20 + ".ics",
        "/venues/" + str(MAX_ID + 1),
    ],
)
def test_ids_beyond_an_integer_column_are_404(client, login_as, url):
    login_as("admin")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users/?page=" + "9" * 5000,
        "/admin/users/?page=²",
        "/api/v1/schedule?limit=" + "9" * 5000,
        "/api/v1/venues?town=" + "9" * 30,
        "/calendar/public.ics?alarm=" + "9" * 5000,
        "/calendar/public.ics?alarm=²",
    ],
)
def test_huge_or_odd_numbers_in_parameters_are_not_500(client, login_as, url):
    login_as("admin")
    assert client.get(url).status_code in (200, 400)


def test_unexpected_errors_log_the_route_not_the_path(app, client, caplog, monkeypatch, make_user):
    """A personal feed's path holds its token: a 500 there must not log it."""
    from app.calendars import routes as calendar_routes
    from app.calendars import tokens
    from app.extensions import db

    token = tokens.issue(make_user("participant").id)
    db.session.commit()

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(calendar_routes, "personal_keys", boom)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    with caplog.at_level(logging.ERROR):
        response = client.get(f"/calendar/u/{token}.ics")
    assert response.status_code == 500
    assert "Unhandled error on GET /calendar/u/<token>.ics" in caplog.text
    assert token not in caplog.text
