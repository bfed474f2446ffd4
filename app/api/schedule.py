"""The public schedule in the JSON API: ``GET /api/v1/schedule``.

What is public, from the domains' own rules: scheduled events (with a start time) of
competitions not cancelled (competitions are public pages); performances that are public and
confirmed or done (app/performances/rules.is_publicly_visible, as SQL); occurrences of public
activities of homes in use, not cancelled, at their moved time and venue when moved
(app/homes/recurrence.load_occurrences). Items start in [from 00:00, to + 1 day 00:00)
Beijing time and are ordered by (start, kind, id) — a total order, so the opaque cursor (the
last item's position) pages without gaps or repeats while the data stands still.

Why not the calendar's rendered items (CalendarItem, feed key ``public``): a weekly activity
is one item holding its RRULE, exceptions and overrides, so "the next 50 things by start"
cannot be an indexed SQL query over them, and their fields hold rendered text, not venue or
town ids to filter on. The source tables have indexes on the start instants; each kind is one
query (activities two, plus their homes), each limited to ``limit + 1`` after the cursor, and
the venues of the page one more (with their features): seven queries whatever the data.

No person names: titles of events, performances and activities, and venues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import jsonify, request, url_for
from sqlalchemy.orm import selectinload

from app.competitions.enums import CompetitionStatus
from app.competitions.models import Competition, CompetitionEvent
from app.core import api, clock
from app.core.api import (
    DATE_SCHEMA,
    ERROR_RESPONSE,
    BadParameter,
    bp,
    check_parameters,
    describe,
    period_args,
    schema,
)
from app.core.auth import public
from app.extensions import db
from app.homes import recurrence
from app.homes.models import Activity, Home
from app.performances.enums import PUBLIC_STATUSES
from app.performances.models import Performance, Programme
from app.venues.api import ID_SCHEMA, id_arg, venue_json, venues_by_id
from app.venues.models import Venue

SCHEDULE_PARAMS = ("from", "to", "kind", "town", "limit", "cursor")
KINDS = ("activity", "competition", "performance")  # sorted: the order within one instant
DEFAULT_DAYS = 30
MAX_DAYS = 366
# Days that stay convertible to instants on both sides of UTC+8 (date(1, 1, 1) is not).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)


@dataclass(frozen=True)
class Position:
    """Where an item sorts: start (aware UTC), kind, source id, occurrence key ("" if one)."""

    start: datetime
    kind: str
    source_id: int
    key: str = ""

    def sort_key(self):
        return (self.start, self.kind, self.source_id, self.key)


@dataclass
class Item:
    position: Position
    end: datetime | None
    title: str
    part_of: str
    venue_id: int | None
    town_id: int | None
    url: str
    all_day: bool = False

    @property
    def id(self) -> str:
        p = self.position
        return f"{p.kind}:{p.source_id}" + (f":{p.key}" if p.key else "")


@dataclass(frozen=True)
class Query:
    first: date
    last: date
    kind: str | None = None
    town_id: int | None = None
    limit: int = api.DEFAULT_LIMIT
    after: Position | None = None


# --- cursor -------------------------------------------------------------------------------


def encode_cursor(position: Position) -> str:
    start = position.start.astimezone(UTC).isoformat()
    return api.encode_cursor([start, position.kind, position.source_id, position.key])


def decode_cursor(text: str) -> Position:
    bad = BadParameter("cursor", api.BAD_CURSOR)
    try:
        start, kind, source_id, key = api.decode_cursor(text)
        instant = datetime.fromisoformat(start)
    except (ValueError, TypeError):
        raise bad from None
    if (
        instant.tzinfo is None
        or kind not in KINDS
        or not isinstance(source_id, int)
        or not isinstance(key, str)
    ):
        raise bad
    return Position(instant.astimezone(UTC), kind, source_id, key)


# --- parameters ---------------------------------------------------------------------------


def query_from_args() -> Query:
    check_parameters(SCHEDULE_PARAMS)
    first, last = period_args(
        first=clock.today(),
        last=lambda first: first + timedelta(days=DEFAULT_DAYS) if first < LAST_DAY else first,
        max_days=MAX_DAYS,
    )
    kind = request.args.get("kind")
    if kind is not None and kind not in KINDS:
        raise BadParameter("kind", "'kind' must be one of: competition, performance, activity.")
    limit = api.limit_arg()
    after = decode_cursor(request.args["cursor"]) if "cursor" in request.args else None
    return Query(first, last, kind, id_arg("town"), limit, after)


# --- the queries --------------------------------------------------------------------------


def _after(position: Position | None, kind: str, start_col, id_col):
    """SQL: rows of ``kind`` that sort after ``position``."""
    if position is None:
        return sa.true()
    if kind < position.kind:
        return start_col > position.start
    if kind > position.kind:
        return start_col >= position.start
    return sa.or_(
        start_col > position.start,
        sa.and_(start_col == position.start, id_col > position.source_id),
    )


def _in_town(venue_col, town_id: int | None):
    if town_id is None:
        return sa.true()
    return venue_col.in_(sa.select(Venue.id).where(Venue.town_id == town_id))


def _window(
    statement, q: Query, kind: str, start: datetime, end: datetime, start_col, id_col, venue_col
):
    """``statement`` narrowed to one page of ``kind``: starting in [start, end), in the town
    asked for, after the cursor; in the schedule's order, one row more than the page (to tell
    whether there is a next)."""
    return (
        statement.where(
            start_col >= start,
            start_col < end,
            _in_town(venue_col, q.town_id),
            _after(q.after, kind, start_col, id_col),
        )
        .order_by(start_col, id_col)
        .limit(q.limit + 1)
    )


def competition_items(q: Query, start: datetime, end: datetime) -> list[Item]:
    venue_id = sa.func.coalesce(CompetitionEvent.venue_id, Competition.venue_id)
    statement = _window(
        sa.select(
            CompetitionEvent.id,
            CompetitionEvent.name,
            CompetitionEvent.starts_at,
            CompetitionEvent.ends_at,
            Competition.id,
            Competition.name,
            venue_id,
            CompetitionEvent.all_day,
        )
        .join(Competition, Competition.id == CompetitionEvent.competition_id)
        .where(
            CompetitionEvent.starts_at.is_not(None),
            Competition.status != CompetitionStatus.CANCELLED,
        ),
        q,
        "competition",
        start,
        end,
        CompetitionEvent.starts_at,
        CompetitionEvent.id,
        venue_id,
    )
    rows = db.session.execute(statement).all()
    return [
        Item(
            Position(starts_at, "competition", event_id),
            # An all-day event starts at its day's 00:00 and ends at the next day's.
            starts_at + timedelta(days=1) if all_day else ends_at,
            name,
            competition_name,
            venue,
            None,
            url_for("competitions.detail", competition_id=competition_id, _external=True),
            all_day=all_day,
        )
        for event_id, name, starts_at, ends_at, competition_id, competition_name, venue, all_day in (
            rows
        )
    ]


def public_performance():
    """rules.is_publicly_visible as SQL."""
    return sa.and_(Performance.is_public.is_(True), Performance.status.in_(PUBLIC_STATUSES))


def performance_items(q: Query, start: datetime, end: datetime) -> list[Item]:
    statement = _window(
        sa.select(
            Performance.id,
            Performance.title,
            Performance.starts_at,
            Performance.ends_at,
            Programme.name,
            Performance.venue_id,
        )
        .join(Programme, Programme.id == Performance.programme_id)
        .where(public_performance()),
        q,
        "performance",
        start,
        end,
        Performance.starts_at,
        Performance.id,
        Performance.venue_id,
    )
    rows = db.session.execute(statement).all()
    return [
        Item(
            Position(starts_at, "performance", pid),
            ends_at,
            title,
            programme,
            venue,
            None,
            url_for("performances.detail", performance_id=pid, _external=True),
        )
        for pid, title, starts_at, ends_at, programme, venue in rows
    ]


def activity_items(q: Query, start: datetime, end: datetime) -> list[Item]:
    homes_in_use = sa.select(Home.id).where(Home.is_archived.is_(False))
    activities, occs = recurrence.load_occurrences(
        db.session,
        start,
        end,
        where=[Activity.is_public.is_(True), Activity.home_id.in_(homes_in_use)],
        include_cancelled=False,
        options=(selectinload(Activity.home).lazyload(Home.service_rows),),
    )
    items = []
    after = q.after.sort_key() if q.after is not None else None
    for occ in occs:
        if not start <= occ.start < end:
            continue
        position = Position(occ.start, "activity", occ.activity_id, occ.key)
        if after is not None and position.sort_key() <= after:
            continue
        activity = activities[occ.activity_id]
        home = activity.home
        items.append(
            Item(
                position,
                occ.end,
                activity.title,
                home.name,
                occ.venue_id if occ.venue_id is not None else home.venue_id,
                home.town_id,
                url_for("homes.occurrence", activity_id=activity.id, key=occ.key, _external=True),
            )
        )
    return items


def schedule(q: Query) -> tuple[list[Item], dict[int, Venue], Position | None]:
    """(the page's items, their venues by id, the last item's position when more follow)."""
    if q.last < FIRST_DAY or q.first > LAST_DAY:
        return [], {}, None
    start, end = recurrence.local_day_window(max(q.first, FIRST_DAY), min(q.last, LAST_DAY))
    items: list[Item] = []
    if q.kind in (None, "competition"):
        items += competition_items(q, start, end)
    if q.kind in (None, "performance"):
        items += performance_items(q, start, end)
    if q.kind in (None, "activity"):
        items += activity_items(q, start, end)
    venues = venues_by_id(item.venue_id for item in items)
    if q.town_id is not None:  # activities: the venue's town, else the home's
        items = [
            item
            for item in items
            if (venues[item.venue_id].town_id if item.venue_id in venues else item.town_id)
            == q.town_id
        ]
    items.sort(key=lambda item: item.position.sort_key())
    more = len(items) > q.limit
    items = items[: q.limit]
    return items, venues, items[-1].position if more else None


def local_iso(instant: datetime | None) -> str | None:
    if instant is None:
        return None
    return clock.to_local(instant).isoformat(timespec="seconds")


def item_json(item: Item, venues: dict[int, Venue]) -> dict:
    venue = venues.get(item.venue_id)
    return {
        "id": item.id,
        "kind": item.position.kind,
        "title": item.title,
        "part_of": item.part_of,
        "start": local_iso(item.position.start),
        "end": local_iso(item.end),
        "all_day": item.all_day,
        "venue": venue_json(venue) if venue is not None else None,
        "url": item.url,
    }


@bp.get("/schedule")
@public
def schedule_view():
    q = query_from_args()
    items, venues, last = schedule(q)
    return jsonify(
        {
            "from": q.first.isoformat(),
            "to": q.last.isoformat(),
            "items": [item_json(item, venues) for item in items],
            "next_cursor": encode_cursor(last) if last is not None else None,
        }
    )


LOCAL_TIME = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$",
    "description": "ISO 8601 in Beijing time, e.g. 2026-12-01T09:30:00+08:00.",
}

schema(
    "ScheduleItem",
    {
        "type": "object",
        "required": [
            "id",
            "kind",
            "title",
            "part_of",
            "start",
            "end",
            "all_day",
            "venue",
            "url",
        ],
        "properties": {
            "id": {
                "type": "string",
                "description": "kind:id, and for an activity's session kind:id:original start "
                "(UTC, yyyymmddThhmmssZ).",
            },
            "kind": {"type": "string", "enum": list(KINDS)},
            "title": {"type": "string"},
            "part_of": {
                "type": "string",
                "description": "The competition, programme or sunshine home it belongs to.",
            },
            "start": LOCAL_TIME,
            "end": {"oneOf": [LOCAL_TIME, {"type": "null"}]},
            "all_day": {
                "type": "boolean",
                "description": "True for an event on a day with no time yet: start is the "
                "day's 00:00 and end the next day's 00:00 (Beijing time).",
            },
            "venue": {
                "oneOf": [{"$ref": "#/components/schemas/VenueRef"}, {"type": "null"}],
            },
            "url": {"type": "string", "format": "uri", "description": "Its public page."},
        },
    },
)

schema(
    "Schedule",
    {
        "type": "object",
        "required": ["from", "to", "items", "next_cursor"],
        "properties": {
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/ScheduleItem"}},
            "next_cursor": api.NEXT_CURSOR_SCHEMA,
        },
    },
)

describe(
    "/schedule",
    {
        "operationId": "getSchedule",
        "summary": "Public events: competition events, performances, home activities",
        "description": "Events starting from 'from' 00:00 to the end of 'to' (Beijing time), "
        "ordered by start, kind, id. 'to' must be on or after 'from' and less than "
        f"{MAX_DAYS} days after it; 'cursor' must be a next_cursor this API gave.",
        "parameters": [
            {
                "name": "from",
                "in": "query",
                "required": False,
                "schema": DATE_SCHEMA,
                "description": "First day, YYYY-MM-DD (default today).",
            },
            {
                "name": "to",
                "in": "query",
                "required": False,
                "schema": DATE_SCHEMA,
                "description": f"Last day, YYYY-MM-DD (default 'from' + {DEFAULT_DAYS} days).",
            },
            {
                "name": "kind",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "enum": ["competition", "performance", "activity"]},
            },
            {
                "name": "town",
                "in": "query",
                "required": False,
                "schema": ID_SCHEMA,
                "description": "A town's id: events at its venues.",
            },
            *api.page_parameters("Items"),
        ],
        "responses": {
            "200": {
                "description": "A page of the schedule.",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Schedule"}}
                },
            },
            "400": ERROR_RESPONSE,
        },
    },
)
