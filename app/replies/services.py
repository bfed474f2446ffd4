"""Reply rules: who may answer for whom, for which occurrence, until when; recording an
answer once per choice; opening a signed link.

- A person answers for themselves when they are expected at the occurrence, and a caregiver
  (a person named as another's ``guardian_person``) for each expected dependant.
- Answers are taken until the occurrence ends (a cancelled occurrence takes none).
- The same choice given again (the same reason too) changes nothing: no new version, no
  audit row. Another choice or another reason updates the one row and writes an audit row
  (which fields changed, never the reason's text: it may be about health).

Services flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from app.core import audit, clock
from app.core.errors import DomainError
from app.extensions import db
from app.people.models import Person
from app.replies import links, subjects
from app.replies.enums import Answer, SubjectKind
from app.replies.models import Reply

REASON_MAX = 200


class LinkRefused(Exception):
    """A link that cannot be used: ``why`` is "invalid" (tampered, or names nothing) or
    "expired" (the occurrence has ended)."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


@dataclass
class Answerer:
    """The people one visitor may answer for at one occurrence: themselves (when expected)
    first, then their dependants by name."""

    person: Person
    subject: subjects.Subject
    people: list[Person]


def open_link(token: str, *, now: datetime | None = None) -> Answerer:
    """The person and occurrence a signed link stands for, with whom they may answer for;
    ``LinkRefused`` when it was tampered with, names nothing, or the occurrence has ended."""
    try:
        link = links.read(token)
    except links.BadLink as error:
        raise LinkRefused("invalid") from error
    person = db.session.get(Person, link.person_id)
    subject = subjects.load(link.subject_kind, link.subject_id, link.occurrence_start)
    if person is None or subject is None:
        raise LinkRefused("invalid")
    if (now or clock.now()) >= subject.end:
        raise LinkRefused("expired")
    return answerer(person, subject)


def answerer(person: Person, subject: subjects.Subject) -> Answerer:
    """``person`` and their dependants expected at ``subject`` (one query for dependants)."""
    people = [person] if person.id in subject.expected_person_ids else []
    dependants = db.session.scalars(
        sa.select(Person)
        .where(
            Person.guardian_person_id == person.id,
            Person.id.in_(subject.expected_person_ids or {-1}),
            Person.id != person.id,
        )
        .order_by(Person.name_pinyin, Person.name, Person.id)
    ).all()
    return Answerer(person, subject, people + list(dependants))


def _existing(person_id: int, kind: SubjectKind, subject: subjects.Subject) -> Reply | None:
    return db.session.scalars(
        sa.select(Reply).where(
            Reply.person_id == person_id,
            Reply.subject_kind == kind,
            Reply.subject_id == subject.id,
            Reply.occurrence_start == subject.occurrence_start,
        )
    ).one_or_none()


def parse_answer(value: str | None) -> Answer:
    try:
        return Answer((value or "").strip())
    except ValueError as error:
        raise DomainError(_l("Choose whether you will come."), field="answer") from error


def record_answer(
    who: Answerer,
    person_id: int,
    answer: Answer,
    reason: str = "",
    *,
    user=None,
    via_link: bool = False,
) -> tuple[Reply, bool]:
    """Record ``answer`` for ``person_id`` (one of ``who.people``); returns the reply and
    whether anything changed. The reason is kept only with "cannot come"."""
    subject = who.subject
    if person_id not in {p.id for p in who.people}:
        raise DomainError(_l("You cannot answer for this person."), field="person_id")
    if subject.cancelled:
        raise DomainError(_l("This has been cancelled: there is nothing to answer."))
    if clock.now() >= subject.end:
        raise DomainError(_l("This has already ended: answers are closed."))
    reason = (reason or "").strip() if answer == Answer.NOT_COMING else ""
    if len(reason) > REASON_MAX:
        raise DomainError(
            _l("Keep the reason under %(max)d characters.", max=REASON_MAX), field="reason"
        )
    caregiver_id = who.person.id if person_id != who.person.id else None
    kind = SubjectKind(subject.kind)
    reply = _existing(person_id, kind, subject)
    if reply is not None and reply.answer == answer and reply.reason == reason:
        return reply, False
    if reply is None:
        created = Reply(
            person_id=person_id,
            subject_kind=kind,
            subject_id=subject.id,
            occurrence_start=subject.occurrence_start,
            answer=answer,
            reason=reason,
            occurrence_end=subject.end,
            via_link=via_link,
            answered_by_id=getattr(user, "id", None),
            caregiver_person_id=caregiver_id,
            answered_at=clock.now(),
        )
        try:
            with db.session.begin_nested():  # a savepoint: a lost race leaves the session usable
                db.session.add(created)
        except IntegrityError:
            # The same person's first answer saved a moment ago (a double tap): answer over it.
            reply = _existing(person_id, kind, subject)
            if reply.answer == answer and reply.reason == reason:
                return reply, False
        else:
            audit.record(
                "create",
                "reply",
                created.id,
                ["answer", "reason"] if reason else ["answer"],
                actor=user,
                details={"via_link": via_link, "by_caregiver": caregiver_id is not None},
            )
            return created, True
    fields = [
        name
        for name, value in (("answer", answer), ("reason", reason))
        if getattr(reply, name, None) != value
    ]
    reply.answer = answer
    reply.reason = reason
    reply.occurrence_end = subject.end
    reply.via_link = via_link
    reply.answered_by_id = getattr(user, "id", None)
    reply.caregiver_person_id = caregiver_id
    reply.answered_at = clock.now()
    db.session.flush()
    audit.record(
        "update",
        "reply",
        reply.id,
        fields,
        actor=user,
        details={"via_link": via_link, "by_caregiver": caregiver_id is not None},
    )
    return reply, True
