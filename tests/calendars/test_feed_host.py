"""Outside production, with RONGHE_BASE_URL unset, a feed's event URLs name the host that
served the feed (``PORT=5001 make run``), not http://127.0.0.1:5000 (issue 12 item 21).
With RONGHE_BASE_URL set, the stored address is kept whatever the request's host."""

import icalendar
import pytest

from app.calendars import ics
from app.calendars.lint import lint


def urls(data: bytes) -> list[str]:
    return [str(e["URL"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]


@pytest.mark.parametrize("path", ["/calendar/public.ics", "event"])
def test_event_urls_use_the_requests_host(client, upcoming, path):
    competition, event = upcoming()
    if path == "event":
        path = f"/calendar/event/competition_event/{event.id}.ics"
    response = client.get(path, base_url="http://127.0.0.1:5001")
    assert response.status_code == 200
    assert lint(response.data) == []
    found = urls(response.data)
    assert f"http://127.0.0.1:5001/calendar/go/competition_event/{event.id}" in found
    assert all(url.startswith("http://127.0.0.1:5001/calendar/go/") for url in found), found


def test_a_configured_base_url_is_kept(app, client, upcoming):
    competition, event = upcoming()
    app.config["RONGHE_BASE_URL"] = "https://ronghe.example.cn"
    try:
        # Stored at commit time with the configured base: rebuild the items under it.
        from app.calendars import sync
        from app.extensions import db

        sync.rebuild(db.session)
        db.session.commit()
        response = client.get("/calendar/public.ics", base_url="http://127.0.0.1:5001")
    finally:
        app.config["RONGHE_BASE_URL"] = ""
    found = urls(response.data)
    assert f"https://ronghe.example.cn/calendar/go/competition_event/{event.id}" in found
    assert not [url for url in found if "5001" in url]


def test_rebase_refolds_a_long_url_line():
    stored = ics.fold("URL:http://127.0.0.1:5000/calendar/go/competition_event/7" + "0" * 40)
    block = f"BEGIN:VEVENT\r\n{stored}\r\nEND:VEVENT\r\n".encode()
    host = "http://a-rather-long-development-host-name.example.internal:5001"
    out = ics.rebase_urls(block, host).decode()
    lines = out.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert out.replace("\r\n ", "") == (
        f"BEGIN:VEVENT\r\nURL:{host}/calendar/go/competition_event/7{'0' * 40}\r\nEND:VEVENT\r\n"
    )
