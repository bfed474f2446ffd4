"""iCalendar text: one item's VEVENT block(s) rendered with icalendar from its visible fields,
and the calendar wrapper a feed puts around the stored blocks.

``fields`` (a JSON-able dict, app/calendars/sources.py builds it) is the whole input of
``render_item``, so the same fields always give the same bytes (DTSTAMP and LAST-MODIFIED are
the item's last change, never "now"). Keys:

- ``uid``, ``all_day`` (bool), ``start``/``end``: local Beijing ISO date or date-time (the
  end of an all-day item is exclusive), ``status``: CONFIRMED / TENTATIVE / CANCELLED,
  ``url``, ``geo``: [lat, lon] or None;
- ``rrule``: an RRULE value (UNTIL in UTC, never with COUNT) or None, ``exdates``: local
  ISO date-times of cancelled occurrences, ``overrides``: moved occurrences
  ``{"recurrence_id", "start", "end"}`` (local ISO) and, when moved to another venue,
  ``"location": {lang: text}``, ``"description": {lang: text}`` and ``"geo"``;
- ``text``: ``{"zh": {"summary", "location", "description"}, "en": {...}}``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache

import icalendar

from app.core import clock

PRODID = "-//Ronghe//Ronghe calendar feeds 1.0//ZH"
REFRESH = "PT6H"
LANGS = ("zh", "en")


@lru_cache(maxsize=8)
def vtimezone(tzid: str) -> str:
    """The VTIMEZONE block of the feeds' zone (``clock.zone_name()``), from icalendar's
    Timezone.from_tzid from 2000 on, without its COMMENT. A zone that has kept one offset
    since then (China: +08:00 without daylight saving since 1991) gets one STANDARD block
    dated 1970, exact for every date a feed carries. Stored items keep their local times:
    after changing RONGHE_TIMEZONE run ``flask calendars rebuild``."""
    block = icalendar.Timezone.from_tzid(tzid, first_date=date(2000, 1, 1))
    block.pop("COMMENT", None)
    parts = block.subcomponents
    if (
        len(parts) == 1
        and parts[0].name == "STANDARD"
        and parts[0].decoded("TZOFFSETFROM") == parts[0].decoded("TZOFFSETTO")
    ):
        parts[0].pop("DTSTART")
        parts[0].add("DTSTART", datetime(1970, 1, 1))
    return block.to_ical().decode()


# Control characters other than newline and tab cannot appear in a TEXT value.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: str | None) -> str:
    """User text made safe for a TEXT value: CR/LF pairs and lone CRs become newlines (which
    icalendar escapes as ``\\n``, so no text can start a property), other control characters
    go."""
    if not value:
        return ""
    value = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def local(value: str) -> date | datetime:
    """A stored local ISO value as a date or a date-time in the federation's zone."""
    if "T" in value:
        return datetime.fromisoformat(value).replace(tzinfo=clock.zone())
    return date.fromisoformat(value)


def to_local_iso(instant: datetime) -> str:
    """A UTC instant as the stored local form (seconds precision)."""
    return clock.to_local(instant).replace(tzinfo=None, microsecond=0).isoformat()


def render_item(fields: dict, lang: str, *, sequence: int, changed_at: datetime) -> str:
    """The item's VEVENT block(s), CRLF-terminated, folded at 75 octets."""
    text = fields["text"][lang]
    stamp = changed_at.astimezone(UTC).replace(microsecond=0)
    event = _event(fields, text, sequence=sequence, stamp=stamp)
    if fields.get("rrule"):
        event.add("rrule", icalendar.vRecur.from_ical(fields["rrule"]))
        exdates = [local(value) for value in fields.get("exdates") or ()]
        if exdates:
            event.add("exdate", exdates)
    blocks = [event.to_ical().decode()]
    for override in fields.get("overrides") or ():
        moved_text = text
        if override.get("location"):
            moved_text = {**text, "location": override["location"][lang]}
        if override.get("description"):
            moved_text = {**moved_text, "description": override["description"][lang]}
        moved = _event(
            {
                **fields,
                "start": override["start"],
                "end": override["end"],
                "geo": override.get("geo", fields.get("geo")),
            },
            moved_text,
            sequence=sequence + 1,
            stamp=stamp,
        )
        moved.add("recurrence-id", local(override["recurrence_id"]))
        blocks.append(moved.to_ical().decode())
    return "".join(blocks)


