"""The outbox: one Notice per recipient and channel, written in the same transaction as the
change that caused it (app/notices/hooks.py) and sent later by ``flask notices work``.

- ``coalesce_key`` names (recipient, channel, subject, occurrence): while a row with that key
  is still queued and younger than COALESCE_MINUTES, a new change updates it (the latest
  state) instead of adding a row. A partial index is not needed: the look-up also filters on
  status and is by an indexed key.
- ``idempotency_key`` is fixed when the row is created and travels with every send attempt
  (the e-mail's Message-ID, the SMS OutId, the WeCom text), so a worker killed after sending
  and before marking resends the *same* message; see docs/features/notices.md for which
  providers can drop such a duplicate.
- ``body_text``/``body_html`` are cleared PURGE_DAYS after sending or failing
  (``flask notices purge``); the row itself stays as the record of what was sent to whom.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import clock
from app.core.db import Base, TimestampMixin, UTCDateTime, enum_column, foreign_key
from app.notices.enums import Change, Channel, NoticeStatus, SkipReason


class Notice(TimestampMixin, Base):
    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a staff group (WeCom robot): the group, not a person, is told.
    person_id: Mapped[int | None] = foreign_key("people.id", ondelete="CASCADE", index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "notice_channel"))
    address: Mapped[str] = mapped_column(sa.String(254), default="")
    subject_kind: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[int] = mapped_column(sa.Integer)
    occurrence_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    change: Mapped[Change] = mapped_column(enum_column(Change, "notice_change"))
    language: Mapped[str] = mapped_column(sa.String(10))
    title: Mapped[str] = mapped_column(sa.String(300), default="")
    body_text: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    # What the body was built from (the state before the first change, the dependants told
    # about), so a coalesced change re-renders it: JSON, no personal data beyond the ids.
    facts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[NoticeStatus] = mapped_column(
        enum_column(NoticeStatus, "notice_status"), default=NoticeStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    coalesce_key: Mapped[str] = mapped_column(sa.String(200), index=True)
    idempotency_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    provider_message_id: Mapped[str] = mapped_column(sa.String(200), default="")
    error: Mapped[str] = mapped_column(sa.String(500), default="")
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set with status SKIPPED: why the notice was withheld.
    skip_reason: Mapped[SkipReason | None] = mapped_column(
        enum_column(SkipReason, "notice_skip_reason")
    )

    person = relationship("Person")

    @property
    def shown_address(self) -> str:
        """The address as the pages show it: a WeChat openid masked (people.mask_openid)."""
        from app.people.models import mask_openid

        return mask_openid(self.address) if self.channel == Channel.WECHAT else self.address

    __table_args__ = (
        sa.Index("ix_notices_status_next_try_at", "status", "next_try_at"),
        sa.Index("ix_notices_subject", "subject_kind", "subject_id"),
    )
