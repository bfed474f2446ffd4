"""/admin/notices/: what was sent to whom, when, by which channel, with the result."""

from __future__ import annotations

from flask import current_app, render_template, request

from app.core.auth import role_required
from app.core.params import page_number
from app.core.security import mark_personal
from app.notices import bp, channels, queries
from app.notices.enums import NoticeStatus


@bp.get("/")
@role_required("admin")
def index():
    mark_personal()  # recipients' names and addresses are personal data
    status = request.args.get("status", "")
    if status not in {s.value for s in NoticeStatus}:
        status = ""
    page = queries.notice_page(
        status=status,
        page=page_number(),
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "notices/index.html",
        page=page,
        status=status,
        statuses=list(NoticeStatus),
        counts=queries.counts(),
        configured=channels.configured(),
    )
