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


# --- period() ------------------------------------------------------------------------------

from datetime import date, timedelta  # noqa: E402

from werkzeug.datastructures import MultiDict  # noqa: E402

from app.core.params import (  # noqa: E402
    RECORDS_BEGIN,
    Period,
    parse_day,
    period,
    statistics_period,
)

D = date


def problems(found: Period) -> list[tuple[str, str, str]]:
    return [(p.name, str(p.message), p.detail) for p in found.problems]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-12-03", D(2026, 12, 3)),
        ("2026-12-3", None),
        ("2026-W49-4", None),
        ("20261203", None),
        ("2026-02-30", None),
        ("２０２６-１２-０３", None),  # full width only after a page's normalisation
        ("", None),
    ],
)
def test_parse_day(text, day):
    assert parse_day(text) == day


def test_defaults_fill_what_is_not_given(app):
    with app.test_request_context():
        found = period(MultiDict(), first=D(2017, 1, 1), last=D(2021, 12, 31))
    assert (found.first, found.last, found.problems) == (D(2017, 1, 1), D(2021, 12, 31), ())
    assert found.args == {"from": "2017-01-01", "to": "2021-12-31"}
    assert (found.shown("from"), found.shown("to")) == ("2017-01-01", "2021-12-31")


def test_a_page_trims_normalises_and_takes_blank_as_not_given(app):
    args = MultiDict({"from": " ２０１９－０５－０１ ", "to": ""})
    with app.test_request_context():
        found = period(args, first=D(2000, 1, 1), last=D(2026, 11, 30))
    assert (found.first, found.last, found.problems) == (D(2019, 5, 1), D(2026, 11, 30), ())
    assert found.shown("from") == " ２０１９－０５－０１ "  # the input shows what was typed


def test_open_ends_stay_open(app):
    with app.test_request_context():
        found = period(MultiDict({"to": "2027-01-31"}))
    assert (found.first, found.last) == (None, D(2027, 1, 31))
    assert found.args == {"to": "2027-01-31"} and found.shown("from") == ""


def test_every_problem_is_reported_in_field_order_and_the_defaults_are_used(app):
    args = MultiDict({"from": "2026-02-30", "to": "soon"})
    with app.test_request_context(headers={"Accept-Language": "en"}):
        found = period(args, first=D(2000, 1, 1), last=D(2026, 11, 30))
        assert problems(found) == [
            (
                "from",
                "Write the date as year-month-day, for example 2026-12-03.",
                "'from' must be a date as YYYY-MM-DD.",
            ),
            (
                "to",
                "Write the date as year-month-day, for example 2026-12-03.",
                "'to' must be a date as YYYY-MM-DD.",
            ),
        ]
    assert (found.first, found.last) == (D(2000, 1, 1), D(2026, 11, 30))
    assert found.shown("from") == "2026-02-30"


def test_bounds_order_and_span(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        early = period(MultiDict({"from": "1899-12-31"}))
        assert problems(early) == [
            (
                "from",
                "Choose a date from 1900 to 2100.",
                "'from' must be a date from 1900-01-01 to 2100-12-31.",
            )
        ]
        order = period(MultiDict({"from": "2026-12-02", "to": "2026-12-01"}))
        assert problems(order) == [
            (
                "to",
                "The last day must be on or after the first day.",
                "'to' must be on or after 'from'.",
            )
        ]
        assert period(MultiDict({"from": "2026-12-01", "to": "2026-12-01"})).problems == ()
        span = MultiDict({"from": "2026-01-01", "to": "2027-01-01"})
        assert problems(period(span, max_days=365)) == [
            (
                "to",
                "The last day must be less than 365 days after the first day.",
                "'to' must be less than 365 days after 'from'.",
            )
        ]
        assert period(MultiDict({"from": "2026-01-01", "to": "2026-12-31"}), max_days=365).ok


def test_in_chinese(app):
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        found = period(MultiDict({"from": "x", "to": "3000-01-01"}))
        assert [str(p.message) for p in found.problems] == [
            "请按“年-月-日”填写日期，例如 2026-12-03。",
            "请选择1900年至2100年之间的日期。",
        ]


def test_strict_for_the_api(app):
    with app.test_request_context():
        blank = period(MultiDict({"from": ""}), strict=True)
        assert problems(blank)[0][2] == "'from' must be a date as YYYY-MM-DD."
        spaced = period(MultiDict({"from": " 2026-01-01"}), strict=True)
        assert spaced.problems and spaced.problems[0].name == "from"
        wide = period(
            MultiDict({"from": "0001-01-01", "to": "9999-12-31"}),
            earliest=D.min,
            latest=D.max,
            strict=True,
        )
        assert (wide.first, wide.last, wide.problems) == (D.min, D.max, ())


def test_a_default_last_day_may_follow_the_first(app):
    with app.test_request_context():
        found = period(
            MultiDict({"from": "2026-12-01"}),
            first=D(2026, 11, 30),
            last=lambda first: first + timedelta(days=30),
        )
    assert (found.first, found.last) == (D(2026, 12, 1), D(2026, 12, 31))


def test_statistics_pages_show_everything_up_to_today(app):
    with app.test_request_context():
        found = statistics_period(MultiDict())
    assert (found.first, found.last) == (RECORDS_BEGIN, D(2026, 11, 30))
