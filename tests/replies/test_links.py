"""Signed reply links: what reply_url gives, what read() accepts and refuses."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
from itsdangerous import URLSafeSerializer

from app.replies import links

START = datetime(2026, 12, 5, 6, 30, tzinfo=UTC)


def _token(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[1]


def test_reply_url_is_absolute_and_round_trips(app):
    with app.test_request_context():
        url = links.reply_url(42, "session", 7, START)
        assert re.fullmatch(r"https?://[^/]+/reply/[A-Za-z0-9_.-]+", url)
        link = links.read(_token(url))
    assert link == links.ReplyLink(42, "session", 7, START)


def test_occurrence_start_is_kept_in_utc_whatever_zone_it_is_given_in(app):
    beijing = START.astimezone(timezone(timedelta(hours=8)))
    with app.test_request_context():
        link = links.read(_token(links.reply_url(1, "performance", 3, beijing)))
    assert link.occurrence_start == START
    assert link.occurrence_start.tzinfo == UTC


def test_each_kind_is_accepted_and_an_unknown_kind_or_naive_start_refused(app):
    with app.test_request_context():
        for kind in ("performance", "event", "session"):
            assert links.read(links.sign(1, kind, 2, START)).subject_kind == kind
        with pytest.raises(ValueError):
            links.sign(1, "home", 2, START)
        with pytest.raises(ValueError):
            links.sign(1, "event", 2, START.replace(tzinfo=None))


@pytest.mark.parametrize("change", ["flip_signature", "flip_payload", "truncate", "garbage"])
def test_tampered_tokens_are_refused(app, change):
    with app.test_request_context():
        token = links.sign(42, "event", 7, START)
        if change == "flip_signature":
            bad = token[:-1] + ("A" if token[-1] != "A" else "B")
        elif change == "flip_payload":
            bad = ("B" if token[0] != "B" else "C") + token[1:]
        elif change == "truncate":
            bad = token[: len(token) // 2]
        else:
            bad = "not-a-token"
        with pytest.raises(links.BadLink):
            links.read(bad)


def test_a_token_signed_for_another_person_cannot_be_made_by_editing(app):
    """Changing the person id in the payload breaks the signature."""
    with app.test_request_context():
        token = links.sign(42, "event", 7, START)
        forged = URLSafeSerializer("another-secret-key", salt=links.SALT).dumps(
            [43, "event", 7, "20261205T063000Z"]
        )
        with pytest.raises(links.BadLink):
            links.read(forged)
        assert links.read(token).person_id == 42


def test_another_salt_is_refused(app):
    with app.test_request_context():
        other = URLSafeSerializer(app.config["SECRET_KEY"], salt="another.purpose").dumps(
            [42, "event", 7, "20261205T063000Z"]
        )
        with pytest.raises(links.BadLink):
            links.read(other)


def test_a_well_signed_but_malformed_payload_is_refused(app):
    with app.test_request_context():
        serializer = URLSafeSerializer(app.config["SECRET_KEY"], salt=links.SALT)
        for payload in (
            [42, "event", 7],
            ["42", "event", 7, "20261205T063000Z"],
            [42, "home", 7, "20261205T063000Z"],
            [42, "event", 7, "yesterday"],
            {"p": 42},
        ):
            with pytest.raises(links.BadLink):
                links.read(serializer.dumps(payload))
