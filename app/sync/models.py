"""The client ids of the marks taken by the sync endpoints (issue 18 item 4).

A phone queues each mark with an id it made itself and sends the queue again until it is
answered, so one mark can arrive twice: the unique ``client_id`` makes the second arrival a
no-op that answers what the first did. ``target`` names the thing the mark wrote
(``attendance:<activity>:<occurrence key>:<person>`` or ``result:<entry>``), so a later mark
by someone else can flag this one as superseded, and its sender is told on their next sync
(``told_at``)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core import clock
from app.core.db import Base, UTCDateTime, foreign_key

OUTCOMES = ("applied", "superseded", "conflict", "invalid")


class ClientMark(Base):
    __tablename__ = "client_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(sa.String(64))
    user_id: Mapped[int | None] = foreign_key("users.id", ondelete="CASCADE", index=True)
    target: Mapped[str] = mapped_column(sa.String(120), index=True)
    outcome: Mapped[str] = mapped_column(sa.String(20))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Set when a later mark by someone else replaced this one; told_at when its sender's
    # next sync answer said so.
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        sa.UniqueConstraint("client_id", name="uq_client_marks_client_id"),
        sa.CheckConstraint(
            "outcome IN ('applied', 'superseded', 'conflict', 'invalid')",
            name="client_mark_outcome",
        ),
    )