def _event(fields: dict, text: dict, *, sequence: int, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", fields["uid"])
    event.add("dtstamp", stamp)
    event.add("dtstart", local(fields["start"]))
    event.add("dtend", local(fields["end"]))
    event.add("sequence", sequence)
    event.add("last-modified", stamp)
    event.add("status", fields.get("status") or "CONFIRMED")
    event.add("summary", clean_text(text["summary"]))
    if text.get("location"):
        event.add("location", clean_text(text["location"]))
    if fields.get("geo"):
        event.add("geo", (float(fields["geo"][0]), float(fields["geo"][1])))
    if fields.get("url"):
        event.add("url", fields["url"])
    if text.get("description"):
        event.add("description", clean_text(text["description"]))
    return event


def fold(line: str) -> str:
    """A content line folded as icalendar 7 folds it: at most 74 octets of content a physical
    line (plus the leading space of a continuation), never inside a UTF-8 character, never
    right after a backslash or caret (an escape stays whole)."""
    data = line.encode()
    if len(data) < 75:
        return line
    parts = []
    start = 0
    while len(data) - start > 74:
        end = start + 74
        while data[end] & 0xC0 == 0x80:  # a continuation byte: back to the character start
            end -= 1
        if data[end - 1] in (0x5C, 0x5E) and end - 1 > start:
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode()


# A URL property, possibly folded over several lines (a continuation starts with a space).
_URL_LINE = re.compile(rb"\r\nURL:((?:[^\r\n]|\r\n )*)(?=\r\n)")
_OUR_PATH = re.compile(r"https?://[^/]*(/calendar/go/.*)")


def rebase_urls(body: bytes, base: str) -> bytes:
    """``body`` with the scheme and host of every URL property that points at our stable
    event address (/calendar/go/…) replaced by ``base``, the line folded again. Outside
    production without RONGHE_BASE_URL the stored items name a guessed address
    (http://127.0.0.1:5000); a feed answers with the host that served it instead."""
    base = base.rstrip("/")

    def swap(match: re.Match) -> bytes:
        ours = _OUR_PATH.fullmatch(match.group(1).replace(b"\r\n ", b"").decode())
        if ours is None:
            return match.group(0)
        return ("\r\n" + fold(f"URL:{base}{ours.group(1)}")).encode()

    return _URL_LINE.sub(swap, body)


def _line(name: str, value: str) -> str:
    return fold(f"{name}:{value}") + "\r\n"


def calendar_head(name: str) -> str:
    """Everything before the first VEVENT."""
    tzid = clock.zone_name()
    escaped = icalendar.vText(clean_text(name).replace("\n", " ")).to_ical().decode()
    return (
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        f"PRODID:{PRODID}\r\n"
        "CALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\n"
        + _line("NAME", escaped)
        + _line("X-WR-CALNAME", escaped)
        + f"X-WR-TIMEZONE:{tzid}\r\n"
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}\r\n"
        f"X-PUBLISHED-TTL:{REFRESH}\r\n" + vtimezone(tzid)
    )


CALENDAR_TAIL = "END:VCALENDAR\r\n"

_ALARM_DESCRIPTION = {"zh": "日程提醒", "en": "Reminder"}


def with_alarm(block: str, minutes: int, lang: str) -> str:
    """Add a display alarm ``minutes`` before the start to every VEVENT of a stored block
    (subscriber opt-in); cancelled blocks stay silent."""
    if "\r\nSTATUS:CANCELLED\r\n" in block:
        return block
    alarm = (
        "BEGIN:VALARM\r\n"
        "ACTION:DISPLAY\r\n"
        f"DESCRIPTION:{_ALARM_DESCRIPTION.get(lang, 'Reminder')}\r\n"
        f"TRIGGER:-PT{minutes}M\r\n"
        "END:VALARM\r\n"
        "END:VEVENT\r\n"
    )
    return block.replace("END:VEVENT\r\n", alarm)
