"""Reads of replies: one occurrence's answers (the reply page, the roll-call, the organiser's
view) and people's "cannot come" answers in a window (the clash check)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.people.models import Person
from app.replies.enums import Answer, SubjectKind
from app.replies.models import Reply


def for_occurrence(
    kind: str, subject_id: int, occurrence_start: datetime, person_ids: Iterable[int] | None = None
) -> dict[int, Reply]:
    """{person id: reply} for one occurrence (optionally only these people); one query."""
    stmt = sa.select(Reply).where(
        Reply.subject_kind == SubjectKind(kind),
        Reply.subject_id == subject_id,
        Reply.occurrence_start == occurrence_start,
    )
    if person_ids is not None:
        stmt = stmt.where(Reply.person_id.in_(set(person_ids) or {-1}))
    return {reply.person_id: reply for reply in db.session.scalars(stmt)}


@dataclass
class Tally:
    """Who answered for one occurrence: names by pinyin within each answer."""

    coming: list[tuple[str, Reply]]
    not_coming: list[tuple[str, Reply]]
    unanswered: int  # expected people with no answer


def tally(kind: str, subject_id: int, occurrence_start: datetime, expected: set[int]) -> Tally:
    """The organiser's view of one occurrence (one query): answers of the people expected
    now (an answer from someone since taken off is left out)."""
    rows = db.session.execute(
        sa.select(Reply, Person.name)
        .join(Person, Person.id == Reply.person_id)
        .where(
            Reply.subject_kind == SubjectKind(kind),
            Reply.subject_id == subject_id,
            Reply.occurrence_start == occurrence_start,
            Reply.person_id.in_(expected or {-1}),
        )
        .order_by(Person.name_pinyin, Person.name, Person.id)
    ).all()
    coming = [(name, reply) for reply, name in rows if reply.answer == Answer.COMING]
    not_coming = [(name, reply) for reply, name in rows if reply.answer == Answer.NOT_COMING]
    return Tally(coming, not_coming, len(expected) - len(rows))


def cannot_come(start: datetime, end: datetime, person_ids: frozenset[int]) -> list[Reply]:
    """ "Cannot come" answers of these people for occurrences overlapping [start, end)."""
    if not person_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Reply)
            .where(
                Reply.person_id.in_(person_ids),
                Reply.answer == Answer.NOT_COMING,
                Reply.occurrence_start < end,
                Reply.occurrence_end > start,
            )
            .order_by(Reply.occurrence_start, Reply.id)
        )
    )
