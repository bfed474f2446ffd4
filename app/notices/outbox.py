"""Writing the outbox: one notice per recipient and channel, coalesced and timed.

- **Consent**: only people with an active "to be contacted about changes" consent (given by
  the guardian for an under-14, Person.has_contact_consent) get a row; nobody else.
- **Channels**: e-mail when the register holds an address (queued even with no mail server
  configured: it waits in the outbox and shows in /admin/notices/); SMS when the register holds
  a phone number and SMS is configured; WeChat when the register holds the person's Official
  Account openid and WeChat is configured; the WeCom staff group (one row per change, no
  person) when its webhook is configured. A person is told on each of their channels (one
  row per channel), not on one chosen among them.
- **Coalescing**: a queued, never-tried row with the same key created in the last
  COALESCE_MINUTES is updated to the latest state (its first "before" kept, dependants merged)
  instead of adding a row. One query finds them for the whole subject.
- **Timing**: a new row waits NOTICES_HOLD_MINUTES (default 10, so that changes in quick
  succession make one notice); between 22:00 and 07:00 Beijing time it waits until 07:00,
  unless the subject is today or tomorrow."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from app.core import clock
from app.notices import channels, compose, wechat
from app.notices.enums import Change, Channel, NoticeStatus
from app.notices.models import Notice
from app.notices.recipients import affected, load_people, load_subject
from app.venues.models import Venue

COALESCE_MINUTES = 10
QUIET_FROM, QUIET_UNTIL = time(22), time(7)


def person_channels(person) -> list[tuple[Channel, str]]:
    """The channels a person with contact consent is reached on."""
    out = []
    if person.email:
        out.append((Channel.EMAIL, person.email))
    if person.phone and channels.sms_configured():
        out.append((Channel.SMS, person.phone))
    if person.wechat_openid and channels.wechat_configured():
        out.append((Channel.WECHAT, person.wechat_openid))
    return out


def first_try_at(now: datetime, starts_at: datetime | None, *, soon_goes=True) -> datetime:
    """``now`` plus the hold, moved to 07:00 when it falls in quiet hours, unless the
    subject is today or tomorrow (Beijing days; ``soon_goes=False``: even then, for a
    reminder, which is never urgent)."""
    hold = int(current_app.config.get("NOTICES_HOLD_MINUTES", COALESCE_MINUTES))
    at = now + timedelta(minutes=hold)
    local = clock.to_local(at)
    if QUIET_FROM > local.time() >= QUIET_UNTIL:
        return at
    today = clock.local_date(now)
    soon = starts_at is not None and clock.local_date(starts_at) in (
        today,
        today + timedelta(days=1),
    )
    if soon and soon_goes:
        return at
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return clock.local_instant(day, QUIET_UNTIL)


def _key(kind, subject_id, occurrence, person_id, channel) -> str:
    occ = occurrence.strftime("%Y%m%dT%H%M") if occurrence else "series"
    return f"{kind}:{subject_id}:{occ}:{person_id or 'staff'}:{channel.value}"


def _merge_change(old: Change, new: Change) -> Change:
    # Someone just booked is told of the booking as it now stands, not of a "move".
    return Change.BOOKED if old == Change.BOOKED and new == Change.MOVED else new


def queue(session, kind, subject_id, occurrence, change: Change, old=None, only=None) -> int:
    """Queue (or coalesce) the notices of one change; the number of rows written or
    updated. Runs inside the change's transaction (app/notices/hooks.py)."""
    subject = load_subject(
        session, kind, subject_id, occurrence, current_app.config.get("NOTICES_CONTACT", "")
    )
    if subject is None:
        return 0
    told = affected(session, kind, subject_id, only)
    people, languages = load_people(session, set(told) | {i for v in told.values() for i in v})
    now = clock.now()
    cutoff = now - timedelta(minutes=COALESCE_MINUTES)
    pending = {
        n.coalesce_key: n
        for n in session.scalars(
            sa.select(Notice).where(
                Notice.subject_kind == kind,
                Notice.subject_id == subject_id,
                Notice.status == NoticeStatus.QUEUED,
                Notice.attempts == 0,
                Notice.created_at >= cutoff,
            )
        )
    }
    try_at = first_try_at(now, subject.starts_at)
    old = dict(old or {})
    if old.get("venue_id"):
        venue = session.get(Venue, old["venue_id"])
        old["venue"] = venue.name if venue is not None else ""
    facts_base = {"old": old}
    rows: list[dict] = []
    renderings: dict = {}
    written = 0

    def put(person_id, channel, address, language, about):
        nonlocal written
        key = _key(kind, subject_id, occurrence, person_id, channel)
        existing = pending.get(key)
        facts = dict(facts_base, about=about)
        this_change = change
        if existing is not None:
            facts["old"] = existing.facts.get("old") or facts["old"]
            facts["about"] = sorted(set(existing.facts.get("about", [])) | set(about))
            this_change = _merge_change(existing.change, change)
        names = [people[i].name for i in facts["about"] if i != person_id and i in people]
        link = compose.reply_link(person_id, subject)
        key_r = (language, this_change, tuple(names), repr(facts["old"]), link is not None)
        if key_r not in renderings:
            renderings[key_r] = compose.render(
                subject, this_change, facts, language,
                reply=compose.REPLY if link is not None else None, names=names,
            )  # fmt: skip
        title, text, html, sms, sms_params = compose.fill(renderings[key_r], link)
        if channel != Channel.EMAIL:
            facts["sms_params"] = sms_params
            text, html = sms, ""
        if channel == Channel.WECHAT:
            facts["wechat"] = wechat.facts_for(subject, this_change, language, link)
        values = {
            "change": this_change,
            "title": title[:300],
            "body_text": text,
            "body_html": html,
            "facts": facts,
            "address": address,
            "language": language,
        }
        if existing is not None:
            for name, value in values.items():
                setattr(existing, name, value)
            # The latest state decides how soon: a change that makes it today's or
            # tomorrow's is not held for quiet hours by the change before it.
            existing.next_try_at = min(existing.next_try_at, try_at)
        else:
            rows.append(
                values
                | {
                    "person_id": person_id,
                    "channel": channel,
                    "subject_kind": kind,
                    "subject_id": subject_id,
                    "occurrence_start": occurrence,
                    "status": NoticeStatus.QUEUED,
                    "attempts": 0,
                    "next_try_at": try_at,
                    "coalesce_key": key,
                    "idempotency_key": uuid.uuid4().hex,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        written += 1

    for person_id, about in sorted(told.items()):
        person = people.get(person_id)
        if person is None or not person.has_contact_consent:
            continue
        for channel, address in person_channels(person):
            put(person_id, channel, address, languages.get(person_id, "zh_Hans"), about)
    if channels.wecom_configured() and told:
        put(None, Channel.WECOM, "", "zh_Hans", [])
    if rows:
        # Core insert (one executemany, no ORM bookkeeping per row).
        session.execute(sa.insert(Notice.__table__), rows)
    return written
