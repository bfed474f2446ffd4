"""Reads of the outbox for the admin page and a person's page."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.core import params
from app.extensions import db
from app.notices.enums import NoticeStatus
from app.notices.models import Notice

STATUS_ORDER = sa.case(
    (Notice.status == NoticeStatus.FAILED, 0),
    (Notice.status == NoticeStatus.QUEUED, 1),
    else_=2,
)


def notice_page(*, status: str = "", page: int = 1, per_page: int = 25):
    """One page of notices: failed first (an admin must see them), then queued, then sent;
    newest first within each. The page, the recipients, and the count when the first page is full."""
    query = sa.select(Notice).options(selectinload(Notice.person))
    if status in {s.value for s in NoticeStatus}:
        query = query.where(Notice.status == NoticeStatus(status))
    query = query.order_by(STATUS_ORDER, Notice.created_at.desc(), Notice.id.desc())
    return params.paginate(query, page, per_page)


def counts() -> dict[str, int]:
    """Notices by status (one query)."""
    rows = db.session.execute(sa.select(Notice.status, sa.func.count()).group_by(Notice.status))
    return {NoticeStatus(s).value: n for s, n in rows}


def for_person(person_id: int, limit: int = 50) -> list[Notice]:
    """The notices a person got (newest first, at most ``limit``); one query."""
    return list(
        db.session.scalars(
            sa.select(Notice)
            .where(Notice.person_id == person_id)
            .order_by(Notice.created_at.desc(), Notice.id.desc())
            .limit(limit)
        )
    )
