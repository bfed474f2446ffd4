"""A person's replies in their data rights: the export holds the answers they gave and those
given for them by a caregiver; erasure takes the reasons (they may be health information) and
keeps the answers the organisers count."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.privacy.anonymise import anonymise_person
from app.privacy.export import person_export
from app.replies import links, services
from app.replies.enums import Answer
from app.replies.models import Reply


def _answer_as_caregiver(app, carer, child, performance, reason):
    with app.test_request_context():
        who = services.open_link(
            links.sign(carer.id, "performance", performance.id, performance.starts_at)
        )
    services.record_answer(who, child.id, Answer.NOT_COMING, reason, via_link=True)
    db.session.commit()


def test_the_export_holds_the_replies_of_the_person_and_of_their_caregiver(
    app, make_person, make_performance, frozen_clock
):
    carer = make_person(name="赵妈妈")
    child = make_person(name="赵一", guardian_person_id=carer.id)
    stranger = make_person(name="钱二")
    performance = make_performance(people=[(child, "performer"), (stranger, "performer")])
    _answer_as_caregiver(app, carer, child, performance, "fever")

    def reasons(person_id):
        rows = person_export(person_id)["tables"]["replies"]
        return [(r["person_id"], r["caregiver_person_id"], r["reason"]) for r in rows]

    assert reasons(child.id) == [(child.id, carer.id, "fever")]
    assert reasons(carer.id) == [(child.id, carer.id, "fever")]
    assert reasons(stranger.id) == []


def test_erasure_takes_the_reason_and_keeps_the_answer(
    app, make_person, make_performance, frozen_clock
):
    carer = make_person(name="赵妈妈")
    child = make_person(name="赵一", guardian_person_id=carer.id)
    performance = make_performance(people=[(child, "performer")])
    _answer_as_caregiver(app, carer, child, performance, "clinic visit")
    erased = anonymise_person(child, reason="written request", actor=None)
    db.session.commit()
    assert "reply_reasons" in erased
    rows = db.session.execute(sa.select(Reply.person_id, Reply.answer, Reply.reason)).all()
    assert [tuple(r) for r in rows] == [(child.id, Answer.NOT_COMING, "")]
