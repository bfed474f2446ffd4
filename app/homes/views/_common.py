"""What the homes pages share: template filters, loading a home's activity or session with
the reader's rights (404 otherwise), venue names. Form pages render with core.editing.render."""

from __future__ import annotations

import re
from datetime import datetime
from itertools import cycle

import sqlalchemy as sa
from flask import abort, url_for
from flask_babel import format_datetime
from markupsafe import Markup

from app.core import charts, clock
from app.core.auth import get_or_404
from app.core.security import refuse_forged_post
from app.core.templating import fmt_span
from app.extensions import db
from app.homes import access, bp, recurrence
from app.homes.models import Activity
from app.venues.models import Venue

# --- template helpers ---------------------------------------------------------------------


@bp.app_template_filter("homes_when")
def homes_when(occ) -> str:
    """ "Mon 2026-11-30 09:00–11:00" in the reader's language and Beijing time."""
    return fmt_span(occ.start, occ.end)


@bp.app_template_filter("month_key")
def month_key(value) -> str:
    """The ``?month=`` value of a month (a date, or an instant read in Beijing time)."""
    if isinstance(value, datetime):
        value = clock.local_date(value)
    return f"{value.year:04d}-{value.month:02d}"


@bp.app_template_filter("homes_links")
def homes_links(homes) -> Markup:
    """Links to homes, listed as the reader's language does ("甲、乙和丙" / "A, B and C")."""
    links = [
        Markup('<a href="{}">{}</a>').format(url_for("homes.detail", home_id=h.id), h.name)
        for h in homes
    ]
    # The language's list pattern, laid out around numbered placeholders; its words are
    # escaped by join, the links are markup already.
    pattern = charts.spoken_list([f"\x00{n}\x00" for n in range(len(links))])
    parts = re.split("\x00(\\d+)\x00", pattern)
    return Markup("").join(
        links[int(part)] if odd else part for odd, part in zip(cycle((0, 1)), parts)
    )


@bp.app_template_filter("homes_day")
def homes_day(value) -> str:
    return format_datetime(value, "EEE yyyy-MM-dd HH:mm")


def venue_names(ids) -> dict[int, Venue]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {v.id: v for v in db.session.scalars(sa.select(Venue).where(Venue.id.in_(ids)))}


# --- loading with the reader's rights -----------------------------------------------------


def manage_or_404(home_id: int) -> None:
    if not access.can_manage(home_id):
        abort(404)


def can_see_activity(activity: Activity) -> bool:
    if activity.is_archived and not access.can_manage(activity.home_id):
        return False
    return (
        activity.is_public
        or access.can_manage(activity.home_id)
        or access.is_member(activity.home_id)
    )


def may_see_reasons(activity: Activity, manage: bool) -> bool:
    """Why a session was cancelled or moved is free text that may be about a member: it is
    shown to the home's staff and admins, and to its members and their caregivers only."""
    return manage or access.is_member(activity.home_id)


def load_activity(activity_id: int, *, manage: bool = False) -> Activity:
    activity = get_or_404(Activity, activity_id)
    if manage:
        manage_or_404(activity.home_id)
    elif not can_see_activity(activity):
        abort(404)
    return activity


def load_occurrence(activity: Activity, key: str):
    start = recurrence.parse_occurrence_key(key)
    occ = recurrence.occurrence_at(activity, start) if start else None
    if occ is None:
        refuse_forged_post()  # cancel and move read their token in the form, after this
        abort(404)
    return occ
