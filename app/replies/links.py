"""Signed reply links: one link per person and occurrence, opened without signing in.

The token is ``itsdangerous``' URL-safe serializer keyed with the app's ``SECRET_KEY`` and a
salt for this purpose only (a token signed for another purpose, such as a future reminder
link, does not open a reply page). It carries the person, the subject kind and id and the
occurrence's original start (UTC, as ``YYYYMMDDTHHMMSSZ``), nothing else: no name. The
token does not carry its expiry; ``services.open_link`` refuses it once the occurrence has
ended, read from the subject at that moment, so a moved occurrence's link follows the move.

A person's link also lets them answer for their dependants (people whose guardian they are)
expected at the same occurrence, so one link reaches a caregiver's whole family."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "ronghe.replies.link"
SUBJECT_KINDS = ("performance", "event", "session")
_KEY_FORMAT = "%Y%m%dT%H%M%SZ"


class BadLink(Exception):
    """The token was altered, signed with another key or salt, or names nothing valid."""


@dataclass(frozen=True)
class ReplyLink:
    person_id: int
    subject_kind: str
    subject_id: int
    occurrence_start: datetime  # aware UTC


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def occurrence_key(start: datetime) -> str:
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("an occurrence start must be aware")
    return start.astimezone(UTC).strftime(_KEY_FORMAT)


def sign(person_id: int, subject_kind: str, subject_id: int, occurrence_start: datetime) -> str:
    """The token for one person and occurrence."""
    if subject_kind not in SUBJECT_KINDS:
        raise ValueError(f"unknown subject kind {subject_kind!r}")
    return _serializer().dumps(
        [int(person_id), subject_kind, int(subject_id), occurrence_key(occurrence_start)]
    )


def read(token: str) -> ReplyLink:
    """The link a token stands for; ``BadLink`` when it was tampered with or is malformed.
    (Whether it has expired is the service's question: it needs the subject.)"""
    try:
        payload = _serializer().loads(token)
    except BadSignature as error:
        raise BadLink("bad signature") from error
    try:
        person_id, kind, subject_id, key = payload
        start = datetime.strptime(key, _KEY_FORMAT).replace(tzinfo=UTC)
    except (TypeError, ValueError) as error:
        raise BadLink("malformed payload") from error
    if (
        kind not in SUBJECT_KINDS
        or not isinstance(person_id, int)
        or not isinstance(subject_id, int)
    ):
        raise BadLink("malformed payload")
    return ReplyLink(person_id, kind, subject_id, start)


def reply_url(
    person_id: int, subject_kind: str, subject_id: int, occurrence_start: datetime
) -> str:
    """The absolute URL of ``person_id``'s reply page for one occurrence of a subject.

    ``subject_kind`` is "performance" (a performance's id, its start), "event" (a competition
    event's id, its start) or "session" (a home activity's id and the occurrence's *original*
    start, as the rule produces it — the key of exceptions and attendance in app/homes, which
    stays the same when the occurrence is moved). Needs an app context (and a request context
    or ``SERVER_NAME`` for the host)."""
    token = sign(person_id, subject_kind, subject_id, occurrence_start)
    return url_for("replies.answer", token=token, _external=True)
