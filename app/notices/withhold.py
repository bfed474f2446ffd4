"""Notices that must not go out any more, and words that must not stay.

- ``withhold_without_consent``: the queued notices of people who no longer consent to be
  contacted (their contact consent was withdrawn: app/notices/hooks.py calls it in the
  withdrawal's transaction) are marked ``skipped`` with the reason, never sent. The worker
  checks again before each send (``recheck``), so a notice queued by any other path is not
  sent either.
- ``forget_person``: a person was anonymised (app/privacy, through core.notify). Their own
  notices are cleared and withheld by app/privacy; here the notices *about* them sent to their
  caregiver lose their name: a queued one is rendered again without them (or withheld when
  they were the only one it was about), a sent or failed one has its words cleared."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from app.core import clock
from app.notices import compose
from app.notices.enums import Channel, NoticeStatus, SkipReason
from app.notices.models import Notice
from app.notices.recipients import load_people, load_subject
from app.people.enums import ConsentKind
from app.people.models import Consent, Person, consent_counts


def withhold(session, person_ids, reason: SkipReason) -> int:
    """Mark the queued notices of ``person_ids`` skipped (one UPDATE); how many."""
    ids = list(person_ids)
    if not ids:
        return 0
    result = session.execute(
        sa.update(Notice)
        .where(Notice.person_id.in_(ids), Notice.status == NoticeStatus.QUEUED)
        .values(status=NoticeStatus.SKIPPED, skip_reason=reason, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def why_not(recipient) -> SkipReason | None:
    """Why a person (load_people's row, None when archived) may not be sent a notice now."""
    if recipient is None:
        return SkipReason.ARCHIVED
    if not recipient.has_contact_consent:
        return SkipReason.NO_CONSENT
    return None


def withhold_without_consent(session, person_ids) -> int:
    """Withhold the queued notices of those of ``person_ids`` who may not be contacted now."""
    ids = list(person_ids)
    people, _ = load_people(session, ids)
    by_reason: dict[SkipReason, list[int]] = {}
    for pid in ids:
        reason = why_not(people.get(pid))
        if reason is not None:
            by_reason.setdefault(reason, []).append(pid)
    return sum(withhold(session, pids, reason) for reason, pids in by_reason.items())


def recheck(session, notice) -> SkipReason | None:
    """Before a send: the reason the notice's recipient may not be told any more, or None
    (a staff group's notice always may). One query: the person with the givers of their
    active "contact" consents (one row each, or one row without), judged by
    people.models.consent_counts as load_people judges them."""
    if notice.person_id is None:
        return None
    rows = session.execute(
        sa.select(Person.is_archived, Person.birth_on, Consent.given_by)
        .outerjoin(
            Consent,
            sa.and_(Consent.person_id == Person.id, Consent.active_of(ConsentKind.CONTACT)),
        )
        .where(Person.id == notice.person_id)
    ).all()
    if not rows or rows[0].is_archived:
        return SkipReason.ARCHIVED
    givers = [row.given_by for row in rows if row.given_by is not None]
    return None if consent_counts(rows[0].birth_on, givers) else SkipReason.NO_CONSENT


def forget_person(session, person_id: int, former_name: str) -> int:
    """Remove ``former_name`` from the notices about ``person_id`` sent to someone else (their
    caregiver); the number of notices changed. The candidates are found by the name in the
    text (erasure is rare; the outbox keeps no index of the people a notice is about) and
    kept only when their facts name the person."""
    if not former_name:
        return 0
    candidates = [
        n
        for n in session.scalars(
            sa.select(Notice).where(
                Notice.person_id.is_not(None),
                Notice.person_id != person_id,
                Notice.purged_at.is_(None),
                Notice.body_text.contains(former_name, autoescape=True),
            )
        )
        if person_id in (n.facts or {}).get("about", [])
    ]
    now = clock.now()
    contact = current_app.config.get("NOTICES_CONTACT", "")
    for notice in candidates:
        about = [i for i in notice.facts.get("about", []) if i != person_id]
        if notice.status != NoticeStatus.QUEUED:
            notice.body_text = notice.body_html = ""
            notice.facts = {}
            notice.purged_at = now
            continue
        subject = None
        if about:
            subject = load_subject(
                session, notice.subject_kind, notice.subject_id, notice.occurrence_start, contact
            )
        if subject is None:
            notice.status = NoticeStatus.SKIPPED
            notice.skip_reason = SkipReason.ABOUT_ERASED
            notice.body_text = notice.body_html = ""
            notice.facts = {}
            continue
        people, _ = load_people(session, about)
        names = [people[i].name for i in about if i != notice.person_id and i in people]
        facts = dict(notice.facts, about=about)
        link = compose.reply_link(notice.person_id, subject)
        title, text, html, sms, sms_params = compose.render(
            subject, notice.change, facts, notice.language, reply=link, names=names
        )
        if notice.channel != Channel.EMAIL:
            facts["sms_params"] = sms_params
            text, html = sms, ""
        notice.title, notice.body_text, notice.body_html = title[:300], text, html
        notice.facts = facts
    return len(candidates)
