"""Delivery: claim a due notice, send it, mark it — one row per short transaction.

On PostgreSQL the claim is ``SELECT … FOR UPDATE SKIP LOCKED``, so several workers can run
and each notice is taken by one of them; the row stays locked while it is sent, and the mark
(sent, or the error and the next try) commits with it. A worker killed between the send and
the commit leaves the row queued and unchanged: the next worker sends it again with the same
idempotency key (the same e-mail Message-ID, the same SMS OutId). On SQLite the claim is a
plain select: run one worker.

A provider error is retried with exponential backoff (NOTICES_RETRY_SECONDS × 2^(n-1), at
most six hours); after NOTICES_MAX_ATTEMPTS tries the notice is marked failed and shows at the
top of /admin/notices/. A refusal no retry can cure (channels.Refused: a WeChat user who has
not subscribed) marks it failed at once, with the reason. Notices of a channel that is not
configured stay queued. Before each send the recipient's contact consent is read again: a
notice to someone who no longer consents (or whose record is archived) is marked ``skipped``
with the reason, not sent."""

from __future__ import annotations

import logging
import time
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from app.core import clock
from app.extensions import db
from app.notices import channels, withhold
from app.notices.enums import NoticeStatus
from app.notices.models import Notice

log = logging.getLogger(__name__)

PURGE_DAYS = 90
MAX_BACKOFF = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    base = int(current_app.config.get("NOTICES_RETRY_SECONDS", 60))
    return min(timedelta(seconds=base * 2 ** (attempts - 1)), MAX_BACKOFF)


def claim(session, ready: list[str]):
    """The next due notice of a configured channel, locked for this transaction."""
    query = (
        sa.select(Notice)
        .where(
            Notice.status == NoticeStatus.QUEUED,
            Notice.next_try_at <= clock.now(),
            Notice.channel.in_(ready),
        )
        .order_by(Notice.next_try_at, Notice.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).first()


def mark_sent(notice, provider_id: str) -> None:
    notice.status = NoticeStatus.SENT
    notice.attempts += 1
    notice.sent_at = clock.now()
    notice.provider_message_id = provider_id[:200]
    notice.error = ""


def mark_error(notice, message: str, final: bool = False) -> None:
    """Count the try and keep the error; failed after the last try, or at once when the
    provider refused the message for good (``final``)."""
    notice.attempts += 1
    notice.error = message[:500]
    if final or notice.attempts >= int(current_app.config.get("NOTICES_MAX_ATTEMPTS", 6)):
        notice.status = NoticeStatus.FAILED
    else:
        notice.next_try_at = clock.now() + backoff(notice.attempts)


def run_once(limit: int | None = None) -> Counter:
    """Send every due notice (at most ``limit``); a tally of the outcomes."""
    session = db.session
    ready = channels.configured()
    tally: Counter = Counter()
    connections = channels.Connections()
    try:
        _run(session, ready, tally, limit, connections)
    finally:
        connections.drop()
    return tally


def _run(session, ready, tally, limit, connections) -> None:
    while ready and (limit is None or sum(tally.values()) < limit):
        notice = claim(session, ready)
        if notice is None:
            session.rollback()
            break
        # Consent may have been withdrawn (or the person archived) since it was queued.
        reason = withhold.recheck(session, notice)
        if reason is not None:
            notice.status = NoticeStatus.SKIPPED
            notice.skip_reason = reason
            tally["skipped"] += 1
            session.commit()
            continue
        try:
            provider_id = channels.send(notice, connections)
        except channels.ChannelError as error:
            log.warning("notice %s: %s", notice.id, error)
            mark_error(notice, str(error), final=error.permanent)
            tally[notice.status.value if notice.status == NoticeStatus.FAILED else "retry"] += 1
        else:
            mark_sent(notice, provider_id)
            tally["sent"] += 1
        session.commit()


def purge(now=None) -> int:
    """Clear the bodies of notices sent or failed more than PURGE_DAYS ago (the row stays:
    who was told what kind of change, when, by which channel, with which result)."""
    now = now or clock.now()
    cutoff = now - timedelta(days=PURGE_DAYS)
    result = db.session.execute(
        sa.update(Notice)
        .where(
            Notice.status != NoticeStatus.QUEUED,
            Notice.updated_at < cutoff,
            Notice.purged_at.is_(None),
        )
        .values(body_text="", body_html="", facts={}, purged_at=now)
    )
    db.session.commit()
    return result.rowcount or 0


def remind_if_due(now, last_day):
    """Queue tomorrow's reminders once a Beijing day, at or after NOTICES_REMIND_HOUR (18);
    the day it was done for (``last_day`` when nothing was due). Idempotent anyway: a worker
    restarted after 18:00 queues nothing a second time."""
    from app.notices.reminders import REMIND_HOUR, queue_reminders

    hour = int(current_app.config.get("NOTICES_REMIND_HOUR", REMIND_HOUR))
    local = clock.to_local(now)
    if local.hour < hour or local.date() == last_day:
        return last_day
    count = queue_reminders(db.session, now)
    db.session.commit()
    if count:
        log.info("notices: %d reminders queued", count)
    return local.date()


def work(poll_seconds: float = 5.0, stop=None) -> None:
    """The long-running worker: send what is due, purge once an hour, queue tomorrow's
    reminders once a day after NOTICES_REMIND_HOUR, sleep, repeat."""
    last_purge = None
    last_remind_day = None
    while stop is None or not stop():
        last_remind_day = remind_if_due(clock.now(), last_remind_day)
        tally = run_once()
        if tally:
            log.info("notices: %s", dict(tally))
        now = clock.now()
        if last_purge is None or now - last_purge > timedelta(hours=1):
            purge(now)
            last_purge = now
        if not tally:
            time.sleep(poll_seconds)
