"""Items kept in step with competitions through session events: created on commit, SEQUENCE
and text change only on a visible change, cancellation and deletion publish CANCELLED, feed
membership follows entries, marks rise for every feed an item enters or leaves."""

from datetime import timedelta

import sqlalchemy as sa

from app.calendars.models import CalendarFeedMark, CalendarItem, CalendarItemFeed
from app.calendars.sync import rebuild
from app.competitions import services
from app.extensions import db


def item(kind, source_id):
    db.session.expire_all()
    return db.session.scalar(
        sa.select(CalendarItem).where(
            CalendarItem.kind == kind, CalendarItem.source_id == source_id
        )
    )


def keys_of(found):
    return set(
        db.session.scalars(
            sa.select(CalendarItemFeed.feed_key).where(CalendarItemFeed.item_id == found.id)
        )
    )


def mark(key):
    db.session.expire_all()
    found = db.session.get(CalendarFeedMark, key)
    return found.revision if found else 0


def test_commit_creates_items_for_the_competition_and_its_scheduled_event(upcoming):
    competition, event = upcoming()
    whole = item("competition", competition.id)
    timed = item("competition_event", event.id)
    assert whole.uid == f"competition-{competition.id}@calendar.ronghe.local"
    assert timed.uid == f"competition-event-{event.id}@calendar.ronghe.local"
    assert whole.sequence == timed.sequence == 0
    assert "DTSTART;VALUE=DATE:" in whole.ics_zh.decode()
    assert (
        "DTSTART;TZID=Asia/Shanghai:" in timed.ics_zh.decode()
        and "T093000\r\n" in timed.ics_zh.decode()
    )
    assert keys_of(timed) == {
        "public",
        f"competition:{competition.id}",
        f"venue:{competition.venue_id}",
    }
    assert (
        "Accessibility: Step-free entrance, Sign-language interpretation on request"
        in (timed.fields["text"]["en"]["description"])
    )
    assert (
        "Interpretation: sign language on request at this venue"
        in timed.ics_en.decode().replace("\r\n ", "")
    )


def test_unscheduled_event_has_no_timed_item(make_competition, make_event):
    competition = make_competition()
    event = make_event(competition)
    assert item("competition_event", event.id) is None
    assert item("competition", competition.id) is not None


def test_visible_edit_raises_sequence_and_invisible_one_does_not(upcoming):
    competition, event = upcoming()
    before = item("competition_event", event.id)
    text, stamp = before.ics_zh.decode(), before.changed_at
    revision = mark("public")
    # An invisible change (notes are not published): nothing moves.
    competition.notes = "internal"
    db.session.commit()
    same = item("competition_event", event.id)
    assert (same.sequence, same.ics_zh.decode(), same.changed_at) == (0, text, stamp)
    assert mark("public") == revision
    # A new time: SEQUENCE 1, new text, marks of every feed it is in rise.
    event = db.session.get(type(event), event.id)
    event.starts_at += timedelta(hours=1)
    event.ends_at += timedelta(hours=1)
    db.session.commit()
    moved = item("competition_event", event.id)
    assert moved.sequence == 1
    assert "SEQUENCE:1\r\n" in moved.ics_zh.decode() and "T103000\r\n" in moved.ics_zh.decode()
    assert mark("public") == revision + 1
    assert mark(f"competition:{competition.id}") >= 2


def test_cancelled_competition_is_published_cancelled_with_higher_sequence(upcoming):
    competition, event = upcoming()
    competition = db.session.get(type(competition), competition.id)
    competition.status = "cancelled"
    db.session.commit()
    for kind, source_id in (("competition", competition.id), ("competition_event", event.id)):
        found = item(kind, source_id)
        assert found.sequence == 1
        assert found.cancelled_at is not None
        assert "STATUS:CANCELLED\r\n" in found.ics_en.decode()


def test_deleted_event_stays_as_cancelled(upcoming):
    competition, event = upcoming()
    db.session.delete(db.session.get(type(event), event.id))
    db.session.commit()
    found = item("competition_event", event.id)
    assert found.cancelled_at is not None and found.sequence == 1
    assert "STATUS:CANCELLED" in found.ics_zh.decode()


def test_entries_file_the_event_under_athletes_coaches_and_support_people(
    upcoming, make_athlete, make_user, make_person
):
    coach = make_user("coach")
    athlete = make_athlete(coaches=[coach])
    guide = make_person()
    competition, event = upcoming()
    entry, _w = services.create_entry(
        event, athlete_ids=[athlete.id], support=[{"role": "guide", "person_id": guide.id}]
    )
    db.session.commit()
    expected = {f"person:{athlete.person_id}", f"user:{coach.id}", f"person:{guide.id}"}
    timed = item("competition_event", event.id)
    assert expected <= keys_of(timed)
    assert expected <= keys_of(item("competition", competition.id))
    assert timed.sequence == 0  # membership is not a visible change
    revision = mark(f"person:{athlete.person_id}")
    entry = db.session.get(type(entry), entry.id)
    services.set_entry_status(entry, "withdrawn", version=entry.version)
    db.session.commit()
    assert not expected & keys_of(item("competition_event", event.id))
    assert mark(f"person:{athlete.person_id}") == revision + 1


def test_venue_change_reaches_its_items(upcoming):
    competition, event = upcoming()
    from app.venues.models import Venue

    venue = db.session.get(Venue, competition.venue_id)
    venue.address = "新地址 9 号"
    db.session.commit()
    found = item("competition_event", event.id)
    assert found.sequence == 1 and "新地址 9 号" in found.fields["text"]["zh"]["location"]


def test_rollback_leaves_no_trace(upcoming):
    competition, event = upcoming()
    competition = db.session.get(type(competition), competition.id)
    competition.name = "Renamed"
    db.session.flush()
    db.session.rollback()
    assert item("competition", competition.id).sequence == 0


def test_rebuild_is_idempotent(upcoming):
    competition, event = upcoming()
    before = {
        (i.uid, i.sequence, i.ics_zh.decode()) for i in db.session.scalars(sa.select(CalendarItem))
    }
    assert rebuild(db.session) == 0
    db.session.commit()
    after = {
        (i.uid, i.sequence, i.ics_zh.decode()) for i in db.session.scalars(sa.select(CalendarItem))
    }
    assert before == after


def test_rebuild_recreates_lost_items(upcoming):
    competition, event = upcoming()
    db.session.execute(sa.delete(CalendarItem))
    db.session.commit()
    assert rebuild(db.session) > 0
    db.session.commit()
    assert item("competition_event", event.id) is not None


def test_rebuild_command(runner, upcoming):
    competition, event = upcoming()
    event_id = event.id  # the command empties the session as it goes
    db.session.execute(sa.delete(CalendarItem))
    db.session.commit()
    result = runner.invoke(args=["calendars", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Calendar items rebuilt" in result.output
    assert item("competition_event", event_id) is not None


def test_object_flushed_several_times_is_asked_about_once(upcoming, monkeypatch):
    from app.calendars.sources import SOURCES

    competition, _event = upcoming()
    source = SOURCES["competition"]
    calls = []
    original = source.touched

    def counting(session, obj, deleted):
        calls.append((type(obj).__name__, obj.id, deleted))
        return original(session, obj, deleted)

    monkeypatch.setattr(source, "touched", counting)
    before = item("competition", competition.id).sequence
    db.session.get(type(competition), competition.id).name = "First name"
    db.session.flush()
    db.session.get(type(competition), competition.id).name = "Second name"
    db.session.flush()
    db.session.commit()
    assert calls == [("Competition", competition.id, False)]
    assert item("competition", competition.id).sequence == before + 1
