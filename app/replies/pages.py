"""What the domains' event pages show of replies, so each page adds two lines: the signed-in
visitor's own buttons (``panel``) and, for staff, who answered (``tally``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import request, url_for
from flask_login import current_user

from app.core import clock
from app.extensions import db
from app.people.models import Person
from app.replies import links, queries, services, subjects
from app.replies.enums import Answer
from app.replies.models import Reply


@dataclass
class Panel:
    """The buttons of a signed-in visitor on an event page: for themselves and for each
    dependant expected there."""

    anchor: str
    people: list[Person]
    answers: dict[int, Reply]
    action: str
    names: dict[int, str] = field(default_factory=dict)
    Answer: type = Answer


def anchor(subject: subjects.Subject) -> str:
    """The id of a subject's panel on its page (a competition page has one per event)."""
    return f"replies-{subject.kind}-{subject.id}"


def viewer_person() -> Person | None:
    person_id = getattr(current_user, "person_id", None) if current_user.is_authenticated else None
    return db.session.get(Person, person_id) if person_id is not None else None


def panel_for(subject: subjects.Subject | None, person: Person | None) -> Panel | None:
    """None when there is no person, nobody they answer for is expected, or the occurrence
    is cancelled or over."""
    if subject is None or person is None or subject.cancelled or clock.now() >= subject.end:
        return None
    who = services.answerer(person, subject)
    if not who.people:
        return None
    return Panel(
        anchor=anchor(subject),
        people=who.people,
        answers=queries.for_occurrence(
            subject.kind, subject.id, subject.occurrence_start, [p.id for p in who.people]
        ),
        action=url_for(
            "replies.signed_in",
            kind=subject.kind,
            subject_id=subject.id,
            key=links.occurrence_key(subject.occurrence_start),
            back=request.path,  # where to go if the occurrence moves before the answer
        ),
        names={p.id: p.name for p in who.people},
    )


def panel(kind: str, subject_id: int, occurrence_start: datetime) -> Panel | None:
    """The signed-in visitor's panel for one occurrence (None for a visitor without a
    register person, at no query cost)."""
    person = viewer_person()
    if person is None:
        return None
    return panel_for(subjects.load(kind, subject_id, occurrence_start), person)


def tally(kind: str, subject_id: int, occurrence_start: datetime, expected) -> queries.Tally:
    return queries.tally(kind, subject_id, occurrence_start, set(expected))
