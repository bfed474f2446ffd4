"""Replies feeding the work: the roll-call opens with "cannot come" members pre-marked
absent, the organiser's counts on the performance page, the clash check's warning, and the
signed-in buttons on event pages (with their permission checks)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.homes import recurrence
from app.homes import services as home_services
from app.homes.enums import AbsenceReason, AttendanceStatus
from app.homes.models import Attendance
from app.performances import services as performance_services
from app.replies import links, services
from app.replies.enums import Answer
from app.replies.models import Reply
from tests.replies.conftest import at

TODAY_SESSION = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 09:00–11:00 Beijing


def _answer(app, person_id, kind, subject_id, start, answer, reason="", for_id=None):
    with app.test_request_context():
        who = services.open_link(links.sign(person_id, kind, subject_id, start))
    services.record_answer(who, for_id or person_id, answer, reason, via_link=True)
    db.session.commit()


@pytest.fixture
def session_home(make_user, make_home, add_members, make_activity, make_person):
    staff = make_user("home_staff")
    home = make_home(staff=[staff])
    members = [make_person(name=n) for n in ("甲一", "乙二", "丙三", "丁四")]
    add_members(home, [m.id for m in members])
    activity = make_activity(home, first_day=date(2026, 11, 2))
    return staff, activity, members


def test_roll_call_opens_with_cannot_come_members_pre_marked_absent(
    app, client, login_as, session_home
):
    staff, activity, members = session_home
    _answer(app, members[1].id, "session", activity.id, TODAY_SESSION, Answer.NOT_COMING, "看病")
    _answer(app, members[2].id, "session", activity.id, TODAY_SESSION, Answer.COMING)
    login_as(user=staff)
    key = recurrence.occurrence_key(TODAY_SESSION)
    url = f"/homes/activities/{activity.id}/sessions/{key}/roll-call"
    html = client.get(url).get_data(as_text=True)
    assert html.count("absent: said they cannot come") == 1
    assert "(看病)" in html
    line = html[html.rindex("<li", 0, html.index(f'id="member-{members[1].id}"')) :]
    line = line[: line.index("</li>")]
    assert "rollcall-marked-absent" in line
    assert '<option value="other" selected>' in line
    # "Mark the rest present" marks them absent (other) and everyone else present.
    home_services.mark_rest_present(
        activity, TODAY_SESSION, {m.id for m in members}, staff, now=at(30, 10, month=11)
    )
    db.session.commit()
    marks = {
        a.person_id: (a.status, a.absence_reason) for a in db.session.scalars(sa.select(Attendance))
    }
    assert marks == {
        members[0].id: (AttendanceStatus.PRESENT, None),
        members[1].id: (AttendanceStatus.ABSENT, AbsenceReason.OTHER),
        members[2].id: (AttendanceStatus.PRESENT, None),
        members[3].id: (AttendanceStatus.PRESENT, None),
    }
    # Staff can still change it: the member came after all.
    response = client.post(url, data={"person_id": members[1].id, "status": "present"})
    assert response.status_code == 303
    db.session.expire_all()
    assert (
        db.session.scalars(
            sa.select(Attendance.status).where(Attendance.person_id == members[1].id)
        ).one()
        == AttendanceStatus.PRESENT
    )
    html = client.get(url).get_data(as_text=True)
    assert "absent: said they cannot come" not in html


def test_a_staff_mark_wins_over_the_reply_on_the_page(app, client, login_as, session_home):
    staff, activity, members = session_home
    _answer(app, members[0].id, "session", activity.id, TODAY_SESSION, Answer.NOT_COMING)
    home_services.record_marks(
        activity,
        TODAY_SESSION,
        [home_services.Mark(members[0].id, AttendanceStatus.PRESENT)],
        {m.id for m in members},
        staff,
        at(30, 10, month=11),
    )
    db.session.commit()
    login_as(user=staff)
    key = recurrence.occurrence_key(TODAY_SESSION)
    html = client.get(f"/homes/activities/{activity.id}/sessions/{key}/roll-call").get_data(
        as_text=True
    )
    assert "absent: said they cannot come" not in html


@pytest.fixture
def show(make_person, make_performance):
    people = [make_person(name=n) for n in ("周一", "吴二", "郑三", "王四", "冯五")]
    performance = make_performance(people=[(p, "performer") for p in people])
    return performance, people


def test_the_organiser_sees_who_confirmed_and_who_cannot_come(
    app, client, login_as, organiser, show, count_queries
):
    performance, people = show
    _answer(app, people[0].id, "performance", performance.id, at(3, 14), Answer.COMING)
    _answer(app, people[1].id, "performance", performance.id, at(3, 14), Answer.COMING)
    _answer(app, people[2].id, "performance", performance.id, at(3, 14), Answer.NOT_COMING, "腿伤")
    login_as(user=organiser)
    html = client.get(f"/performances/{performance.id}").get_data(as_text=True)
    assert "Will come: 2. Cannot come: 1. No answer: 2." in html
    section = html[html.index('id="reply-tally"') :]
    not_coming = section[section.index("reply-tally-not-coming") :]
    not_coming = not_coming[: not_coming.index("</ul>")]
    assert "郑三: 腿伤" in not_coming
    coming = section[section.index("reply-tally-coming") :]
    coming = coming[: coming.index("</ul>")]
    assert "周一" in coming and "吴二" in coming and "郑三" not in coming


def test_no_tally_for_a_cancelled_show_or_an_ended_one_nobody_answered(
    app, client, login_as, organiser, show, make_performance, make_person
):
    performance, _people = show
    login_as(user=organiser)
    url = f"/performances/{performance.id}"
    assert "No answer: 5." in client.get(url).get_data(as_text=True)
    performance = db.session.get(type(performance), performance.id)
    performance.status = "cancelled"
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert 'id="reply-tally"' not in html
    assert "Add to my calendar" not in html
    # Ended (2026-11-20, before the suite's 2026-11-30): nobody answered, nothing to show;
    # an answer given before it ended, and the tally is there.
    start, end = at(20, 14, month=11), at(20, 16, month=11)
    chen = make_person(name="陈六")
    ended = make_performance(start, end, people=[(chen, "performer")])
    assert 'id="reply-tally"' not in client.get(f"/performances/{ended.id}").get_data(as_text=True)
    db.session.add(
        Reply(
            person_id=chen.id,
            subject_kind="performance",
            subject_id=ended.id,
            occurrence_start=start,
            occurrence_end=end,
            answer=Answer.COMING,
        )
    )
    db.session.commit()
    assert "Will come: 1. Cannot come: 0. No answer: 0." in client.get(
        f"/performances/{ended.id}"
    ).get_data(as_text=True)


def test_the_tally_is_not_shown_to_participants(app, client, login_as, show):
    performance, people = show
    _answer(app, people[2].id, "performance", performance.id, at(3, 14), Answer.NOT_COMING, "腿伤")
    login_as("participant", person_id=people[0].id)
    html = client.get(f"/performances/{performance.id}").get_data(as_text=True)
    assert 'id="reply-tally"' not in html
    assert "腿伤" not in html


def test_the_clash_check_warns_when_a_booked_performer_cannot_come(app, show, organiser):
    performance, people = show
    _answer(app, people[3].id, "performance", performance.id, at(3, 14), Answer.NOT_COMING)
    with app.test_request_context():
        clashes = performance_services.clashes_for(
            performance.starts_at,
            performance.ends_at,
            performance.venue_id,
            [p.id for p in people],
            performance.id,
        )
    replies = [c for c in clashes if c.booking.kind == "reply"]
    assert len(replies) == 1
    assert replies[0].person_ids == frozenset({people[3].id})
    assert replies[0].booking.title == "an answer “I cannot come”"
    # Saving the performance again (a new time overlapping the old one) asks about it.
    data = {
        "title": performance.title,
        "programme_id": performance.programme_id,
        "troupe_id": None,
        "setting": "village",
        "venue_id": performance.venue_id,
        "starts_at": at(3, 15),
        "ends_at": at(3, 17),
        "status": "confirmed",
        "is_public": True,
        "needs": [],
        "people": [
            {"person_id": p.id, "role": "performer", "uses_wheelchair": False} for p in people
        ],
    }
    with app.test_request_context(), pytest.raises(performance_services.ClashError) as error:
        performance_services.save_performance(performance, data, version=performance.version)
    assert [c.booking.kind for c in error.value.clashes] == ["reply"]
    db.session.rollback()
    # Once they say they will come, no warning.
    _answer(app, people[3].id, "performance", performance.id, at(3, 14), Answer.COMING)
    with app.test_request_context():
        assert (
            performance_services.clashes_for(
                performance.starts_at,
                performance.ends_at,
                performance.venue_id,
                [p.id for p in people],
                performance.id,
            )
            == []
        )


def test_a_signed_in_performer_answers_on_the_performance_page(app, client, login_as, show):
    performance, people = show
    login_as("participant", person_id=people[4].id)
    html = client.get(f"/performances/{performance.id}").get_data(as_text=True)
    assert f'id="replies-performance-{performance.id}-title"' in html
    assert html.count('name="person_id"') == 1
    action = f"/reply/mine/performance/{performance.id}/20261203T060000Z"
    assert f'action="{action}?back=/performances/{performance.id}"' in html
    response = client.post(
        action, data={"person_id": people[4].id, "answer": "not_coming", "reason": "出差"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/performances/{performance.id}#replies-performance-{performance.id}"
    )
    reply = db.session.scalars(sa.select(Reply)).one()
    assert (reply.person_id, reply.answer, reply.reason, reply.via_link) == (
        people[4].id,
        Answer.NOT_COMING,
        "出差",
        False,
    )
    assert reply.answered_by_id is not None
    assert "Answer saved: cannot come. Reason: 出差" in client.get(
        f"/performances/{performance.id}"
    ).get_data(as_text=True)
    # Not for someone else booked on the same performance.
    client.post(action, data={"person_id": people[0].id, "answer": "coming"})
    assert db.session.scalars(sa.select(sa.func.count(Reply.id))).one() == 1


def test_an_answer_to_a_performance_moved_meanwhile_goes_back_to_its_page_with_why(
    app, client, login_as, show
):
    performance, people = show
    login_as("participant", person_id=people[4].id)
    html = client.get(f"/performances/{performance.id}").get_data(as_text=True)
    action = f"/reply/mine/performance/{performance.id}/20261203T060000Z?back=/performances/{performance.id}"
    assert f'action="{action}"' in html
    # The organiser moves the show an hour later while the page is open.
    performance = db.session.get(type(performance), performance.id)
    performance.starts_at += timedelta(hours=1)
    performance.ends_at += timedelta(hours=1)
    db.session.commit()
    response = client.post(
        action, data={"person_id": people[4].id, "answer": "not_coming", "reason": "出差"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/performances/{performance.id}"
    page = client.get(f"/performances/{performance.id}").get_data(as_text=True)
    assert (
        "This event was moved or removed after you opened the page, so your answer was not"
        " saved. Check the page as it is now and answer again."
    ) in page
    assert f"/reply/mine/performance/{performance.id}/20261203T070000Z?back=" in page
    assert db.session.scalars(sa.select(sa.func.count(Reply.id))).one() == 0
    # Somewhere else than this site: not followed, the plain 404 as before.
    elsewhere = action.replace(f"back=/performances/{performance.id}", "back=//evil.example")
    assert client.post(elsewhere, data={"answer": "coming"}).status_code == 404


def test_a_user_with_nobody_expected_gets_no_buttons_and_a_404(
    app, client, login_as, show, make_person
):
    performance, _people = show
    stranger = make_person(name="路人")
    login_as("participant", person_id=stranger.id)
    action = f"/reply/mine/performance/{performance.id}/20261203T060000Z"
    assert (
        client.post(action, data={"person_id": stranger.id, "answer": "coming"}).status_code == 404
    )
    login_as("organiser")  # no register person
    assert client.post(action, data={"answer": "coming"}).status_code == 404
    assert db.session.scalars(sa.select(sa.func.count(Reply.id))).one() == 0


def test_signed_in_reply_routes_refuse_anonymous_visitors(client, show):
    performance, people = show
    action = f"/reply/mine/performance/{performance.id}/20261203T060000Z"
    response = client.post(action, data={"person_id": people[0].id, "answer": "coming"})
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["Location"]
    page = client.get(f"/reply/page/performance/{performance.id}/20261203T060000Z")
    assert page.status_code in (302, 303) and "/login" in page.headers["Location"]


def test_a_member_answers_on_the_session_page(app, client, login_as, session_home):
    _staff, activity, members = session_home
    login_as("participant", person_id=members[3].id)
    key = recurrence.occurrence_key(datetime(2026, 12, 7, 1, 0, tzinfo=UTC))
    html = client.get(f"/homes/activities/{activity.id}/sessions/{key}").get_data(as_text=True)
    assert f'id="replies-session-{activity.id}-title"' in html
    response = client.post(
        f"/reply/mine/session/{activity.id}/{key}",
        data={"person_id": members[3].id, "answer": "coming"},
    )
    assert response.status_code == 303
    reply = db.session.scalars(sa.select(Reply)).one()
    assert (reply.person_id, reply.answer, reply.occurrence_start) == (
        members[3].id,
        Answer.COMING,
        datetime(2026, 12, 7, 1, 0, tzinfo=UTC),
    )


def test_an_athlete_and_a_caregiver_answer_on_the_competition_page(
    app, client, login_as, make_competition, make_event, make_athlete, enter, make_person
):
    carer = make_person(name="钱妈妈")
    athlete = make_athlete(person_fields={"name": "钱小军", "guardian_person_id": carer.id})
    other = make_athlete(person_fields={"name": "孙大力"})
    competition = make_competition(start_on=date(2026, 12, 10))
    event = make_event(competition)
    untimed = make_event(competition, name="Men's recurve open", gender="men")
    event.starts_at, event.ends_at = at(10, 9), at(10, 11)
    enter(event, athlete, result=False)
    enter(event, other, result=False)
    enter(untimed, athlete, result=False)
    db.session.commit()
    login_as("participant", person_id=carer.id)
    html = client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    assert f'id="replies-event-{event.id}"' in html
    assert f'id="replies-event-{untimed.id}"' not in html  # no start and end: no replies
    assert html.count('name="person_id"') == 1
    response = client.post(
        f"/reply/mine/event/{event.id}/20261210T010000Z",
        data={"person_id": athlete.person_id, "answer": "coming"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(
        f"/competitions/{competition.id}#replies-event-{event.id}"
    )
    reply = db.session.scalars(sa.select(Reply)).one()
    assert (reply.person_id, reply.caregiver_person_id, reply.subject_kind.value) == (
        athlete.person_id,
        carer.id,
        "event",
    )
    # The other athlete's family sees nothing of it; a visitor sees no buttons.
    login_as("participant", person_id=other.person_id)
    html = client.get(f"/competitions/{competition.id}").get_data(as_text=True)
    assert html.count('name="person_id"') == 1 and "钱小军" not in html.split("reply-people")[1]


def test_the_organiser_view_and_the_link_page_do_not_grow_with_replies(
    app, client, login_as, organiser, make_person, make_performance, count_queries
):
    def setup(n, day):
        people = [make_person() for _ in range(n)]
        performance = make_performance(
            at(day, 14), at(day, 16), people=[(p, "performer") for p in people]
        )
        for p in people[: n // 2]:
            _answer(app, p.id, "performance", performance.id, at(day, 14), Answer.NOT_COMING, "x")
        for p in people[n // 2 :]:
            _answer(app, p.id, "performance", performance.id, at(day, 14), Answer.COMING)
        return performance.id, [p.id for p in people], day

    def measure(performance_id, people, day):
        login_as(user=organiser)
        with count_queries() as page:
            html = client.get(f"/performances/{performance_id}").get_data(as_text=True)
        assert f"Cannot come: {len(people) // 2}." in html
        with app.test_request_context():
            path = links.reply_url(people[0], "performance", performance_id, at(day, 14))
        with count_queries() as link:
            assert client.get(path.split("localhost", 1)[-1]).status_code == 200
        return page.count, link.count

    few, many = setup(2, 3), setup(12, 5)
    small, large = measure(*few), measure(*many)
    assert small == large


def test_the_subject_page_link_of_a_clash_leads_to_the_subject(app, client, login_as, show):
    performance, _people = show
    login_as("organiser")
    response = client.get(f"/reply/page/performance/{performance.id}/20261203T060000Z")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/performances/{performance.id}")
    assert (
        client.get(f"/reply/page/performance/{performance.id}/20261204T060000Z").status_code == 404
    )
    assert client.get(f"/reply/page/performance/{performance.id}/garbage").status_code == 404
