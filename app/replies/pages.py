"""What the domains' event pages show of replies, so each page adds two lines: the signed-in
visitor's own buttons (``panel``) and, for staff, who answered (``tally``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from flask_login import current_user

from app.extensions import db
from app.people.models import Person
from app.replies import links, queries, services, subjects
from app.replies.enums import Answer
from app.replies.models import Reply


@dataclass
class Panel:
    """The buttons of a signed-in visitor on an event page: for themselves and for each
    dependant expected there."""

    people: list[Person]
    answers: dict[int, Reply]
    action: str
    names: dict[int, str] = field(default_factory=dict)
    Answer: type = Answer


def panel(kind: str, subject_id: int, occurrence_start: datetime) -> Panel | None:
    """None when the visitor is not signed in, has no register person, has nobody to answer
    for here, or the occurrence is cancelled or over."""
    person_id = getattr(current_user, "person_id", None) if current_user.is_authenticated else None
    if person_id is None:
        return None
    subject = subjects.load(kind, subject_id, occurrence_start)
    person = db.session.get(Person, person_id)
    if subject is None or person is None or subject.cancelled:
        return None
    from app.core import clock

    if clock.now() >= subject.end:
        return None
    who = services.answerer(person, subject)
    if not who.people:
        return None
    return Panel(
        people=who.people,
        answers=queries.for_occurrence(kind, subject_id, subject.occurrence_start),
        action=url_for(
            "replies.signed_in",
            kind=kind,
            subject_id=subject_id,
            key=links.occurrence_key(subject.occurrence_start),
        ),
        names={p.id: p.name for p in who.people},
    )


def tally(kind: str, subject_id: int, occurrence_start: datetime, expected) -> queries.Tally:
    return queries.tally(kind, subject_id, occurrence_start, set(expected))
