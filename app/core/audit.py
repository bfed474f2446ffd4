"""The append-only audit log: who viewed, exported or changed which record, when.

Rows record *that* a field changed, never a sensitive value. Non-sensitive changes (results,
medals) may pass ``details`` with old and new values; personal data must not."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column

from app.core import clock
from app.core.db import Base, UTCDateTime
from app.extensions import db


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    actor_name: Mapped[str] = mapped_column(sa.String(120), default="")
    action: Mapped[str] = mapped_column(sa.String(40))
    entity: Mapped[str] = mapped_column(sa.String(60))
    entity_id: Mapped[int | None] = mapped_column(sa.Integer)
    fields: Mapped[str] = mapped_column(sa.Text, default="")
    details: Mapped[dict | None] = mapped_column(sa.JSON)
    ip_address: Mapped[str] = mapped_column(sa.String(64), default="")

    __table_args__ = (sa.Index("ix_audit_events_entity", "entity", "entity_id"),)

    @property
    def field_list(self) -> list[str]:
        return [f for f in self.fields.split(",") if f]


def record(
    action: str,
    entity: str,
    entity_id: int | None,
    fields: list[str] | tuple[str, ...] | set[str] = (),
    *,
    actor=None,
    details: dict | None = None,
) -> AuditEvent:
    """Add an audit row to the session (the caller's transaction commits it with the change).

    ``action`` is a verb such as create, update, view_sensitive, archive, export, login."""
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", "") or "",
        action=action,
        entity=entity,
        entity_id=entity_id,
        fields=",".join(sorted(fields)),
        details=details,
        ip_address=(request.remote_addr or "") if has_request_context() else "",
    )
    db.session.add(event)
    return event


def changed_fields(obj, names) -> list[str]:
    """The names among ``names`` whose attribute on ``obj`` has a pending change."""
    state = sa.inspect(obj)
    return [n for n in names if state.attrs[n].history.has_changes()]
