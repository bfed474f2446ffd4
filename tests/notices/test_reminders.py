"""Day-before reminders (``flask notices remind``): who gets one, its words, idempotency,
consent, quiet hours and a bounded number of statements."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.notices.models import Notice
from app.notices.reminders import queue_reminders
from app.replies.links import reply_url
from tests.notices.conftest import at

TUESDAY_9 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # tomorrow (SUITE_NOW is Monday 10:00)


def reminders():
    return list(
        db.session.scalars(
            sa.select(Notice)
            .where(Notice.change == "reminder")
            .order_by(Notice.subject_kind, Notice.subject_id, Notice.person_id, Notice.id)
        )
    )


@pytest.fixture
def tomorrow(
    contact_person, make_person, make_performance, make_user, make_home, add_members,
    make_activity, make_competition, make_event, make_athlete, enter,
):  # fmt: skip
    """Tomorrow (Tuesday 1 December): a performance, a competition event and a home session,
    with people who asked for reminders and people who did not."""
    a = contact_person(email="a@example.cn", name="甲", wants_reminders=True)
    b = contact_person(email="b@example.cn", name="乙", wants_reminders=True)
    make_user("participant", person_id=b.id, language="en")
    not_asked = contact_person(email="c@example.cn", name="丙")
    no_consent = contact_person(email="d@example.cn", name="丁", contact=False,
                                wants_reminders=True)  # fmt: skip
    performance = make_performance(
        at(1, 14), at(1, 16),
        people=[(a, "performer"), (b, "performer"), (not_asked, "performer"),
                (no_consent, "performer")],
    )  # fmt: skip
    cancelled = make_performance(
        at(1, 19), at(1, 21), title="Called off", people=[(a, "performer")]
    )
    from tests.notices.conftest import save

    save(cancelled, status="cancelled")
    later = make_performance(at(2, 14), at(2, 16), title="Day after", people=[(a, "performer")])

    carer = contact_person(email="carer@example.cn", name="照护人")
    kid = make_person(name="成员甲", guardian_person_id=carer.id, wants_reminders=True)
    kid2 = make_person(name="成员乙", guardian_person_id=carer.id, wants_reminders=True)
    home = make_home()
    add_members(home, [kid.id, kid2.id, not_asked.id])
    activity = make_activity(home, weekdays=(1,))  # Tuesdays 09:00–11:00

    athlete_person = contact_person(email="athlete@example.cn", name="运动员",
                                    wants_reminders=True)  # fmt: skip
    competition = make_competition(start_on=date(2026, 12, 1))
    event = make_event(competition, starts_at=at(1, 9), ends_at=at(1, 11))
    enter(event, make_athlete(person=athlete_person), result=False)

    db.session.execute(sa.delete(Notice))
    db.session.commit()
    return {
        "a": a, "b": b, "carer": carer, "kid": kid, "kid2": kid2, "athlete": athlete_person,
        "performance": performance, "later": later, "activity": activity, "event": event,
    }  # fmt: skip


def test_tomorrows_reminders_go_to_those_who_asked_and_consent(tomorrow):
    t = tomorrow
    assert queue_reminders(db.session) == 4
    db.session.commit()

    # Not: 丙 (did not ask), 丁 (no consent), the kids (no address: their caregiver is told,
    # once for both), the cancelled performance, the one the day after.
    got = reminders()
    assert [
        (n.subject_kind, n.subject_id, n.occurrence_start, n.person_id, n.address, n.language,
         n.facts["about"], n.status.value)
        for n in got
    ] == [
        ("activity", t["activity"].id, TUESDAY_9, t["carer"].id, "carer@example.cn", "zh_Hans",
         [t["kid"].id, t["kid2"].id], "queued"),
        ("competition_event", t["event"].id, at(1, 9), t["athlete"].id, "athlete@example.cn",
         "zh_Hans", [t["athlete"].id], "queued"),
        ("performance", t["performance"].id, at(1, 14), t["a"].id, "a@example.cn", "zh_Hans",
         [t["a"].id], "queued"),
        ("performance", t["performance"].id, at(1, 14), t["b"].id, "b@example.cn", "en",
         [t["b"].id], "queued"),
    ]  # fmt: skip


def test_the_words_of_a_reminder(tomorrow):
    t = tomorrow
    queue_reminders(db.session)
    db.session.commit()
    by_person = {n.person_id: n for n in reminders()}
    performance = t["performance"]
    venue = performance.venue
    english = by_person[t["b"].id]
    link = reply_url(t["b"].id, "performance", performance.id, performance.starts_at)
    assert english.title == "Tomorrow: Spring tour"
    assert english.body_text == (
        "A reminder: this is tomorrow.\n"
        "\n"
        "What: Spring tour\n"
        "When: 2026-12-01 14:00–16:00\n"
        f"Where: {venue.name}, {venue.address}\n"
        f"Details: http://localhost/performances/{performance.id}\n"
        f"Will you come?: {link}\n"
    )
    assert f'<dt>Will you come?</dt><dd><a href="{link}">{link}</a></dd>' in english.body_html
    # The caregiver: one reminder naming both dependants, in Chinese, with the session's
    # reply link (by its start), on which they answer for each of them.
    activity = t["activity"]
    home = activity.home
    carer = by_person[t["carer"].id]
    link = reply_url(t["carer"].id, "session", activity.id, TUESDAY_9)
    lines = carer.body_text.split("\n")
    assert lines[0] == "本通知涉及您照护的成员甲、成员乙。"
    assert lines[3:] == [
        f"活动：{home.name} · Rehab exercise",
        "时间：2026-12-01 09:00–11:00",
        f"地点：{activity.venue.name}，{activity.venue.address}",
        f"详情：http://localhost/homes/activities/{activity.id}",
        f"是否参加：{link}",
        "",
    ]
    athlete = by_person[t["athlete"].id]
    assert "时间：2026-12-01 09:00–11:00" in athlete.body_text.split("\n")
    assert "本通知涉及" not in athlete.body_text  # about themselves


def test_running_it_again_queues_nothing_new(tomorrow, frozen_clock):
    from datetime import timedelta

    from tests.conftest import SUITE_NOW

    assert queue_reminders(db.session) == 4
    db.session.commit()
    keys = {n.idempotency_key for n in reminders()}
    frozen_clock.set(SUITE_NOW + timedelta(hours=9))  # the evening cron run
    assert queue_reminders(db.session) == 0
    db.session.commit()
    assert {n.idempotency_key for n in reminders()} == keys
    # A reminder already sent is not queued again either.
    db.session.execute(sa.update(Notice).values(status="sent"))
    db.session.commit()
    assert queue_reminders(db.session) == 0


def test_no_contact_consent_means_no_reminder(tomorrow):
    from app.people import services
    from app.people.enums import ConsentKind

    for name in ("a", "b", "carer", "athlete"):
        (consent,) = tomorrow[name].active_consents(ConsentKind.CONTACT)
        services.withdraw_consent(consent, withdrawn_on=date(2026, 11, 30))
    db.session.commit()
    assert queue_reminders(db.session) == 0
    assert reminders() == []


def test_a_cancelled_session_or_one_moved_away_is_not_reminded(tomorrow):
    from app.homes import services

    services.cancel_occurrence(tomorrow["activity"], TUESDAY_9, "")
    db.session.commit()
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    queue_reminders(db.session)
    assert "activity" not in {n.subject_kind for n in reminders()}


def test_quiet_hours_hold_a_late_reminder_until_seven(tomorrow, frozen_clock):
    frozen_clock.set(datetime(2026, 11, 30, 15, 30, tzinfo=UTC))  # 23:30 Beijing
    queue_reminders(db.session)
    db.session.commit()
    assert {n.next_try_at for n in reminders()} == {datetime(2026, 11, 30, 23, 0, tzinfo=UTC)}


def test_the_cli_command(tomorrow, runner):
    result = runner.invoke(args=["notices", "remind"])
    assert result.exit_code == 0, result.output
    assert result.output == "4 reminders queued\n"
    assert len(reminders()) == 4
    assert runner.invoke(args=["notices", "remind"]).output == "0 reminders queued\n"


def test_the_long_running_worker_queues_them_once_after_six_in_the_evening(tomorrow):
    from app.notices.worker import remind_if_due

    before = datetime(2026, 11, 30, 9, 59, tzinfo=UTC)  # 17:59 Beijing
    assert remind_if_due(before, None) is None
    assert reminders() == []
    six = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    assert remind_if_due(six, None) == date(2026, 11, 30)
    assert len(reminders()) == 4
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    assert remind_if_due(six, date(2026, 11, 30)) == date(2026, 11, 30)  # done today
    assert reminders() == []


def _day(n, day, weekday, contact_person, make_person, make_performance, make_home,
         add_members, make_activity, make_competition, make_event, make_athlete, enter):  # fmt: skip
    """``n`` performances, sessions and events on ``day`` of December, each with ``n``
    people who asked (one in each with a caregiver)."""
    tag = f"{day}-{n}"
    for i in range(n):
        people = [
            contact_person(email=f"p{tag}-{i}-{j}@example.cn", wants_reminders=True)
            for j in range(n)
        ]
        carer = contact_person(email=f"carer{tag}-{i}@example.cn")
        kid = make_person(guardian_person_id=carer.id, wants_reminders=True)
        make_performance(at(day, 14), at(day, 16), people=[(p, "performer") for p in people]
                         + [(kid, "performer")], override_reason="test")  # fmt: skip
        home = make_home()
        add_members(home, [p.id for p in people] + [kid.id])
        make_activity(home, weekdays=(weekday,))
        competition = make_competition(start_on=date(2026, 12, day))
        event = make_event(competition, starts_at=at(day, 9), ends_at=at(day, 11))
        for p in people:
            enter(event, make_athlete(person=p), result=False)


def test_a_bounded_number_of_statements(
    contact_person, make_person, make_performance, make_home, add_members, make_activity,
    make_competition, make_event, make_athlete, enter, count_queries,
):  # fmt: skip
    from datetime import timedelta

    from tests.conftest import SUITE_NOW

    makers = (contact_person, make_person, make_performance, make_home, add_members,
              make_activity, make_competition, make_event, make_athlete, enter)  # fmt: skip
    _day(1, 1, 1, *makers)  # Tuesday 1 December: one of each
    _day(3, 2, 2, *makers)  # Wednesday 2 December: three of each, three people in each
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    with count_queries() as one:
        few = queue_reminders(db.session, SUITE_NOW)
    with count_queries() as several:
        many = queue_reminders(db.session, SUITE_NOW + timedelta(days=1))
    assert (few, many) == (1 * (3 * 1 + 2), 3 * (3 * 3 + 2))  # n × (3n + 2)
    assert one.count == several.count


def test_a_session_moved_after_its_reminder_is_reminded_for_its_new_day(tomorrow):
    from datetime import timedelta

    from app.homes import services
    from tests.conftest import SUITE_NOW

    queue_reminders(db.session)
    db.session.commit()
    activity = tomorrow["activity"]
    services.move_occurrence(
        activity, TUESDAY_9, date(2026, 12, 2), time(14, 0), time(15, 0), None, "hall booked"
    )
    db.session.commit()
    db.session.execute(sa.delete(Notice).where(Notice.change != "reminder"))
    db.session.commit()
    # Wednesday's: the moved session (the caregiver) and the performance "Day after" (甲).
    assert queue_reminders(db.session, SUITE_NOW + timedelta(days=1)) == 2
    db.session.commit()
    new = [n for n in reminders() if n.subject_kind == "activity"][-1]
    assert (new.person_id, new.occurrence_start) == (tomorrow["carer"].id, TUESDAY_9)
    assert "时间：2026-12-02 14:00–15:00" in new.body_text.split("\n")


def test_from_cron_the_reply_link_is_on_the_sites_address(tomorrow, app, runner):
    """No request and no SERVER_NAME (production's cron): RONGHE_BASE_URL gives the host."""
    from app.replies.links import read

    saved = {k: app.config.get(k) for k in ("SERVER_NAME", "RONGHE_BASE_URL")}
    app.config.update(SERVER_NAME=None, RONGHE_BASE_URL="https://ronghe.example.cn")
    try:
        assert runner.invoke(args=["notices", "remind"]).output == "4 reminders queued\n"
    finally:
        app.config.update(saved)
    english = next(n for n in reminders() if n.person_id == tomorrow["b"].id)
    line = english.body_text.split("\n")[-2]
    assert line.startswith("Will you come?: https://ronghe.example.cn/reply/")
    link = read(line.rsplit("/", 1)[1])
    performance = tomorrow["performance"]
    assert (link.person_id, link.subject_kind, link.subject_id, link.occurrence_start) == (
        tomorrow["b"].id,
        "performance",
        performance.id,
        performance.starts_at,
    )
