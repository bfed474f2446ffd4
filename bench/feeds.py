"""Calendar feed benchmark: 10,000 scheduled competition events in a throw-away database.

Prints, in one run:
- floor: a hand-written string builder producing the same bytes as the served feed from the
  items' fields held in memory (asserted byte-identical);
- cold build: every item's VEVENT rendered with icalendar (``rebuild``) and the first request;
- warm request: GET of the feed (select the stored blocks, join);
- one changed: an event's time changes (its block is re-rendered at commit), then the GET;
- 304: a conditional GET with the current ETag;
- peak memory: the process's peak RSS, and the Python heap peak (tracemalloc) of a warm
  request.

    .venv/bin/python -m bench.feeds
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python -m bench.feeds
    BENCH_EVENTS=2000 .venv/bin/python -m bench.feeds

Targets: warm and one-changed within 2x the floor, 304 under 5 ms, peak under 150 MB."""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import time as dtime
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from app import create_app
from app.core import clock
from app.extensions import db
from bench._util import ROOT, timed

EVENTS = int(os.environ.get("BENCH_EVENTS", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "9"))


def seed() -> None:
    """EVENTS events over 100 competitions at 10 venues, all within the next 300 days."""
    from app.athletes.reference import ensure_sports
    from app.competitions.models import Competition, CompetitionEvent
    from app.core.reference import ensure_towns
    from app.venues import services as venue_services

    sports = [s.id for s in ensure_sports(db.session)]
    towns = ensure_towns(db.session)
    venues = [
        venue_services.create_venue(
            name=f"场馆{i}",
            kind="sports_venue",
            town_id=towns[i % len(towns)].id,
            address=f"体育馆路 {i} 号",
            capacity=100,
            latitude="29.6612",
            longitude="121.4085",
            features=["step_free_entrance", "accessible_toilet", "lift"][: 1 + i % 3],
        )
        for i in range(10)
    ]
    db.session.flush()
    today = clock.today()
    conn = db.session.connection()
    competitions = 100
    conn.execute(
        sa.insert(Competition),
        [
            {
                "id": c + 1,
                "name": f"第{c + 1}届区残疾人运动会（基准测试）",
                "level": "district",
                "venue_id": venues[c % 10].id,
                "start_on": today + timedelta(days=3 * c),
                "end_on": today + timedelta(days=3 * c + 2),
                "status": "planned",
                "version": 1,
                "series": "",
                "host_city": "奉化",
                "delegation": "",
                "notes": "",
                "created_at": clock.now(),
                "updated_at": clock.now(),
            }
            for c in range(competitions)
        ],
    )
    rows = []
    for i in range(EVENTS):
        c = i % competitions
        day = today + timedelta(days=3 * c + (i // competitions) % 3)
        start = clock.local_instant(day, dtime(8 + i % 10, 0))
        rows.append(
            {
                "id": i + 1,
                "competition_id": c + 1,
                "name": f"女子个人反曲弓公开级 第{i + 1}组",
                "sport_id": sports[i % len(sports)],
                "gender": "women",
                "sport_class": "Open",
                "is_team": False,
                "starts_at": start,
                "ends_at": start + timedelta(hours=1),
            }
        )
    conn.execute(sa.insert(CompetitionEvent), rows)


# --- the floor: a hand-written builder of the same bytes ----------------------------------


def esc(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


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


def when(value: str) -> str:
    if "T" in value:
        return f";TZID={clock.zone_name()}:" + value.replace("-", "").replace(":", "")
    return ";VALUE=DATE:" + value.replace("-", "")


def floor_block(fields: dict, lang: str, sequence: int, stamp: str) -> str:
    text = fields["text"][lang]
    out = [
        "BEGIN:VEVENT",
        fold("SUMMARY:" + esc(text["summary"])),
        "DTSTART" + when(fields["start"]),
        "DTEND" + when(fields["end"]),
        "DTSTAMP:" + stamp,
        fold("UID:" + fields["uid"]),
        f"SEQUENCE:{sequence}",
        fold("DESCRIPTION:" + esc(text["description"])),
    ]
    if fields.get("geo"):
        out.append(f"GEO:{float(fields['geo'][0])};{float(fields['geo'][1])}")
    out += [
        "LAST-MODIFIED:" + stamp,
        fold("LOCATION:" + esc(text["location"])),
        "STATUS:" + fields["status"],
        fold("URL:" + fields["url"]),
        "END:VEVENT",
        "",
    ]
    return "\r\n".join(out)


def floor_feed(items, name: str, lang: str) -> bytes:
    from app.calendars.ics import CALENDAR_TAIL, calendar_head

    parts = [calendar_head(name)]
    for fields, sequence, changed_at in items:
        parts.append(floor_block(fields, lang, sequence, changed_at.strftime("%Y%m%dT%H%M%SZ")))
    parts.append(CALENDAR_TAIL)
    return "".join(parts).encode()


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS so far) in MB, from /proc (Linux)."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, amount = line.split(":")
                values[name] = int(amount.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def serve(uri: str, cold_path: str) -> dict:
    """The serving side, in a process of its own (as a server would be): first request,
    warm requests, one change then a request, 304s; its own peak memory."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SERVER_NAME": "localhost"})
    from app.calendars import feeds
    from app.competitions.models import CompetitionEvent

    # The subscriber size limit would cut a 10,000-event feed; the bench measures the whole.
    feeds.MAX_FEED_BYTES = 10**10
    client = app.test_client()
    base_rss = rss_mb()[0]

    def get(headers=None):
        with app.app_context():
            response = client.get("/calendar/public.ics", headers=headers or {})
            db.session.remove()
            return response

    started = time.perf_counter()
    cold = get()
    first_ms = (time.perf_counter() - started) * 1000
    Path(cold_path).write_bytes(cold.data)
    events, size = cold.data.count(b"BEGIN:VEVENT"), len(cold.data)
    del cold
    warm_ms = timed(get, RUNS, collect=True)
    etag = get().headers["ETag"]
    not_modified_ms = timed(lambda: get({"If-None-Match": etag}), max(RUNS, 21), collect=True)
    assert get({"If-None-Match": etag}).status_code == 304
    changed_times, commit_times = [], []
    for run in range(RUNS):
        with app.app_context():
            started = time.perf_counter()
            event = db.session.get(CompetitionEvent, 1 + run)
            event.starts_at += timedelta(minutes=30)
            event.ends_at += timedelta(minutes=30)
            db.session.commit()
            commit_times.append((time.perf_counter() - started) * 1000)
            db.session.remove()
        gc.collect()
        started = time.perf_counter()
        response = get({"If-None-Match": etag})
        changed_times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and response.headers["ETag"] != etag
        etag = response.headers["ETag"]
        del response
    tracemalloc.start()
    get()
    heap_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {
        "events": events,
        "size": size,
        "first_ms": first_ms,
        "warm_ms": warm_ms,
        "not_modified_ms": not_modified_ms,
        "commit_ms": statistics.median(commit_times),
        "changed_ms": statistics.median(changed_times),
        "heap_peak": heap_peak,
        "base_rss": base_rss,
        "rss_peak": rss_mb()[1],
    }


def main() -> None:
    import json
    import subprocess

    url = os.environ.get("DATABASE_URL")
    tmp = tempfile.TemporaryDirectory()
    if url:
        uri = "postgresql+psycopg://" + url.split("://", 1)[1]
    else:
        uri = "sqlite:///" + str(Path(tmp.name) / "bench.sqlite3")
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SERVER_NAME": "localhost"})
    from app.calendars.models import CalendarItem
    from app.calendars.sync import rebuild

    with app.app_context():
        db.drop_all()
        db.create_all()
        seed()
        db.session.commit()
        db.session.remove()
        started = time.perf_counter()
        rebuild(db.session, commit_every=500)
        db.session.commit()
        render_ms = (time.perf_counter() - started) * 1000
        db.session.remove()
        items = [
            (fields, sequence, changed_at)
            for fields, sequence, changed_at in db.session.execute(
                sa.select(
                    CalendarItem.fields, CalendarItem.sequence, CalendarItem.changed_at
                ).order_by(CalendarItem.starts_on, CalendarItem.id)
            )
        ]
        db.session.remove()
        with app.test_request_context():
            from flask_babel import force_locale
            from flask_babel import gettext as _

            with force_locale("zh_Hans"):
                name = _("Ronghe: all public events")
        db.engine.dispose()
    cold_path = str(Path(tmp.name) / "cold.ics")
    child = subprocess.run(  # noqa: S603  (this very script, with our own arguments)
        [sys.executable, "-m", "bench.feeds", "--serve", uri, cold_path],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    served = json.loads(child.stdout.strip().splitlines()[-1])
    cold = Path(cold_path).read_bytes()
    floor = floor_feed(items, name, "zh")
    if floor != cold:
        import difflib

        a, b = floor.decode().split("\r\n"), cold.decode().split("\r\n")
        print("\n".join(list(difflib.unified_diff(a, b, lineterm=""))[:40]))
        raise SystemExit("the floor builder must produce the served bytes")
    floor_ms = timed(lambda: floor_feed(items, name, "zh"), RUNS, collect=True)
    s = served
    print(
        f"Calendar feed benchmark: {s['events']:,} VEVENTs ({EVENTS:,} events and their "
        f"competitions), {s['size'] / 2**20:.1f} MB, {uri.split(':')[0]}"
    )
    print("| step | ms |")
    print("|---|---|")
    print(f"| floor: hand-written string builder, same bytes | {floor_ms:.1f} |")
    print(f"| cold: render every item with icalendar (rebuild) | {render_ms:.0f} |")
    print(f"| cold: first request after the rebuild | {s['first_ms']:.1f} |")
    print(f"| warm request | {s['warm_ms']:.1f} ({s['warm_ms'] / floor_ms:.2f}x floor) |")
    print(f"| commit of one changed event (re-renders its block) | {s['commit_ms']:.1f} |")
    print(
        f"| request after one event changed | {s['changed_ms']:.1f} "
        f"({s['changed_ms'] / floor_ms:.2f}x floor) |"
    )
    print(f"| 304 Not Modified | {s['not_modified_ms']:.2f} |")
    print(
        f"Serving process: peak RSS {s['rss_peak']:.0f} MB (app loaded: {s['base_rss']:.0f} MB); "
        f"Python heap peak of one warm request {s['heap_peak']:.0f} MB"
    )
    ok = (
        s["warm_ms"] <= 2 * floor_ms
        and s["changed_ms"] <= 2 * floor_ms
        and s["not_modified_ms"] < 5
        and s["rss_peak"] < 150
    )
    print("targets met" if ok else "TARGETS MISSED")
    tmp.cleanup()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--serve":
        import json

        print(json.dumps(serve(sys.argv[2], sys.argv[3])))
    else:
        main()
