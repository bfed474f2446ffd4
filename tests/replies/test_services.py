"""Reply rules without HTTP: opening a link (expiry, nothing named), once per choice, change
of answer with its audit rows, caregivers answering for three dependants, permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core import clock
from app.core.audit import AuditEvent
from app.core.errors import DomainError
from app.extensions import db
from app.replies import links, services
from app.replies.enums import Answer, SubjectKind
from app.replies.models import Reply
from tests.replies.conftest import at


@pytest.fixture
def booked(make_person, make_performance):
    """A performance on 3 December 14:00–16:00 (Beijing) with two performers."""
    first = make_person(name="张小明")
    second = make_person(name="李红")
    performance = make_performance(people=[(first, "performer"), (second, "performer")])
    return performance, first, second


def _open(app, person_id, kind, subject_id, start):
    with app.test_request_context():
        return services.open_link(links.sign(person_id, kind, subject_id, start))


def _replies():
    return db.session.scalars(sa.select(Reply).order_by(Reply.person_id)).all()


def test_a_link_opens_its_occurrence_with_what_when_where(app, booked):
    performance, first, _second = booked
    who = _open(app, first.id, "performance", performance.id, performance.starts_at)
    assert who.person.id == first.id
    assert [p.id for p in who.people] == [first.id]
    assert who.subject.title == "Spring tour"
    assert (who.subject.start, who.subject.end) == (at(3, 14), at(3, 16))
    assert who.subject.venue.startswith("测试场馆")
    assert who.subject.cancelled is False


def test_a_link_expires_when_the_occurrence_ends(app, booked, frozen_clock):
    performance, first, _second = booked
    token = None
    with app.test_request_context():
        token = links.sign(first.id, "performance", performance.id, performance.starts_at)
    frozen_clock.set(at(3, 16) - timedelta(seconds=1))
    assert services.open_link(token).person.id == first.id
    frozen_clock.set(at(3, 16))
    with pytest.raises(services.LinkRefused) as refused:
        services.open_link(token)
    assert refused.value.why == "expired"


def test_a_link_naming_nothing_or_an_old_start_is_invalid(app, booked):
    performance, first, _second = booked
    for person_id, subject_id, start in (
        (first.id, performance.id + 1000, performance.starts_at),  # no such performance
        (first.id + 1000, performance.id, performance.starts_at),  # no such person
        (first.id, performance.id, performance.starts_at - timedelta(days=1)),  # moved since
    ):
        with pytest.raises(services.LinkRefused) as refused:
            _open(app, person_id, "performance", subject_id, start)
        assert refused.value.why == "invalid"
    with pytest.raises(services.LinkRefused) as refused:
        services.open_link("tampered." + "x" * 20)
    assert refused.value.why == "invalid"


def test_once_per_choice_and_a_change_of_answer(app, booked):
    performance, first, _second = booked
    who = _open(app, first.id, "performance", performance.id, performance.starts_at)
    reply, changed = services.record_answer(who, first.id, Answer.COMING, via_link=True)
    db.session.commit()
    assert changed is True
    assert (reply.answer, reply.reason, reply.version, reply.via_link) == (
        Answer.COMING,
        "",
        1,
        True,
    )
    # The same choice again: stored once, nothing changes, no audit row.
    again, changed = services.record_answer(who, first.id, Answer.COMING, via_link=True)
    db.session.commit()
    assert changed is False
    assert again.id == reply.id and again.version == 1
    # A change of mind: the same row, a new version, the reason kept.
    changed_reply, changed = services.record_answer(
        who, first.id, Answer.NOT_COMING, "  hospital appointment ", via_link=True
    )
    db.session.commit()
    assert changed is True
    assert [(r.person_id, r.answer, r.reason, r.version) for r in _replies()] == [
        (first.id, Answer.NOT_COMING, "hospital appointment", 2)
    ]
    assert changed_reply.occurrence_start == performance.starts_at
    assert changed_reply.occurrence_end == performance.ends_at
    assert changed_reply.subject_kind == SubjectKind.PERFORMANCE
    audits = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.entity == "reply").order_by(AuditEvent.id)
    ).all()
    assert [(a.action, a.fields, a.entity_id) for a in audits] == [
        ("create", "answer", reply.id),
        ("update", "answer,reason", reply.id),
    ]
    # The reason's text is never in the audit log.
    assert all("hospital" not in str(a.details) for a in audits)


def test_coming_drops_the_reason(app, booked):
    performance, first, _second = booked
    who = _open(app, first.id, "performance", performance.id, performance.starts_at)
    services.record_answer(who, first.id, Answer.NOT_COMING, "ill")
    reply, _ = services.record_answer(who, first.id, Answer.COMING, "ill")
    assert (reply.answer, reply.reason) == (Answer.COMING, "")


def test_a_person_cannot_answer_for_someone_else(app, booked, make_person):
    performance, first, second = booked
    who = _open(app, first.id, "performance", performance.id, performance.starts_at)
    with pytest.raises(DomainError) as error:
        services.record_answer(who, second.id, Answer.COMING)
    assert str(error.value.message) == "You cannot answer for this person."
    assert _replies() == []


def test_someone_not_booked_has_nobody_to_answer_for(app, booked, make_person):
    performance, _first, _second = booked
    stranger = make_person(name="王五")
    who = _open(app, stranger.id, "performance", performance.id, performance.starts_at)
    assert who.people == []
    with pytest.raises(DomainError):
        services.record_answer(who, stranger.id, Answer.COMING)


def test_a_caregiver_answers_for_each_of_three_dependants(
    app, make_person, make_performance, frozen_clock
):
    carer = make_person(name="赵妈妈")
    children = [make_person(name=n, guardian_person_id=carer.id) for n in ("赵一", "赵二", "赵三")]
    other_child = make_person(name="赵四", guardian_person_id=carer.id)  # not booked
    performance = make_performance(people=[(c, "performer") for c in children])
    who = _open(app, carer.id, "performance", performance.id, performance.starts_at)
    assert sorted(p.id for p in who.people) == sorted(c.id for c in children)
    assert other_child.id not in {p.id for p in who.people}
    services.record_answer(who, children[0].id, Answer.COMING, via_link=True)
    services.record_answer(who, children[1].id, Answer.NOT_COMING, "fever", via_link=True)
    services.record_answer(who, children[2].id, Answer.COMING, via_link=True)
    db.session.commit()
    rows = {r.person_id: r for r in _replies()}
    assert {pid: (r.answer, r.reason, r.caregiver_person_id) for pid, r in rows.items()} == {
        children[0].id: (Answer.COMING, "", carer.id),
        children[1].id: (Answer.NOT_COMING, "fever", carer.id),
        children[2].id: (Answer.COMING, "", carer.id),
    }
    with pytest.raises(DomainError):
        services.record_answer(who, other_child.id, Answer.COMING)


def test_a_cancelled_or_ended_occurrence_takes_no_answer(app, booked, frozen_clock):
    performance, first, _second = booked
    who = _open(app, first.id, "performance", performance.id, performance.starts_at)
    frozen_clock.set(performance.ends_at)
    with pytest.raises(DomainError) as error:
        services.record_answer(who, first.id, Answer.COMING)
    assert str(error.value.message) == "This has already ended: answers are closed."
    frozen_clock.set(clock.now() - timedelta(days=10))
    performance.status = "cancelled"
    db.session.commit()
    who = _open(app, first.id, "performance", performance.id, performance.starts_at)
    with pytest.raises(DomainError):
        services.record_answer(who, first.id, Answer.COMING)


def test_a_long_reason_is_refused(app, booked):
    performance, first, _second = booked
    who = _open(app, first.id, "performance", performance.id, performance.starts_at)
    with pytest.raises(DomainError) as error:
        services.record_answer(who, first.id, Answer.NOT_COMING, "x" * 201)
    assert error.value.field == "reason"
    services.record_answer(who, first.id, Answer.NOT_COMING, "x" * 200)


def test_a_session_link_keys_the_original_start_and_follows_a_move(
    app, make_person, make_home, add_members, make_activity
):
    from datetime import date, time

    from app.homes import services as home_services

    member = make_person(name="陈静")
    home = make_home()
    add_members(home, [member.id])
    activity = make_activity(home)  # Mondays 09:00–11:00 from 2 November
    original = at(7, 9)  # Monday 7 December
    home_services.move_occurrence(
        activity, original, date(2026, 12, 8), time(14), time(16), None, ""
    )
    db.session.commit()
    who = _open(app, member.id, "session", activity.id, original)
    assert (who.subject.start, who.subject.end) == (at(8, 14), at(8, 16))
    reply, _ = services.record_answer(who, member.id, Answer.NOT_COMING, "")
    assert reply.occurrence_start == original
    assert reply.occurrence_end == at(8, 16)


def test_a_first_answer_racing_another_answers_over_it(app, booked, monkeypatch):
    """Two first answers at the same instant (a double tap): the one that loses the race on
    the unique constraint finds the other's row and answers over it, never a 500."""
    performance, first, _second = booked
    who = _open(app, first.id, "performance", performance.id, performance.starts_at)
    services.record_answer(who, first.id, Answer.COMING, via_link=True)
    db.session.commit()
    real = services._existing
    calls = []

    def not_yet_visible(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(services, "_existing", not_yet_visible)
    reply, changed = services.record_answer(who, first.id, Answer.NOT_COMING, "rain")
    db.session.commit()
    assert changed is True and len(calls) == 2
    assert [(r.answer, r.reason, r.version) for r in _replies()] == [(Answer.NOT_COMING, "rain", 2)]
    calls.clear()
    reply, changed = services.record_answer(who, first.id, Answer.NOT_COMING, "rain")
    assert changed is False
