"""Notices that must not go out any more (a withdrawn contact consent, an erased person) and
the name of an erased dependant in their caregiver's notices."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.notices import worker
from app.notices.models import Notice
from tests.notices.conftest import AFTER_HOLD, at, save

MONDAY_9 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 Beijing
NEXT_MONDAY_9 = MONDAY_9 + timedelta(days=7)


def rows():
    return [
        (n.person_id, n.status.value, n.skip_reason.value if n.skip_reason else None)
        for n in db.session.scalars(sa.select(Notice).order_by(Notice.person_id, Notice.id))
    ]


def _withdraw(person):
    from app.people import services
    from app.people.enums import ConsentKind

    (consent,) = person.active_consents(ConsentKind.CONTACT)
    services.withdraw_consent(consent, withdrawn_on=date(2026, 11, 30))
    db.session.commit()


def test_withdrawing_contact_consent_withholds_the_queued_notices(contact_person, make_performance):
    a = contact_person(email="a@example.cn")
    b = contact_person(email="b@example.cn")
    performance = make_performance(people=[(a, "performer"), (b, "performer")])
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    save(performance, starts_at=at(4, 9), ends_at=at(4, 11))
    assert rows() == [(a.id, "queued", None), (b.id, "queued", None)]

    _withdraw(a)

    assert rows() == [(a.id, "skipped", "no_consent"), (b.id, "queued", None)]


def test_the_worker_checks_consent_again_before_sending(
    smtp, contact_person, make_performance, frozen_clock, login_as, client
):
    a = contact_person(email="a@example.cn")
    b = contact_person(email="b@example.cn")
    performance = make_performance(people=[(a, "performer"), (b, "performer")])
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    save(performance, starts_at=at(4, 9), ends_at=at(4, 11))
    # Withdrawn by bulk SQL (no session events): only the worker's check can catch it.
    db.session.execute(
        sa.text("UPDATE consents SET withdrawn_on = :d WHERE person_id = :p AND kind = 'contact'"),
        {"d": date(2026, 11, 30), "p": a.id},
    )
    db.session.commit()
    frozen_clock.set(AFTER_HOLD)

    assert worker.run_once() == {"sent": 1, "skipped": 1}

    assert [m["To"] for m in smtp.inbox.messages] == ["b@example.cn"]
    assert rows() == [(a.id, "skipped", "no_consent"), (b.id, "sent", None)]
    # An admin reads why.
    login_as("admin")
    page = client.get("/admin/notices/?status=skipped", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "Not sent: The recipient no longer consents to be contacted" in page.text


def _anonymise(person, make_user):
    from app.privacy.anonymise import anonymise_person

    erased = anonymise_person(person, reason="asked to be forgotten", actor=make_user("admin"))
    db.session.commit()
    return erased


def test_anonymising_a_person_withholds_their_queued_notices(
    contact_person, make_performance, make_user
):
    a = contact_person(email="a@example.cn")
    performance = make_performance(people=[(a, "performer")])
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    save(performance, starts_at=at(4, 9), ends_at=at(4, 11))

    erased = _anonymise(a, make_user)

    assert "notices_withheld" in erased
    (notice,) = db.session.scalars(sa.select(Notice))
    assert (notice.status.value, notice.skip_reason.value, notice.address, notice.body_text) == (
        "skipped",
        "erased",
        "",
        "",
    )


def test_an_erased_dependant_leaves_no_name_in_the_caregivers_notices(
    contact_person, make_person, make_home, add_members, make_activity, make_user
):
    from app.homes import services

    carer = contact_person(email="carer@example.cn", name="照护人")
    kid_a = make_person(name="成员甲", guardian_person_id=carer.id, guardian_name="照护人")
    kid_b = make_person(name="成员乙", guardian_person_id=carer.id, guardian_name="照护人")
    other_carer = contact_person(email="other@example.cn", name="另一照护人")
    kid_c = make_person(name="成员丙", guardian_person_id=other_carer.id)
    home = make_home()
    add_members(home, [kid_a.id, kid_b.id, kid_c.id])
    activity = make_activity(home)
    services.cancel_occurrence(activity, MONDAY_9, "")
    db.session.commit()
    # The first session's notices went out.
    db.session.execute(sa.update(Notice).values(status="sent", attempts=1, sent_at=MONDAY_9))
    db.session.commit()
    services.cancel_occurrence(activity, NEXT_MONDAY_9, "")
    db.session.commit()
    sent, queued = db.session.scalars(
        sa.select(Notice).where(Notice.person_id == carer.id).order_by(Notice.id)
    )
    assert "本通知涉及您照护的成员甲、成员乙。" in queued.body_text
    assert "成员甲" in sent.body_text and "成员甲" in sent.body_html

    erased = _anonymise(kid_a, make_user)

    assert "notices_about" in erased
    db.session.expire_all()
    assert queued.status.value == "queued"
    assert queued.body_text.split("\n")[0] == "本通知涉及您照护的成员乙。"
    assert "成员甲" not in queued.body_text + queued.body_html + queued.title
    assert "<p>本通知涉及您照护的成员乙。</p>" in queued.body_html
    assert queued.facts["about"] == [kid_b.id]
    assert (sent.body_text, sent.body_html, sent.facts, sent.purged_at is not None) == (
        "",
        "",
        {},
        True,
    )
    assert sent.title == "取消：Test home 1 · Rehab exercise"  # no name in it: kept
    # The other caregiver's notices did not name 成员甲: untouched.
    others = list(db.session.scalars(sa.select(Notice).where(Notice.person_id == other_carer.id)))
    assert [n.body_text.split("\n")[0] for n in others] == ["本通知涉及您照护的成员丙。"] * 2

    # A caregiver whose queued notice was only about the erased dependant: withheld.
    _anonymise(kid_b, make_user)
    db.session.expire_all()
    assert (queued.status.value, queued.skip_reason.value, queued.body_text) == (
        "skipped",
        "about_erased",
        "",
    )


def test_the_recheck_follows_the_consent_rule_in_one_query(
    contact_person, make_performance, count_queries
):
    from app.notices.withhold import recheck
    from app.people.models import Consent

    adult = contact_person(email="a@example.cn")
    child = contact_person(email="kid@example.cn", birth_on=date(2016, 5, 1))
    own = contact_person(email="own@example.cn", birth_on=date(2016, 5, 1), contact=False)
    db.session.add(Consent(person=own, kind="contact", given_on=date(2026, 11, 1),
                           given_by="self", notice_version="test"))  # fmt: skip
    db.session.commit()
    make_performance(people=[(adult, "performer"), (child, "performer")])
    adult_notice, child_notice = db.session.scalars(sa.select(Notice).order_by(Notice.person_id))
    with count_queries() as q:
        assert recheck(db.session, adult_notice) is None
    assert q.count == 1
    assert recheck(db.session, child_notice) is None  # the guardian's consent
    child_notice.person_id = own.id  # an under-14's own consent does not count
    assert recheck(db.session, child_notice).value == "no_consent"
    adult.is_archived = True
    db.session.commit()
    assert recheck(db.session, adult_notice).value == "archived"


def test_the_register_the_outbox_and_the_worker_judge_contact_consent_alike(
    make_person, count_queries
):
    """One rule (people.models.consent_counts) behind Person.has_contact_consent,
    load_people's plain rows and the worker's recheck: on 2026-11-30 (the frozen day)."""
    from types import SimpleNamespace

    from app.notices.recipients import load_people
    from app.notices.withhold import recheck
    from app.people.models import Consent, Person

    cases = {  # name: (birth date, [(given by, withdrawn on)])
        "adult self": (date(1990, 1, 1), [("self", None)]),
        "adult guardian": (date(1990, 1, 1), [("guardian", None)]),
        "adult withdrawn": (date(1990, 1, 1), [("self", date(2026, 11, 30))]),
        "adult none": (date(1990, 1, 1), []),
        "13 today, self": (date(2012, 12, 1), [("self", None)]),
        "13 today, guardian": (date(2012, 12, 1), [("guardian", None)]),
        "13 today, both": (date(2012, 12, 1), [("self", None), ("guardian", None)]),
        "13 today, guardian withdrawn": (
            date(2012, 12, 1), [("guardian", date(2026, 11, 30)), ("self", None)]
        ),
        "14 today, self": (date(2012, 11, 30), [("self", None)]),
    }  # fmt: skip
    ids = {}
    for name, (birth_on, consents) in cases.items():
        person = make_person(
            birth_on=birth_on,
            email=f"{len(ids)}@example.cn",
            guardian_name="测试监护人",
            consent={"given_on": date(2026, 11, 30), "given_by": "guardian"},
        )
        for given_by, withdrawn_on in consents:
            db.session.add(Consent(person=person, kind="contact", given_on=date(2026, 11, 30),
                                   given_by=given_by, notice_version="test",
                                   withdrawn_on=withdrawn_on))  # fmt: skip
        ids[name] = person.id
    db.session.commit()
    db.session.expire_all()

    with count_queries() as q:
        people, _ = load_people(db.session, list(ids.values()))
    assert q.count == 3
    judged = {
        name: (
            db.session.get(Person, pid).has_contact_consent,
            people[pid].has_contact_consent,
            recheck(db.session, SimpleNamespace(person_id=pid)),
        )
        for name, pid in ids.items()
    }
    ok, no = (True, True, None), (False, False, "no_consent")
    assert {name: (a, b, r and r.value) for name, (a, b, r) in judged.items()} == {
        "adult self": ok,
        "adult guardian": ok,
        "adult withdrawn": no,
        "adult none": no,
        "13 today, self": no,
        "13 today, guardian": ok,
        "13 today, both": ok,
        "13 today, guardian withdrawn": no,
        "14 today, self": ok,
    }
