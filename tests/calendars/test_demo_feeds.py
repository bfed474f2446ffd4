"""Every feed the demo publishes, parsed back by two independent parsers (icalendar and ical)
with equal events and times, clean under our lint; recurring activities expanded by two
engines (recurring-ical-events and ical) equal to app.homes.recurrence's occurrences,
exceptions included."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
import sqlalchemy as sa
from ical.calendar_stream import IcsCalendarStream

from app.calendars import feeds, tokens
from app.calendars.lint import lint
from app.calendars.models import CalendarItem, CalendarItemFeed
from app.extensions import db

ZONE = ZoneInfo("Asia/Shanghai")


def as_text(value) -> str:
    if isinstance(value, datetime):
        return value.astimezone(ZONE).strftime("%Y%m%dT%H%M%S")
    return value.isoformat() if value is not None else ""


def icalendar_events(data: bytes) -> set[tuple]:
    return {
        (
            str(e["UID"]),
            as_text(e["RECURRENCE-ID"].dt) if "RECURRENCE-ID" in e else "",
            as_text(e.start),
            as_text(e.end),
            int(e.get("SEQUENCE", 0)),
        )
        for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
    }


def ical_events(data: bytes) -> set[tuple]:
    calendar = IcsCalendarStream.calendar_from_ics(data.decode())
    out = set()
    for e in calendar.events:
        # ical keeps RECURRENCE-ID as written (local 20261112T090000).
        rid = str(e.recurrence_id or "")[:15]
        out.add((e.uid, rid, as_text(e.start), as_text(e.end), e.sequence or 0))
    return out


def demo_feed_urls(client) -> list[str]:
    urls = ["/calendar/public.ics", "/calendar/public.ics?lang=en"]
    keys = db.session.scalars(sa.select(CalendarItemFeed.feed_key).distinct()).all()
    for key in sorted(keys):
        kind, _sep, ident = key.partition(":")
        if kind in ("competition", "programme", "troupe", "home", "venue"):
            urls.append(f"/calendar/{kind}/{ident}.ics")
    from app.accounts.models import User

    for user in db.session.scalars(sa.select(User)):
        urls.append(f"/calendar/u/{tokens.issue(user.id)}.ics")
    db.session.commit()
    return urls


def test_every_demo_feed_parses_the_same_in_both_parsers_and_lints_clean(client, demo):
    urls = demo_feed_urls(client)
    kinds = {url.split("/")[2] for url in urls}
    assert {"public.ics", "competition", "programme", "troupe", "home", "venue", "u"} <= kinds
    from app.people.models import Person

    unconsented = [
        p.name for p in db.session.scalars(sa.select(Person)) if not p.has_publication_consent
    ]
    assert unconsented
    total = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        data = response.data
        assert lint(data) == [], url
        assert len(data) < feeds.MAX_FEED_BYTES
        mine = icalendar_events(data)
        theirs = ical_events(data)
        assert mine == theirs, url
        assert data.count(b"BEGIN:VEVENT") == len(mine)
        total += len(mine)
        if "/u/" not in url:
            text = data.decode().replace("\r\n ", "")
            assert not [name for name in unconsented if name in text], url
    assert total > 100


def test_recurring_activities_expand_alike_in_both_engines_and_match_the_database(demo):
    from app.core import clock
    from app.homes.models import Activity
    from app.homes.recurrence import occurrences

    home_keys = sorted(
        set(
            db.session.scalars(
                sa.select(CalendarItemFeed.feed_key).where(
                    CalendarItemFeed.feed_key.like("home-members:%")
                )
            )
        )
    )
    feed = feeds.Feed(keys=home_keys, name="all activities", filename="x.ics")
    data = feeds.build(db.session, feed, "zh")
    assert lint(data) == []
    today = clock.today()
    start = datetime.combine(today - timedelta(days=60), time(), tzinfo=ZONE)
    end = datetime.combine(today + timedelta(days=365), time(), tzinfo=ZONE)

    expected: set[tuple] = set()
    uids = dict(
        db.session.execute(
            sa.select(CalendarItem.source_id, CalendarItem.uid).where(
                CalendarItem.kind == "activity", CalendarItem.cancelled_at.is_(None)
            )
        ).all()
    )
    activities = db.session.scalars(sa.select(Activity).where(Activity.id.in_(uids))).all()
    exceptions = 0
    for activity in activities:
        exceptions += len(activity.exceptions)
        for occ in occurrences(activity, start, end, include_cancelled=False):
            expected.add((uids[activity.id], as_text(occ.start), as_text(occ.end)))
    assert exceptions >= 2  # the demo cancels and moves some occurrences
    assert len(expected) > 100

    engine_one = {
        (str(e["UID"]), as_text(e.start), as_text(e.end))
        for e in recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(start, end)
    }
    calendar = IcsCalendarStream.calendar_from_ics(data.decode())
    engine_two = {
        (e.uid, as_text(e.start), as_text(e.end))
        for e in calendar.timeline_tz(ZONE).overlapping(start, end)
    }
    assert engine_one == expected
    assert engine_two == expected
