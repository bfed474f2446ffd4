"""The append-only audit log: who viewed, exported or changed which record, when.

Rows record *that* a field changed, never a sensitive value. Non-sensitive changes (results,
medals) may pass ``details`` with old and new values; personal data must not."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column

from app.core import clock, editing
from app.core.db import Base, UTCDateTime
from app.extensions import db

# What each action and record type reads as on the admin dashboard (never the raw code). A
# test scans every audit.record call of app/ so a new code cannot go without its label.
ACTION_LABELS = {
    "create": _l("Record created"),
    "update": _l("Record changed"),
    "delete": _l("Record deleted"),
    "archive": _l("Record archived"),
    "restore": _l("Record restored"),
    "view": _l("Record viewed"),
    "view_list": _l("List viewed"),
    "view_sensitive": _l("Sensitive details viewed"),
    "export": _l("Table exported"),
    "login": _l("Signed in"),
    "set_password": _l("Password set"),
    "deactivate": _l("Account deactivated"),
    "reactivate": _l("Account reactivated"),
    "calendar_feed_on": _l("Schedule feed turned on"),
    "calendar_feed_off": _l("Schedule feed turned off"),
    "calendar_feed_rotate": _l("Schedule feed address renewed"),
    "stage_change": _l("Pipeline stage changed"),
    "consent_given": _l("Consent recorded"),
    "consent_withdrawn": _l("Consent withdrawn"),
    "correct_attendance": _l("Attendance corrected"),
    "sync_attendance": _l("Attendance sent from a phone"),
    "superseded_attendance": _l("Attendance mark replaced by a later one"),
    "cancel_occurrence": _l("Session cancelled"),
    "move_occurrence": _l("Session moved"),
    "restore_occurrence": _l("Session restored"),
    "anonymise": _l("Personal data anonymised"),
    "register_lookup": _l("Register look-up"),
    "register_lookup_failed": _l("Failed register look-up"),
    "publish_results": _l("Results published as official"),
}
ENTITY_LABELS = {
    "activity": _l("Home activity"),
    "assessment": _l("Athlete screening"),
    "assessment_measure": _l("Screening measure"),
    "athlete": _l("Athlete profile"),
    "classification": _l("Sport classification"),
    "competition": _l("Sports competition"),
    "competition_event": _l("Competition event"),
    "entry": _l("Competition entry"),
    "home": _l("Sunshine home"),
    "home_statistics": _l("Sunshine home statistics"),
    "membership": _l("Home membership"),
    "performance": _l("Performance"),
    "performance_photo": _l("Performance photo"),
    "performance_statistics": _l("Performance statistics"),
    "person": _l("Person"),
    "programme": _l("Cultural programme"),
    "reply": _l("Reply to an invitation"),
    "result": _l("Competition result"),
    "sport": _l("Sport"),
    "term_report": _l("Term report"),
    "troupe": _l("Troupe"),
    "user": _l("User account"),
    "venue": _l("Venue"),
}


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
    def action_label(self) -> str:
        """The action in the reader's language (an unknown code as it is)."""
        label = ACTION_LABELS.get(self.action)
        return str(label) if label is not None else self.action

    @property
    def record_label(self) -> str:
        """The record type in the reader's language, with its number when there is one."""
        label = ENTITY_LABELS.get(self.entity)
        name = str(label) if label is not None else self.entity
        return f"{name} #{self.entity_id}" if self.entity_id is not None else name

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


def created(obj, entity: str, fields, *, actor=None, details: dict | None = None):
    """A new record's step: add ``obj``, flush for its id, write its "create" audit row
    naming ``fields``; answers ``obj``."""
    db.session.add(obj)
    db.session.flush()
    record("create", entity, obj.id, list(fields), actor=actor, details=details)
    return obj


def saved(obj, entity: str, fields, *, action: str = "update", actor=None, details=None):
    """A change's step: flush ``obj`` (another save of its row in between is an EditConflict,
    core.editing.flush_or_conflict) and write its audit row naming ``fields``."""
    editing.flush_or_conflict(obj)
    return record(action, entity, obj.id, fields, actor=actor, details=details)


def changed_fields(obj, names) -> list[str]:
    """The names among ``names`` whose attribute on ``obj`` has a pending change."""
    state = sa.inspect(obj)
    return [n for n in names if state.attrs[n].history.has_changes()]


def plain(value):
    """A column's value as JSON holds it (audit details, a person's export): dates and
    instants in ISO 8601, decimals as text, enum members by value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "value") and isinstance(value.value, str):  # an enum member
        return value.value
    return value


def assign(obj, values: dict) -> list[str]:
    """An edit's step: set ``values`` (column name: value) on ``obj``; the names whose value
    changed, in the order of ``values``, for the audit row."""
    for name, value in values.items():
        setattr(obj, name, value)
    return changed_fields(obj, list(values))
