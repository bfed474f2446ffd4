"""Feeds over HTTP: headers, conditional requests (304 without building), HEAD, gzip only on
request, language and alarm options, bad parameters, personal tokens (rotate, off), who sees
what, the calendar page and the single-event download; query counts."""

import gzip
import hashlib
import re

import icalendar
import sqlalchemy as sa

from app.calendars import feeds
from app.calendars.lint import lint
from app.calendars.models import CalendarToken
from app.competitions import services
from app.extensions import db


def events_of(data):
    return icalendar.Calendar.from_ical(data).walk("VEVENT")


def test_public_feed_headers_and_body(client, upcoming):
    competition, event = upcoming()
    response = client.get("/calendar/public.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'inline; filename="ronghe-public.ics"'
    assert response.headers["ETag"].startswith('"') and response.headers["Last-Modified"]
    assert "Content-Encoding" not in response.headers
    assert lint(response.data) == []
    uids = sorted(str(e["UID"]) for e in events_of(response.data))
    assert uids == sorted(
        [
            f"competition-{competition.id}@calendar.ronghe.local",
            f"competition-event-{event.id}@calendar.ronghe.local",
        ]
    )


def test_unchanged_feed_is_byte_identical_and_answers_304(client, upcoming, count_queries):
    upcoming()
    first = client.get("/calendar/public.ics")
    second = client.get("/calendar/public.ics")
    assert first.data == second.data and first.headers["ETag"] == second.headers["ETag"]
    with count_queries() as q:
        again = client.get("/calendar/public.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert q.count == 1  # the marks: nothing is built
    since = client.get(
        "/calendar/public.ics", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304


def test_304_does_not_build_the_feed(client, upcoming, monkeypatch):
    upcoming()
    etag = client.get("/calendar/public.ics").headers["ETag"]

    def refuse(*args, **kwargs):
        raise AssertionError("built")

    monkeypatch.setattr("app.calendars.routes.build", refuse)
    assert client.get("/calendar/public.ics", headers={"If-None-Match": etag}).status_code == 304


def test_edit_changes_etag_and_sequence(client, upcoming):
    competition, event = upcoming()
    before = client.get("/calendar/public.ics")
    competition = db.session.get(type(competition), competition.id)
    competition.name = "Ningbo Archery Open"
    db.session.commit()
    after = client.get("/calendar/public.ics", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    sequences = {str(e["UID"]): e["SEQUENCE"] for e in events_of(after.data)}
    assert set(sequences.values()) == {1}
    assert sum("Ningbo Archery Open" in str(e["SUMMARY"]) for e in events_of(after.data)) == 2


def test_removal_moves_etag(client, upcoming):
    competition, event = upcoming()
    before = client.get(f"/calendar/competition/{competition.id}.ics").headers["ETag"]
    db.session.delete(db.session.get(type(event), event.id))
    db.session.commit()
    after = client.get(f"/calendar/competition/{competition.id}.ics")
    assert after.headers["ETag"] != before
    cancelled = [e for e in events_of(after.data) if e["STATUS"] == "CANCELLED"]
    assert len(cancelled) == 1 and cancelled[0]["SEQUENCE"] == 1


def test_cancelled_items_leave_after_30_days(app, upcoming, today):
    from datetime import timedelta

    competition, event = upcoming()
    competition = db.session.get(type(competition), competition.id)
    competition.status = "cancelled"
    db.session.commit()
    feed = feeds.Feed(keys=["public"], name="x", filename="x.ics")
    assert len(events_of(feeds.build(db.session, feed, "en", today=today))) == 2
    later = today + timedelta(days=feeds.CANCELLED_KEEP_DAYS + 1)
    assert events_of(feeds.build(db.session, feed, "en", today=later)) == []
    assert (
        feeds.validator(db.session, feed, "en", None, today)[0]
        != feeds.validator(db.session, feed, "en", None, later)[0]
    )


def test_window_leaves_out_old_and_far_events(client, upcoming, make_competition):
    from datetime import timedelta

    from app.core import clock

    upcoming()
    old = make_competition(start_on=clock.today() - timedelta(days=70))
    far = make_competition(start_on=clock.today() + timedelta(days=400))
    body = client.get("/calendar/public.ics").data.decode()
    assert f"competition-{old.id}@" not in body and f"competition-{far.id}@" not in body


def test_head_gzip_lang_alarm(client, upcoming):
    upcoming()
    plain = client.get("/calendar/public.ics")
    head = client.head("/calendar/public.ics")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == plain.headers["ETag"]
    zipped = client.get("/calendar/public.ics", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    assert (
        client.get(
            "/calendar/public.ics",
            headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]},
        ).status_code
        == 304
    )
    english = client.get("/calendar/public.ics?lang=en")
    assert "Accessibility: Step-free entrance" in english.data.decode().replace("\r\n ", "")
    assert english.headers["ETag"] != plain.headers["ETag"]
    alarmed = client.get("/calendar/public.ics?alarm=60")
    assert len(icalendar.Calendar.from_ical(alarmed.data).walk("VALARM")) == 2
    assert "VALARM" not in plain.data.decode()


def test_bad_parameters_are_400_with_a_message(client, upcoming):
    upcoming()
    for query in ("lang=fr", "alarm=abc", "alarm=-5", "alarm=99999999"):
        response = client.get(f"/calendar/public.ics?{query}")
        assert response.status_code == 400, query
        assert response.mimetype == "text/plain"
        assert b"must be" in response.data


def test_entity_feeds_and_unknown_ids(client, upcoming):
    competition, event = upcoming()
    ok = client.get(f"/calendar/competition/{competition.id}.ics")
    assert ok.status_code == 200 and len(events_of(ok.data)) == 2
    assert client.get(f"/calendar/venue/{competition.venue_id}.ics").status_code == 200
    assert client.get("/calendar/competition/999999.ics").status_code == 404
    assert client.get("/calendar/home/999999.ics").status_code == 404
    # Chinese by default, English on request: the feed's name is in the feed's language.
    assert f"X-WR-CALNAME:融合：{competition.name}".encode() in ok.data
    english = client.get(f"/calendar/competition/{competition.id}.ics?lang=en").data
    assert f"X-WR-CALNAME:Ronghe: {competition.name}".encode() in english


FEED_LINK = re.compile(r"webcal://localhost/calendar/u/([A-Za-z0-9_-]{43})\.ics")


def shown_token(page) -> str | None:
    found = FEED_LINK.search(page.get_data(as_text=True))
    return found[1] if found else None


def test_personal_feed_token_rotation_and_off(client, login_as, upcoming, make_athlete):
    athlete = make_athlete()
    user = login_as("participant", person_id=athlete.person_id)
    competition, event = upcoming()
    services.create_entry(event, athlete_ids=[athlete.id])
    other_competition, other_event = upcoming(days=20)
    db.session.commit()
    page = client.get("/calendar/")
    assert b"Turn my schedule feed on" in page.data
    turned_on = client.post("/calendar/personal/on", follow_redirects=True)
    token = shown_token(turned_on)
    assert token is not None  # 256 bits in URL-safe base64, shown on the page after turning on
    assert (
        b"<svg" in turned_on.data and b"calendar.google.com/calendar/r?cid=webcal" in turned_on.data
    )
    # Issue 13 item 12: the database holds the token's SHA-256 only, and the page shows the
    # address once: reloaded, it says the feed is on and offers a new address.
    stored = db.session.scalar(
        sa.select(CalendarToken.token_hash).where(CalendarToken.user_id == user.id)
    )
    assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored
    again = client.get("/calendar/")
    assert shown_token(again) is None and token not in again.get_data(as_text=True)
    assert b"Your schedule feed is on." in again.data
    feed = client.get(f"/calendar/u/{token}.ics")
    assert feed.status_code == 200 and feed.headers["Cache-Control"] == "no-store"
    uids = {str(e["UID"]) for e in events_of(feed.data)}
    # Only their own items: the competition and event they are entered in, not the other one.
    assert uids == {
        f"competition-{competition.id}@calendar.ronghe.local",
        f"competition-event-{event.id}@calendar.ronghe.local",
    }
    # A new address and turning off ask first: one click changes nothing.
    asked = client.post("/calendar/personal/rotate")
    assert asked.status_code == 200 and b"Give your schedule feed a new address?" in asked.data
    assert client.get(f"/calendar/u/{token}.ics").status_code == 200
    rotated = client.post(
        "/calendar/personal/rotate", data={"confirmed": "yes"}, follow_redirects=True
    )
    assert client.get(f"/calendar/u/{token}.ics").status_code == 404
    new = shown_token(rotated)
    assert new is not None and new != token
    assert client.get(f"/calendar/u/{new}.ics").status_code == 200
    assert client.post("/calendar/personal/off").status_code == 200
    assert client.get(f"/calendar/u/{new}.ics").status_code == 200
    client.post("/calendar/personal/off", data={"confirmed": "yes"})
    assert client.get(f"/calendar/u/{new}.ics").status_code == 404
    assert client.get("/calendar/u/nonsense.ics").status_code == 404
    assert db.session.get(CalendarToken, user.id) is None


def test_a_password_change_or_deactivation_turns_the_feed_off(make_user):
    """Issue 13 item 12: the feed address is a credential; it stops with a new password (own
    change or an admin's reset) and with a deactivated account, audited."""
    from app.accounts import services as accounts
    from app.calendars import tokens
    from app.core.audit import AuditEvent

    admin = make_user("admin")
    user = make_user("participant")
    other = make_user("participant")
    first, kept = tokens.issue(user.id), tokens.issue(other.id)
    db.session.commit()
    accounts.set_password(user, "a long new passphrase 2026", actor=admin)
    db.session.commit()
    assert tokens.owner(first) is None and db.session.get(CalendarToken, user.id) is None
    assert tokens.owner(kept) == (other.id, other.person_id)
    second = tokens.issue(user.id)
    db.session.commit()
    accounts.set_active(user, False, actor=admin)
    db.session.commit()
    assert tokens.owner(second) is None and db.session.get(CalendarToken, user.id) is None
    offs = db.session.scalars(
        sa.select(AuditEvent.action).where(
            AuditEvent.entity == "user",
            AuditEvent.entity_id == user.id,
            AuditEvent.action == "calendar_feed_off",
        )
    ).all()
    assert offs == ["calendar_feed_off", "calendar_feed_off"]


def test_caregiver_feed_holds_dependants_schedule(
    client, login_as, upcoming, make_athlete, make_person
):
    from app.calendars import tokens

    carer = make_person()
    child = make_athlete(person_fields={"guardian_person_id": carer.id})
    user = login_as("participant", person_id=carer.id)
    competition, event = upcoming()
    services.create_entry(event, athlete_ids=[child.id])
    token = tokens.issue(user.id)
    db.session.commit()
    uids = {str(e["UID"]) for e in events_of(client.get(f"/calendar/u/{token}.ics").data)}
    assert f"competition-event-{event.id}@calendar.ronghe.local" in uids


def test_coach_feed_holds_their_athletes_events(client, make_user, upcoming, make_athlete):
    from app.calendars import tokens

    coach = make_user("coach")
    athlete = make_athlete(coaches=[coach])
    competition, event = upcoming()
    services.create_entry(event, athlete_ids=[athlete.id])
    token = tokens.issue(coach.id)
    db.session.commit()
    data = client.get(f"/calendar/u/{token}.ics").data
    assert f"competition-event-{event.id}@".encode() in data


def test_public_feed_names_no_person(client, upcoming, make_athlete, make_person):
    from app.people.models import Person

    guide = make_person(name="隐私向导")
    athlete = make_athlete(person_fields={"name": "未同意运动员"})
    competition, event = upcoming()
    services.create_entry(
        event, athlete_ids=[athlete.id], support=[{"role": "guide", "person_id": guide.id}]
    )
    db.session.commit()
    names = [p.name for p in db.session.scalars(sa.select(Person))]
    for url in ("/calendar/public.ics", "/calendar/public.ics?lang=en"):
        body = client.get(url).data.decode().replace("\r\n ", "")
        assert not [name for name in names if name in body]


def test_single_event_download_and_visibility(client, upcoming, login_as):
    competition, event = upcoming()
    response = client.get(f"/calendar/event/competition_event/{event.id}.ics")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert lint(response.data) == []
    assert len(events_of(response.data)) == 1
    assert client.get("/calendar/event/competition_event/99999.ics").status_code == 404
    assert client.get("/calendar/event/nonsense/1.ics").status_code == 404


def test_go_redirects_to_the_event_page(client, upcoming):
    competition, event = upcoming()
    response = client.get(f"/calendar/go/competition_event/{event.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/competitions/{competition.id}#event-{event.id}")
    assert client.get("/calendar/go/competition/99999").status_code == 404


def test_calendar_page_for_visitors(client, upcoming):
    competition, event = upcoming()
    page = client.get("/calendar/")
    assert page.status_code == 200
    html = page.data.decode()
    assert html.count("<h1") == 1
    assert "webcal://localhost/calendar/public.ics" in html
    assert (
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Flocalhost%2Fcalendar%2Fpublic.ics"
        in html
    )
    assert (
        'role="img"' in html
        and "<title>QR code of the address webcal://localhost/calendar/public.ics</title>" in html
    )
    assert f"/calendar/subscribe/competition/{competition.id}" in html
    assert "Huawei" in html and "Outlook" in html and "iPhone" in html
    sub = client.get(f"/calendar/subscribe/competition/{competition.id}")
    assert (
        sub.status_code == 200
        and f"/calendar/competition/{competition.id}.ics".encode() in sub.data
    )
    assert client.get("/calendar/subscribe/competition/99999").status_code == 404


def test_calendar_page_queries_do_not_grow(client, upcoming, count_queries):
    upcoming()
    with count_queries() as first:
        client.get("/calendar/")
    for days in (5, 15, 25, 35):
        upcoming(days=days)
    with count_queries() as second:
        client.get("/calendar/")
    assert second.count == first.count


def test_feed_queries_do_not_grow(client, upcoming, count_queries, login_as, make_athlete):
    from app.calendars import tokens

    athlete = make_athlete()
    user = login_as("participant", person_id=athlete.person_id)
    token = tokens.issue(user.id)
    db.session.commit()
    counts = []
    for days in (5, 15, 25):
        competition, event = upcoming(days=days)
        services.create_entry(event, athlete_ids=[athlete.id])
        db.session.commit()
        with count_queries() as q:
            client.get("/calendar/public.ics")
            client.get(f"/calendar/u/{token}.ics")
        counts.append(q.count)
    assert counts[0] == counts[-1]


def test_personal_actions_need_sign_in(client):
    response = client.post("/calendar/personal/on")
    assert response.status_code in (302, 401)


def test_admin_export_has_everything(client, login_as, upcoming, make_competition):
    from datetime import date

    upcoming()
    old = make_competition(start_on=date(2016, 9, 7))
    login_as("admin")
    response = client.get("/calendar/export.ics")
    assert response.status_code == 200 and f"competition-{old.id}@".encode() in response.data
    client2 = client.application.test_client()
    assert client2.get("/calendar/export.ics").status_code in (302, 401)


def test_add_to_calendar_macro(app, upcoming):
    from flask import render_template_string

    competition, event = upcoming()
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "calendars/_add.html" import add_to_calendar %}'
            "{{ add_to_calendar('competition_event', event_id) }}",
            event_id=event.id,
        )
    assert f'href="/calendar/event/competition_event/{event.id}.ics' in html
    assert "download" in html and "Add to my calendar" in html
