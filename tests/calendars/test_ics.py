"""The text layer: rendering from fields, escaping and folding, the calendar head, alarms,
the lint, and a golden file of exact bytes for fixed data."""

from datetime import UTC, datetime
from pathlib import Path

import icalendar

from app.calendars.feeds import assemble
from app.calendars.ics import render_item, with_alarm
from app.calendars.lint import lint

GOLDEN = Path(__file__).parent / "golden"
STAMP = datetime(2026, 11, 1, 3, 4, 5, tzinfo=UTC)


def fixed_fields(**overrides):
    fields = {
        "uid": "competition-event-7@calendar.ronghe.local",
        "all_day": False,
        "start": "2026-12-01T09:30:00",
        "end": "2026-12-01T11:00:00",
        "status": "CONFIRMED",
        "url": "http://localhost/calendar/go/competition_event/7",
        "geo": ["29.6612", "121.4085"],
        "text": {
            "zh": {
                "summary": "女子个人反曲弓公开级 · 宁波市残疾人射箭邀请赛",
                "location": "区残疾人体育训练基地，岳林街道体育馆路 18 号",
                "description": "比赛：宁波市残疾人射箭邀请赛\n无障碍：无障碍入口、无障碍卫生间",
            },
            "en": {
                "summary": "Women's individual recurve · Ningbo invitational",
                "location": "Training base, 18 Tiyuguan Rd, Yuelin",
                "description": "Accessibility: step-free entrance, accessible toilet",
            },
        },
    }
    fields.update(overrides)
    return fields


def recurring_fields():
    return fixed_fields(
        uid="activity-3@calendar.ronghe.local",
        start="2026-11-02T09:00:00",
        end="2026-11-02T10:30:00",
        rrule="FREQ=WEEKLY;WKST=MO;INTERVAL=1;BYDAY=MO,TH;UNTIL=20270301T155959Z",
        exdates=["2026-11-05T09:00:00", "2026-11-09T09:00:00"],
        overrides=[
            {
                "recurrence_id": "2026-11-12T09:00:00",
                "start": "2026-11-13T14:00:00",
                "end": "2026-11-13T15:30:00",
            }
        ],
    )


def feed_bytes(lang="zh"):
    blocks = [
        render_item(fixed_fields(), lang, sequence=2, changed_at=STAMP),
        render_item(
            fixed_fields(
                uid="competition-4@calendar.ronghe.local",
                all_day=True,
                start="2026-12-01",
                end="2026-12-04",
                geo=None,
            ),
            lang,
            sequence=0,
            changed_at=STAMP,
        ),
        render_item(recurring_fields(), lang, sequence=1, changed_at=STAMP),
    ]
    return assemble(
        "融合：测试日历" if lang == "zh" else "Ronghe: test", [b.encode() for b in blocks], lang
    )


def test_golden_feed_bytes():
    for lang in ("zh", "en"):
        expected = (GOLDEN / f"fixed-{lang}.ics").read_bytes()
        assert feed_bytes(lang) == expected


def test_golden_feed_is_clean_and_parses():
    data = feed_bytes()
    assert lint(data) == []
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 4
    assert events[0]["SEQUENCE"] == 2
    assert events[0].start == datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
    assert str(events[1].start) == "2026-12-01" and str(events[1].end) == "2026-12-04"
    assert events[3]["SEQUENCE"] == 2  # the moved occurrence is above its master's 1


def test_user_text_cannot_inject_properties():
    nasty = "Archery\r\nSTATUS:CANCELLED\nBEGIN:VALARM\rX-EVIL:1;,\\\x00\x1b end"
    fields = fixed_fields(text={"zh": {"summary": nasty, "location": nasty, "description": nasty}})
    fields["text"]["en"] = fields["text"]["zh"]
    block = render_item(fields, "zh", sequence=0, changed_at=STAMP)
    data = assemble("x", [block.encode()], "zh")
    assert lint(data) == []
    lines = data.decode().split("\r\n")
    assert sum(line.startswith("STATUS:") for line in lines) == 1
    assert not any(line.startswith(("BEGIN:VALARM", "X-EVIL")) for line in lines)
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Archery\nSTATUS:CANCELLED\nBEGIN:VALARM\nX-EVIL:1;,\\ end"
    assert event["STATUS"] == "CONFIRMED"


