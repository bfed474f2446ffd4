"""Delivery by e-mail through a real SMTP server in-process (aiosmtpd)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.notices import worker
from app.notices.models import Notice
from tests.notices.conftest import AFTER_HOLD, at, save


@pytest.fixture
def moved(contact_person, make_performance, make_user):
    """A performance with a Chinese and an English reader, moved; the booking notices of
    its creation are cleared so that only the move's remain."""
    zh = contact_person(email="zh@example.cn")
    en = contact_person(email="en@example.cn")
    make_user("participant", person_id=en.id, language="en")
    silent = contact_person(email="no@example.cn", contact=False)
    performance = make_performance(
        people=[(zh, "performer"), (en, "performer"), (silent, "caregiver")]
    )
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    save(performance, starts_at=at(4, 9), ends_at=at(4, 11))
    return performance


def statuses():
    return [
        (n.address, n.status.value, n.attempts)
        for n in db.session.scalars(sa.select(Notice).order_by(Notice.address))
    ]


def test_a_moved_performance_reaches_each_consenting_person_once_in_their_language(
    smtp, moved, frozen_clock
):
    assert worker.run_once() == {}  # held for ten minutes: nothing due yet
    assert smtp.inbox.messages == []
    frozen_clock.set(AFTER_HOLD)
    assert worker.run_once() == {"sent": 2}
    assert sorted(m["To"] for m in smtp.inbox.messages) == ["en@example.cn", "zh@example.cn"]
    (en,) = smtp.inbox.to("en@example.cn")
    assert en["Subject"] == "Changed: Spring tour"
    assert en["From"] == "notices@ronghe.example.cn"
    text = smtp.inbox.text(en)
    assert "The time or place has changed." in text
    assert "When: 2026-12-04 09:00–11:00" in text
    assert f"http://localhost/performances/{moved.id}" in smtp.inbox.html(en)
    (zh,) = smtp.inbox.to("zh@example.cn")
    assert zh["Subject"] == "变更：Spring tour"
    assert "时间：2026-12-04 09:00–11:00" in smtp.inbox.text(zh)
    # Message-ID from the idempotency key.
    keys = dict(db.session.execute(sa.select(Notice.address, Notice.idempotency_key)).all())
    assert en["Message-ID"] == f"<notice-{keys['en@example.cn']}@ronghe.example.cn>"
    assert statuses() == [("en@example.cn", "sent", 1), ("zh@example.cn", "sent", 1)]
    # Nothing is sent twice.
    assert worker.run_once() == {}
    assert len(smtp.inbox.messages) == 2


def test_smtp_down_for_a_while_delivers_later(smtp, moved, frozen_clock):
    smtp.stop()
    frozen_clock.set(AFTER_HOLD)
    assert worker.run_once() == {"retry": 2}
    assert statuses() == [("en@example.cn", "queued", 1), ("zh@example.cn", "queued", 1)]
    error = db.session.scalar(sa.select(Notice.error).limit(1))
    assert error.startswith("SMTP: ConnectionRefusedError")
    assert worker.run_once() == {}  # backing off (60 s)
    smtp.start()
    frozen_clock.set(AFTER_HOLD + timedelta(seconds=61))
    assert worker.run_once() == {"sent": 2}
    assert len(smtp.inbox.messages) == 2
    assert statuses() == [("en@example.cn", "sent", 2), ("zh@example.cn", "sent", 2)]


def test_the_last_failed_try_marks_the_notice_failed(app, smtp, moved, frozen_clock):
    smtp.stop()
    app.config["NOTICES_MAX_ATTEMPTS"] = 3
    try:
        now = AFTER_HOLD
        for expected in ({"retry": 2}, {"retry": 2}, {"failed": 2}):
            frozen_clock.set(now)
            assert worker.run_once() == expected
            now += timedelta(hours=1)
    finally:
        app.config["NOTICES_MAX_ATTEMPTS"] = 6
    assert statuses() == [("en@example.cn", "failed", 3), ("zh@example.cn", "failed", 3)]


def test_a_worker_killed_between_send_and_mark_resends_the_same_message(
    smtp, moved, frozen_clock, monkeypatch
):
    """The mark never commits: the row is still queued, and the next worker sends it again
    with the same Message-ID, which a mail client or mailbox keeps once."""
    frozen_clock.set(AFTER_HOLD)

    class Killed(BaseException):
        pass

    def killed(notice, provider_id):
        raise Killed

    with monkeypatch.context() as m:
        m.setattr(worker, "mark_sent", killed)
        with pytest.raises(Killed):
            worker.run_once()
    db.session.rollback()  # the process is gone: its transaction with it
    assert statuses() == [("en@example.cn", "queued", 0), ("zh@example.cn", "queued", 0)]
    first = smtp.inbox.messages[0]
    assert worker.run_once() == {"sent": 2}
    copies = smtp.inbox.to(first["To"])
    assert len(copies) == 2
    assert copies[0]["Message-ID"] == copies[1]["Message-ID"]
    assert len({m["Message-ID"] for m in smtp.inbox.messages}) == 2  # two notices, not three


def test_without_a_mail_server_notices_wait_in_the_outbox(moved, frozen_clock):
    frozen_clock.set(AFTER_HOLD)
    assert worker.run_once() == {}
    assert statuses() == [("en@example.cn", "queued", 0), ("zh@example.cn", "queued", 0)]


def test_bodies_are_cleared_after_ninety_days(smtp, moved, frozen_clock):
    frozen_clock.set(AFTER_HOLD)
    worker.run_once()
    assert worker.purge(AFTER_HOLD + timedelta(days=89)) == 0
    assert worker.purge(AFTER_HOLD + timedelta(days=91)) == 2
    rows = db.session.scalars(sa.select(Notice)).all()
    assert {(n.body_text, n.body_html, n.status.value) for n in rows} == {("", "", "sent")}
