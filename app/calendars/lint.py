"""A lint for what iCalendar parsers let through but real clients break on (calendar.md,
"Checking a feed without the internet"). ``lint(data)`` returns a list of problems; empty
means clean. Used by the tests on every feed the demo publishes."""

from __future__ import annotations

import re
from collections import Counter

MAX_OCTETS = 75
SIZE_WARNING = 1_000_000

_TZID = re.compile(r";TZID=([^;:]+)")
_FLOATING = re.compile(r"^(DTSTART|DTEND|RECURRENCE-ID|EXDATE)(;[^:]*)?:(\d{8}T\d{6})(,|$)")


def unfold(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.split("\r\n"):
        if raw.startswith((" ", "\t")) and lines:
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def lint(data: bytes) -> list[str]:
    problems: list[str] = []
    if len(data) > SIZE_WARNING:
        problems.append(f"feed is {len(data)} bytes, above {SIZE_WARNING}")
    if not data.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    for number, physical in enumerate(data.split(b"\r\n"), 1):
        if b"\n" in physical or b"\r" in physical:
            problems.append(f"line {number}: bare LF or CR (CRLF only)")
        if len(physical) > MAX_OCTETS:
            problems.append(f"line {number}: {len(physical)} octets (more than {MAX_OCTETS})")
        try:
            physical.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number}: not valid UTF-8 on its own (a split character)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return problems + ["not UTF-8"]
    lines = unfold(text)
    stack: list[str] = []
    calendar_props: set[str] = set()
    tzids_defined: set[str] = set()
    tzids_used: set[str] = set()
    seen: Counter = Counter()
    event: dict | None = None
    for line in lines:
        name_part, _sep, value = line.partition(":")
        name = name_part.split(";", 1)[0].upper()
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                event = {"props": {}, "lines": []}
            continue
        if name == "END":
            if not stack or stack[-1] != value:
                problems.append(f"END:{value} does not close {stack[-1] if stack else 'anything'}")
            else:
                stack.pop()
            if value == "VEVENT" and event is not None:
                problems += _check_event(event)
                key = (event["props"].get("UID"), event["props"].get("RECURRENCE-ID"))
                seen[key] += 1
                event = None
            continue
        if stack == ["VCALENDAR"]:
            calendar_props.add(name_part.upper())
        if stack and stack[-1] == "VTIMEZONE" and name == "TZID":
            tzids_defined.add(value)
        for tzid in _TZID.findall(name_part):
            tzids_used.add(tzid)
        if event is not None and len(stack) >= 1 and stack[-1] == "VEVENT":
            event["props"].setdefault(name, name_part)
            if name in ("UID",):
                event["props"]["UID"] = value
            if name == "RECURRENCE-ID":
                event["props"]["RECURRENCE-ID"] = line
            event["lines"].append(line)
    if stack:
        problems.append(f"unclosed: {stack}")
    names = {p.split(";", 1)[0] for p in calendar_props}
    for required in ("VERSION", "PRODID"):
        if required not in names:
            problems.append(f"calendar without {required}")
    if not names & {"NAME", "X-WR-CALNAME"}:
        problems.append("calendar without NAME or X-WR-CALNAME")
    if "REFRESH-INTERVAL;VALUE=DURATION" not in calendar_props:
        problems.append("REFRESH-INTERVAL without VALUE=DURATION (or missing)")
    for tzid in sorted(tzids_used - tzids_defined):
        problems.append(f"TZID {tzid} has no VTIMEZONE")
    for (uid, recurrence), count in seen.items():
        if count > 1:
            problems.append(f"UID {uid} with RECURRENCE-ID {recurrence} appears {count} times")
    return problems


def _check_event(event: dict) -> list[str]:
    problems = []
    uid = event["props"].get("UID", "?")
    for required in ("UID", "DTSTAMP", "DTSTART"):
        if required not in event["props"]:
            problems.append(f"VEVENT {uid} without {required}")
    start_tzid = None
    for line in event["lines"]:
        head = line.split(":", 1)[0]
        if head.split(";", 1)[0] == "DTSTART":
            start_tzid = (_TZID.findall(head) or [None])[0]
    for line in event["lines"]:
        if _FLOATING.match(line) and ";TZID=" not in line.split(":", 1)[0]:
            problems.append(f"VEVENT {uid}: floating time in {line[:40]}")
        head = line.split(":", 1)[0]
        name = head.split(";", 1)[0]
        tzid = (_TZID.findall(head) or [None])[0]
        if name in ("EXDATE", "RECURRENCE-ID") and tzid != start_tzid:
            problems.append(f"VEVENT {uid}: {name} TZID {tzid} differs from DTSTART's {start_tzid}")
        if name == "RRULE":
            value = line.split(":", 1)[1]
            if "COUNT=" in value and "UNTIL=" in value:
                problems.append(f"VEVENT {uid}: RRULE with both COUNT and UNTIL")
            until = re.search(r"UNTIL=([0-9T]+Z?)", value)
            if until and start_tzid and not until.group(1).endswith("Z"):
                problems.append(f"VEVENT {uid}: UNTIL not in UTC")
        if name == "RDATE":
            problems.append(f"VEVENT {uid}: RDATE (some Android providers fail on it)")
    return problems
