"""Who hears what: the outbox rows a change writes, in the change's transaction (issue 16)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app.core import notify
from app.extensions import db
from app.notices.models import Notice
from tests.conftest import SUITE_NOW
from tests.notices.conftest import at, save


def notices():
    return list(db.session.scalars(sa.select(Notice).order_by(Notice.person_id, Notice.id)))


def test_a_moved_performance_queues_one_email_per_consenting_performer(
    contact_person, make_performance, make_user
):
    a = contact_person(email="a@example.cn")
    b = contact_person(email="b@example.cn")
    make_user("participant", person_id=b.id, language="en")
    no_consent = contact_person(email="c@example.cn", contact=False)
    no_email = contact_person(email="")
    performance = make_performance(
        people=[
            (a, "performer"),
            (b, "interpreter"),
            (no_consent, "performer"),
            (no_email, "performer"),
        ]
    )
    # Creating the performance booked them: those rows are the booking notices.
    assert [(n.person_id, n.change.value) for n in notices()] == [
        (a.id, "booked"),
        (b.id, "booked"),
    ]
    db.session.execute(sa.delete(Notice))
    db.session.commit()

    save(performance, starts_at=at(4, 9), ends_at=at(4, 11))

    rows = notices()
    assert [
        (n.person_id, n.channel.value, n.address, n.language, n.change.value) for n in rows
    ] == [
        (a.id, "email", "a@example.cn", "zh_Hans", "moved"),
        (b.id, "email", "b@example.cn", "en", "moved"),
    ]
    english = rows[1]
    assert english.title == "Changed: Spring tour"
    assert "When: 2026-12-04 09:00–11:00" in english.body_text
    assert "Before: 2026-12-03 14:00–16:00" in english.body_text
    assert f"Details: http://localhost/performances/{performance.id}" in english.body_text
    assert english.status.value == "queued" and english.attempts == 0
    # Held ten minutes so that quick successive changes make one notice (10:00 Beijing now).
    # (The suite's clock ticks from SUITE_NOW: the seconds the test took are added.)
    assert timedelta(minutes=10) <= english.next_try_at - SUITE_NOW < timedelta(minutes=11)
    assert rows[0].idempotency_key != rows[1].idempotency_key


def test_changes_within_ten_minutes_make_one_notice_with_the_latest_state(
    contact_person, make_performance, frozen_clock
):
    a = contact_person(email="a@example.cn")
    performance = make_performance(people=[(a, "performer")])
    db.session.execute(sa.delete(Notice))
    db.session.commit()

    save(performance, starts_at=at(4, 9), ends_at=at(4, 11))
    frozen_clock.set(SUITE_NOW + timedelta(minutes=4))
    save(performance, starts_at=at(5, 19), ends_at=at(5, 21))
    rows = notices()
    assert len(rows) == 1
    assert "时间：2026-12-05 19:00–21:00" in rows[0].body_text
    assert "原安排：2026-12-03 14:00–16:00" in rows[0].body_text  # the state before the first
    frozen_clock.set(SUITE_NOW + timedelta(minutes=9))
    save(performance, status="cancelled")
    rows = notices()
    assert [(n.change.value, n.title) for n in rows] == [("cancelled", "取消：Spring tour")]
    # Eleven minutes after the first change: a new notice.
    frozen_clock.set(SUITE_NOW + timedelta(minutes=11))
    save(performance, status="confirmed")
    assert [n.change.value for n in notices()] == ["cancelled", "restored"]


def test_no_consent_means_nothing_queued(contact_person, make_performance):
    a = contact_person(email="a@example.cn", contact=False)
    performance = make_performance(people=[(a, "performer")])
    save(performance, starts_at=at(4, 9), ends_at=at(4, 11))
    assert notices() == []


def test_a_withdrawn_contact_consent_stops_notices(contact_person, make_performance):
    from app.people import services
    from app.people.enums import ConsentKind

    a = contact_person(email="a@example.cn")
    performance = make_performance(people=[(a, "performer")])
    db.session.execute(sa.delete(Notice))
    (consent,) = a.active_consents(ConsentKind.CONTACT)
    services.withdraw_consent(consent, withdrawn_on=date(2026, 11, 30))
    db.session.commit()
    save(performance, starts_at=at(4, 9), ends_at=at(4, 11))
    assert notices() == []


def test_a_minors_own_consent_does_not_count_only_the_guardians(contact_person, make_performance):
    from app.people import services
    from app.people.models import Consent

    child = contact_person(email="kid@example.cn", birth_on=date(2016, 5, 1), contact=False)
    # A consent recorded as the child's own (the service refuses one now; an old row may
    # exist) does not count for an under-14.
    own = Consent(person=child, kind="contact", given_on=date(2026, 11, 1), given_by="self",
                notice_version="test")  # fmt: skip
    db.session.add(own)
    db.session.commit()
    performance = make_performance(people=[(child, "performer")])
    assert notices() == []
    own.withdrawn_on = date(2026, 11, 30)
    services.record_consent(child, kind="contact", given_on=date(2026, 11, 1), given_by="guardian")
    db.session.commit()
    save(performance, starts_at=at(4, 9), ends_at=at(4, 11))
    assert [n.person_id for n in notices()] == [child.id]


def test_quiet_hours_wait_until_seven_unless_today_or_tomorrow(
    contact_person, make_performance, frozen_clock
):
    a = contact_person(email="a@example.cn")
    later = make_performance(people=[(a, "performer")], starts_at=at(10, 14), ends_at=at(10, 16))
    soon = make_performance(
        people=[(a, "performer")], title="Soon", starts_at=at(2, 14), ends_at=at(2, 16)
    )
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    # 23:30 Beijing on 1 December.
    frozen_clock.set(datetime(2026, 12, 1, 15, 30, tzinfo=UTC))
    save(later, starts_at=at(10, 15), ends_at=at(10, 17))
    save(soon, starts_at=at(2, 15), ends_at=at(2, 17))  # tomorrow: not held back
    by_title = {n.subject_id: n.next_try_at for n in notices()}
    assert by_title[later.id] == datetime(2026, 12, 1, 23, 0, tzinfo=UTC)  # 07:00 Beijing
    held = by_title[soon.id] - datetime(2026, 12, 1, 15, 40, tzinfo=UTC)
    assert timedelta(0) <= held < timedelta(minutes=1)


def test_the_organiser_can_keep_a_typo_fix_quiet(contact_person, make_performance):
    a = contact_person(email="a@example.cn")
    performance = make_performance(people=[(a, "performer")])
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    assert notify.affected_count("performance", performance.id) == 1
    notify.keep_quiet(db.session)
    save(performance, starts_at=at(4, 9), ends_at=at(4, 11))
    assert notices() == []
    # The next save is not quiet any more.
    save(performance, starts_at=at(4, 10), ends_at=at(4, 12))
    assert len(notices()) == 1


def test_a_new_booking_tells_only_the_person_booked(contact_person, make_performance):
    a = contact_person(email="a@example.cn")
    b = contact_person(email="b@example.cn")
    performance = make_performance(people=[(a, "performer")])
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    people = [
        {"person_id": a.id, "role": "performer", "uses_wheelchair": False},
        {"person_id": b.id, "role": "caregiver", "uses_wheelchair": False},
    ]
    save(performance, people=people)
    assert [(n.person_id, n.change.value) for n in notices()] == [(b.id, "booked")]


def test_a_caregiver_is_told_their_dependant_was_booked_not_themselves(
    contact_person, make_person, make_performance
):
    carer = contact_person(email="carer@example.cn", name="照护人")
    dependant = make_person(name="周霞", guardian_person_id=carer.id, guardian_name="照护人")
    performer = contact_person(email="p@example.cn", name="演员甲")
    make_performance(people=[(dependant, "performer"), (performer, "performer")])
    by_person = {n.person_id: n for n in notices()}
    assert set(by_person) == {carer.id, performer.id}
    told = by_person[carer.id].body_text.split("\n")[:2]
    assert told == ["本通知涉及您照护的周霞。", "周霞已被安排参加本次活动。"]
    assert "<p>周霞已被安排参加本次活动。</p>" in by_person[carer.id].body_html
    assert by_person[performer.id].body_text.split("\n")[0] == "您已被安排参加本次活动。"


def test_the_details_link_names_the_host_that_served_the_change(
    app, contact_person, make_performance
):
    """Outside production with RONGHE_BASE_URL unset (``PORT=5071 make run``): the notice's
    details link and its reply link both name the host the organiser used."""
    a = contact_person(email="a@example.cn")
    performance = make_performance(people=[(a, "performer")])
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    server_name = app.config["SERVER_NAME"]
    app.config["SERVER_NAME"] = None
    try:
        with app.test_request_context("/", base_url="http://127.0.0.1:5071"):
            save(performance, starts_at=at(4, 9), ends_at=at(4, 11))
    finally:
        app.config["SERVER_NAME"] = server_name
    text = notices()[0].body_text
    assert f"详情：http://127.0.0.1:5071/performances/{performance.id}\n" in text
    assert "是否参加：http://127.0.0.1:5071/reply/" in text


def test_a_later_change_that_makes_it_tomorrow_is_not_held_by_the_earlier_one(
    contact_person, make_performance, frozen_clock
):
    """23:30 Beijing: a move of a performance ten days away waits for 07:00; five minutes
    later it is moved to tomorrow. The two make one notice (the latest state), and it goes
    after the usual hold instead of waiting for the morning."""
    a = contact_person(email="a@example.cn")
    performance = make_performance(
        people=[(a, "performer")], starts_at=at(10, 14), ends_at=at(10, 16)
    )
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    frozen_clock.set(datetime(2026, 12, 1, 15, 30, tzinfo=UTC))
    save(performance, starts_at=at(10, 15), ends_at=at(10, 17))
    [held] = notices()
    assert held.next_try_at == datetime(2026, 12, 1, 23, 0, tzinfo=UTC)  # 07:00 Beijing
    frozen_clock.set(datetime(2026, 12, 1, 15, 35, tzinfo=UTC))
    save(performance, starts_at=at(2, 15), ends_at=at(2, 17))
    [one] = notices()
    assert one.id == held.id
    soon = one.next_try_at - datetime(2026, 12, 1, 15, 45, tzinfo=UTC)
    assert timedelta(0) <= soon < timedelta(minutes=1)