def test_folding_never_splits_a_character():
    long = "无障碍入口、无障碍卫生间、电梯、无障碍停车位、盲道、无障碍座位" * 4 + "é😀" * 20
    fields = fixed_fields(text={"zh": {"summary": long, "location": long, "description": long}})
    fields["text"]["en"] = fields["text"]["zh"]
    data = assemble(long, [render_item(fields, "zh", sequence=0, changed_at=STAMP).encode()], "zh")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # each physical line is valid UTF-8 on its own
    assert str(icalendar.Calendar.from_ical(data).walk("VEVENT")[0]["SUMMARY"]) == long


def test_same_fields_give_same_bytes():
    assert feed_bytes() == feed_bytes()


def test_alarm_is_added_to_live_events_only():
    live = render_item(fixed_fields(), "en", sequence=0, changed_at=STAMP)
    cancelled = render_item(fixed_fields(status="CANCELLED"), "en", sequence=1, changed_at=STAMP)
    assert "TRIGGER:-PT60M\r\nEND:VALARM\r\nEND:VEVENT" in with_alarm(live, 60, "en")
    assert with_alarm(cancelled, 60, "en") == cancelled
    data = assemble("x", [with_alarm(live, 15, "en").encode()], "en")
    alarm = icalendar.Calendar.from_ical(data).walk("VALARM")[0]
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["TRIGGER"].dt.total_seconds() == -15 * 60


def test_lint_catches_what_parsers_let_through():
    good = feed_bytes()
    assert lint(good) == []
    assert any("CRLF" in p for p in lint(good.replace(b"\r\n", b"\n")))
    no_tz = good.replace(
        b"BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\n", b"BEGIN:VTIMEZONE\r\nTZID:X\r\n"
    )
    assert any("no VTIMEZONE" in p for p in lint(no_tz))
    assert any("VALUE=DURATION" in p for p in lint(good.replace(b";VALUE=DURATION", b"")))
    assert any("both COUNT and UNTIL" in p for p in lint(good.replace(b"INTERVAL=1;", b"COUNT=3;")))
    assert any("not in UTC" in p for p in lint(good.replace(b"155959Z", b"155959")))
    floating = good.replace(
        b"DTSTART;TZID=Asia/Shanghai:20261201T093000", b"DTSTART:20261201T093000"
    )
    assert any("floating" in p for p in lint(floating))
    exdate = good.replace(b"EXDATE;TZID=Asia/Shanghai:", b"EXDATE:")
    assert any("EXDATE" in p for p in lint(exdate))
    twice = good.replace(
        b"END:VCALENDAR",
        good.split(b"BEGIN:VEVENT", 1)[1].join([b"BEGIN:VEVENT", b""]).split(b"END:VCALENDAR")[0]
        + b"END:VCALENDAR",
    )
    assert any("appears 2 times" in p for p in lint(twice))
    split = "SUMMARY:测试".encode()[:-1] + b"\r\n " + "测试".encode()[-1:]
    assert any(
        "split character" in p
        for p in lint(good.replace(b"END:VCALENDAR\r\n", split + b"\r\nEND:VCALENDAR\r\n"))
    )
    assert any(
        "RDATE" in p
        for p in lint(
            good.replace(
                b"SEQUENCE:2\r\n", b"SEQUENCE:2\r\nRDATE;TZID=Asia/Shanghai:20261201T093000\r\n"
            )
        )
    )
    assert any(
        "unclosed" in p or "does not close" in p
        for p in lint(good.replace(b"END:VEVENT\r\n", b"", 1))
    )


def test_own_fold_matches_icalendar():
    """The calendar head (and the benchmark's floor) fold with our own function: it must give
    exactly icalendar's folding, escapes and multi-byte characters included."""
    import warnings

    from icalendar.parser import foldline

    from app.calendars.ics import fold

    samples = ["SUMMARY:" + "测试ab\\;c^" * n for n in range(1, 40)] + [
        "DESCRIPTION:" + "a" * n + "\\n" + "é😀" * n for n in range(60, 80)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for line in samples:
            assert fold(line) == foldline(line), line


def test_oversized_feed_keeps_the_earliest_items_under_the_limit():
    block = render_item(fixed_fields(), "en", sequence=0, changed_at=STAMP).encode()
    blocks = [block.replace(b"competition-event-7@", f"e-{n}@".encode()) for n in range(50)]
    whole = assemble("x", blocks, "en")
    limit = len(whole) // 2
    cut = assemble("x", blocks, "en", limit=limit)
    assert len(cut) <= limit and lint(cut) == []
    uids = [str(e["UID"]) for e in icalendar.Calendar.from_ical(cut).walk("VEVENT")]
    assert uids == [f"e-{n}@calendar.ronghe.local" for n in range(len(uids))]
    assert 20 <= len(uids) < 50
