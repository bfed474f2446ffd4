"""Notices tests: a real SMTP server in-process (aiosmtpd), people who consented to be
contacted, and the performance builders of tests/performances."""

from __future__ import annotations

import email
import email.policy
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from app.extensions import db
from tests.athletes.conftest import make_athlete, sports  # noqa: F401
from tests.competitions.conftest import enter, make_competition, make_event  # noqa: F401
from tests.conftest import SUITE_NOW
from tests.homes.conftest import add_members, make_activity, make_home  # noqa: F401
from tests.performances.conftest import (  # noqa: F401  (fixtures)
    at,
    make_performance,
    make_programme,
    organiser,
)

AFTER_HOLD = SUITE_NOW + timedelta(minutes=11)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """What the SMTP server received: parsed messages, in order."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]

    @staticmethod
    def text(message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @staticmethod
    def html(message) -> str:
        return message.get_body(preferencelist=("html",)).get_content()


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(app):
    """A running SMTP server the app is configured to send to."""
    server = SmtpServer()
    server.start()
    saved = {k: app.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_DEFAULT_SENDER")}
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=server.port,
        MAIL_DEFAULT_SENDER="notices@ronghe.example.cn",
    )
    yield server
    server.stop()
    app.config.update(saved)


@pytest.fixture
def contact_person(make_person):
    """``contact_person(email=…, **person fields)``: a person with an e-mail address and an
    active consent to be contacted about changes (``contact=False`` for none)."""
    from app.people import services

    def make(contact=True, **overrides):
        overrides.setdefault("email", f"p{id(overrides)}@example.cn")
        person = make_person(**overrides)
        if contact:
            minor = person.is_minor()
            services.record_consent(
                person,
                kind="contact",
                given_on=SUITE_NOW.date() - timedelta(days=1),
                given_by="guardian" if minor else "self",
            )
            db.session.commit()
        return person

    return make


def performance_data(performance, **changes) -> dict:
    """The service's data for ``performance`` as saved, with ``changes``."""
    data = {
        "title": performance.title,
        "programme_id": performance.programme_id,
        "troupe_id": performance.troupe_id,
        "setting": performance.setting.value,
        "venue_id": performance.venue_id,
        "starts_at": performance.starts_at,
        "ends_at": performance.ends_at,
        "status": performance.status.value,
        "is_public": performance.is_public,
        "needs": [],
        "people": [
            {"person_id": p.person_id, "role": p.role.value, "uses_wheelchair": False}
            for p in performance.people
        ],
    }
    data.update(changes)
    return data


def save(performance, **changes):
    from app.performances import services

    services.save_performance(
        performance, performance_data(performance, **changes), version=performance.version,
        override_reason="test",
    )  # fmt: skip
    db.session.commit()
