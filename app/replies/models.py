"""``Reply``: one person's answer for one occurrence of a subject (a performance, a
competition event, a home activity's session keyed by its original start).

One row per (person, subject kind, subject id, occurrence start): answering again changes the
row (its ``version`` rises), answering the same choice again leaves it alone. Who answered is
kept: a signed-in user (``answered_by_id``) or the link (``via_link``), and, when a caregiver
answered for a dependant, the caregiver's person (``caregiver_person_id``). No foreign key to
the subject: the kinds live in three domains and a reply outlives a deleted record's page."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core import clock
from app.core.db import Base, UTCDateTime, VersionedMixin, enum_column, foreign_key
from app.replies.enums import Answer, SubjectKind


class Reply(VersionedMixin, Base):
    __tablename__ = "replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = foreign_key("people.id", ondelete="CASCADE")
    subject_kind: Mapped[SubjectKind] = mapped_column(
        enum_column(SubjectKind, "reply_subject_kind")
    )
    subject_id: Mapped[int] = mapped_column(sa.Integer)
    occurrence_start: Mapped[datetime] = mapped_column(UTCDateTime)
    # The occurrence's end when the answer was given (the clash check's interval).
    occurrence_end: Mapped[datetime] = mapped_column(UTCDateTime)
    answer: Mapped[Answer] = mapped_column(enum_column(Answer, "reply_answer"))
    reason: Mapped[str] = mapped_column(sa.String(200), default="")
    via_link: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    answered_by_id: Mapped[int | None] = foreign_key("users.id", ondelete="SET NULL", index=True)
    caregiver_person_id: Mapped[int | None] = foreign_key(
        "people.id", ondelete="SET NULL", index=True
    )
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    __table_args__ = (
        sa.UniqueConstraint(
            "person_id",
            "subject_kind",
            "subject_id",
            "occurrence_start",
            name="uq_replies_person_subject_occurrence",
        ),
        # The organiser's and the roll-call's read: every reply for one occurrence.
        sa.Index("ix_replies_subject", "subject_kind", "subject_id", "occurrence_start"),
        # The clash check's read: one person's "cannot come" replies in a window.
        sa.Index("ix_replies_person_id_occurrence_start", "person_id", "occurrence_start"),
    )
