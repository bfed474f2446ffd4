"""A one-day competition on the dashboard's next events ends on its own day (issue 12 item
12): the calendar stores an all-day item's end as exclusive (iCalendar's DTEND, the next
day); the dashboard shows and filters by the inclusive last day."""

from __future__ import annotations

from datetime import date, datetime

from app.dashboards import boards as dashboards


def competition_fields(start: str, end_exclusive: str) -> dict:
    return {
        "all_day": True,
        "start": start,
        "end": end_exclusive,
        "status": "CONFIRMED",
        "url": "https://example.org/competitions/1",
        "text": {"en": {"summary": "Open day", "location": "Hall"}},
    }


def test_a_one_day_competition_ends_on_its_day():
    fields = competition_fields("2026-12-05", "2026-12-06")
    events = dashboards._item_events(fields, "en", datetime(2026, 12, 1), datetime(2027, 1, 31))
    assert [(e.start, e.end) for e in events] == [(date(2026, 12, 5), date(2026, 12, 5))]
    # The next day it is over.
    assert (
        dashboards._item_events(fields, "en", datetime(2026, 12, 6, 0, 1), datetime(2027, 1, 31))
        == []
    )
    # On its day it is still to come.
    assert (
        len(dashboards._item_events(fields, "en", datetime(2026, 12, 5, 23), datetime(2027, 1, 31)))
        == 1
    )


def test_a_three_day_competition_ends_on_its_last_day():
    fields = competition_fields("2026-12-05", "2026-12-08")
    events = dashboards._item_events(fields, "en", datetime(2026, 12, 1), datetime(2027, 1, 31))
    assert [(e.start, e.end) for e in events] == [(date(2026, 12, 5), date(2026, 12, 7))]


def test_the_page_shows_one_day_once(app):
    from flask import render_template_string

    event = dashboards.NextEvent(
        date(2026, 12, 5), date(2026, 12, 5), "Open day", "Hall", "/competitions/1", True
    )
    with app.test_request_context():
        text = render_template_string(
            '{% import "core/home.html" as home with context %}{{ home.when(e) }}', e=event
        )
    assert "–" not in text and "2026" in text
