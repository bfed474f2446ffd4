"""Adding a troupe member by register number and birth date goes through
app.people.lookup (issue 13 item 2): rationed per user and per number, every look-up
audited, one answer whatever went wrong, and the troupe page never shows a disability
category."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.extensions import db
from app.performances.models import TroupeMember

NOT_FOUND = "No current person in the register has this number and date of birth."


def member_data(person_id, birth, role="performer") -> dict:
    return {
        "person_id": str(person_id),
        "birth_on-year": str(birth.year),
        "birth_on-month": str(birth.month),
        "birth_on-day": str(birth.day),
        "role": role,
    }


def lookups(action: str) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == action)
    )


def test_member_look_ups_are_rationed_audited_and_answer_alike(
    client, login_as, organiser, make_person, make_troupe
):
    from datetime import date

    person = make_person(name="Member Li", disability_category="visual", disability_grade="1")
    troupe = make_troupe()
    login_as(user=organiser)
    url = f"/performances/troupes/{troupe.id}/members"
    answers = set()
    for day in range(1, 6):  # five wrong birth dates
        response = client.post(url, data=member_data(person.id, date(1950, 1, day)))
        assert response.status_code == 422
        text = response.get_data(as_text=True)
        assert NOT_FOUND in text
        answers.add(text.count(NOT_FOUND))
    unknown = client.post(url, data=member_data(999999, date(1950, 1, 1)))
    assert NOT_FOUND in unknown.get_data(as_text=True)
    assert lookups("register_lookup_failed") == 6
    # The limit is reached: the true birth date now fails with the same answer.
    right = client.post(url, data=member_data(person.id, person.birth_on))
    assert right.status_code == 422
    assert NOT_FOUND in right.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(TroupeMember.id))) == 0
    assert lookups("register_lookup_failed") == 7


def test_a_found_member_is_audited_and_no_category_is_shown(
    client, login_as, organiser, make_person, make_troupe
):
    person = make_person(name="Member Li", disability_category="visual", disability_grade="1")
    troupe = make_troupe()
    login_as(user=organiser)
    url = f"/performances/troupes/{troupe.id}/members"
    response = client.post(url, data=member_data(person.id, person.birth_on))
    assert response.status_code == 303
    assert lookups("register_lookup") == 1
    page = client.get(f"/performances/troupes/{troupe.id}").get_data(as_text=True)
    assert "Member Li" in page
    for word in ("Visual", "visual", "视力", "category", "Grade"):
        assert word not in page
    # Already a member: the same answer as any other failure.
    again = client.post(url, data=member_data(person.id, person.birth_on))
    assert again.status_code == 422
    assert NOT_FOUND in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(TroupeMember.id))) == 1
