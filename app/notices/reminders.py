"""Day-before reminders (issue 16: "Reminders: the day before, for people who asked for
them"): ``flask notices remind`` queues, through the same outbox, one reminder per person
and per occurrence happening tomorrow (Beijing date) that they are expected at:

- performances they perform in or support (not cancelled);
- competition events they are entered in, or support an entry of (entry not withdrawn);
- the sessions of the sunshine homes they are members of on that day (not cancelled; a
  session moved to tomorrow counts, one moved away does not).

Who: people who asked for reminders (``Person.wants_reminders``, set on the person's edit
form) and consent to be contacted; a caregiver (``guardian_person_id``) who consents gets
one reminder per occurrence listing their dependants who asked, as notices do. Each
recipient's language, the reply link of app/replies.

Idempotent: each row's key is (subject, occurrence, its day, person, channel, "reminder"); its
idempotency key is derived from it (unique in the table), and keys already in the outbox are
skipped, so running it any number of times a day queues each reminder once. A bounded number
of statements whatever the number of occurrences and people (tests/notices/test_reminders.py).

Quiet hours as for notices, but never waived: a reminder queued at 23:00 waits until 07:00."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from app.competitions.models import (
    Competition,
    CompetitionEvent,
)
from app.core import clock
from app.homes.models import Home
from app.homes.recurrence import load_occurrences, local_day_window
from app.notices import compose
from app.notices.enums import Change, Channel, NoticeStatus
from app.notices.models import Notice
from app.notices.outbox import first_try_at, person_channels
from app.notices.recipients import (
    activity_subject,
    event_subject,
    expected_at,
    load_people,
    members_on,
    performance_subject,
)
from app.people.models import Person
from app.performances.enums import PerformanceStatus
from app.performances.models import Performance
from app.venues.models import Venue

# The long-running worker (``flask notices work``) queues the next day's reminders once a
# day, on its first look at or after this hour, Beijing time.
REMIND_HOUR = 18


def key_of(kind: str, subject_id: int, occurrence: datetime, day, person_id: int, channel) -> str:
    """(subject, occurrence, the day it happens, person, channel): a session moved to another
    day after its reminder is reminded again for its new day."""
    return (
        f"reminder:{kind}:{subject_id}:{occurrence.strftime('%Y%m%dT%H%M')}:"
        f"{day.isoformat()}:{person_id}:{channel.value}"
    )


def tomorrow(now: datetime):
    """(tomorrow's Beijing date, its [start, end) in UTC)."""
    day = clock.local_date(now) + timedelta(days=1)
    return (day, *local_day_window(day))


def _subjects(session, day, start, end):
    """[(kind, subject id, occurrence start, Subject, expected person ids)] of tomorrow."""
    contact = current_app.config.get("NOTICES_CONTACT", "")
    performances = session.scalars(
        sa.select(Performance).where(
            Performance.starts_at >= start,
            Performance.starts_at < end,
            Performance.status != PerformanceStatus.CANCELLED,
        )
    ).all()
    events = session.execute(
        sa.select(CompetitionEvent, Competition)
        .join(Competition, Competition.id == CompetitionEvent.competition_id)
        .where(CompetitionEvent.starts_at >= start, CompetitionEvent.starts_at < end)
    ).all()
    activities, occurrences = load_occurrences(session, start, end, include_cancelled=False)
    occurrences = [o for o in occurrences if start <= o.start < end]
    homes = {
        h.id: h
        for h in session.scalars(
            sa.select(Home).where(Home.id.in_({a.home_id for a in activities.values()}))
        )
    }
    venue_ids = (
        {p.venue_id for p in performances}
        | {e.venue_id or c.venue_id for e, c in events}
        | {o.venue_id for o in occurrences}
    )
    venues = {
        v.id: (v.name, v.address)
        for v in session.scalars(sa.select(Venue).where(Venue.id.in_(venue_ids - {None})))
    }

    def venue(venue_id):
        return venues.get(venue_id, ("", ""))

    performers = expected_at(session, "performance", [p.id for p in performances])
    entrants = expected_at(session, "competition_event", [e.id for e, _ in events])
    members = members_on(session, homes, day)
    out = []
    for p in performances:
        subject = performance_subject(p, venue, contact)
        out.append(("performance", p.id, p.starts_at, subject, performers.get(p.id)))
    for e, c in events:
        subject = event_subject(e, c, venue, contact)
        out.append(
            ("competition_event", e.id, e.starts_at, subject,
             entrants.get(e.id))
        )  # fmt: skip
    for o in occurrences:
        a = activities[o.activity_id]
        subject = activity_subject(a, homes[a.home_id], o.original_start, o, venue, contact)
        out.append(("activity", a.id, o.original_start, subject, members.get(a.home_id)))
    return [row for row in out if row[4]]


def queue_reminders(session, now: datetime | None = None) -> int:
    """Queue tomorrow's reminders not queued yet; the number of rows written. The caller
    commits."""
    now = now or clock.now()
    day, start, end = tomorrow(now)
    subjects = _subjects(session, day, start, end)
    everyone = set().union(*(row[4] for row in subjects)) if subjects else set()
    wanting: dict[int, int | None] = dict(
        session.execute(
            sa.select(Person.id, Person.guardian_person_id).where(
                Person.id.in_(everyone),
                Person.wants_reminders.is_(True),
                Person.is_archived.is_(False),
            )
        ).all()
    )
    plan = []  # (kind, id, occurrence, subject, {recipient: [about]})
    for kind, subject_id, occurrence, subject, expected in subjects:
        told: dict[int, set[int]] = {}
        for pid in expected:
            if pid not in wanting:
                continue
            told.setdefault(pid, set()).add(pid)
            if wanting[pid] is not None:
                told.setdefault(wanting[pid], set()).add(pid)
        if told:
            plan.append((kind, subject_id, occurrence, subject, told))
    recipients = {pid for *_, told in plan for pid in told}
    people, languages = load_people(session, recipients)
    wanted = []
    for kind, subject_id, occurrence, subject, told in plan:
        for pid, about in sorted(told.items()):
            person = people.get(pid)
            if person is None or not person.has_contact_consent:
                continue
            for channel, address in person_channels(person):
                key = key_of(kind, subject_id, occurrence, day, pid, channel)
                wanted.append((key, kind, subject_id, occurrence, subject, pid, sorted(about),
                               channel, address))  # fmt: skip
    existing = set(
        session.scalars(
            sa.select(Notice.coalesce_key).where(Notice.coalesce_key.in_([w[0] for w in wanted]))
        )
    )
    renderings: dict = {}
    rows = []
    for key, kind, subject_id, occurrence, subject, pid, about, channel, address in wanted:
        if key in existing:
            continue
        language = languages.get(pid, "zh_Hans")
        names = [people[i].name for i in about if i != pid and i in people]
        link = compose.reply_link(pid, subject)
        cache_key = (kind, subject_id, occurrence, language, tuple(names), link is not None)
        if cache_key not in renderings:
            renderings[cache_key] = compose.render(
                subject, Change.REMINDER, {}, language,
                reply=compose.REPLY if link is not None else None, names=names,
            )  # fmt: skip
        title, text, html, sms, sms_params = compose.fill(renderings[cache_key], link)
        facts: dict = {"old": {}, "about": about}
        if channel != Channel.EMAIL:
            facts["sms_params"] = sms_params
            text, html = sms, ""
        rows.append(
            {
                "person_id": pid,
                "channel": channel,
                "address": address,
                "subject_kind": kind,
                "subject_id": subject_id,
                "occurrence_start": occurrence,
                "change": Change.REMINDER,
                "language": language,
                "title": title[:300],
                "body_text": text,
                "body_html": html,
                "facts": facts,
                "status": NoticeStatus.QUEUED,
                "attempts": 0,
                "next_try_at": first_try_at(now, subject.starts_at, soon_goes=False),
                "coalesce_key": key,
                # Derived from the key: the table's unique index refuses a second copy even
                # from two runs at the same instant.
                "idempotency_key": hashlib.sha256(key.encode()).hexdigest()[:40],
                "created_at": now,
                "updated_at": now,
            }
        )
    if rows:
        session.execute(sa.insert(Notice.__table__), rows)
    return len(rows)
