"""Adding a member names a register person through app.people.lookup (issue 13 item 2): the
look-ups are rationed and audited, and every failure (no such number, another birth date,
already a member, the limit) gets the same answer."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.extensions import db
from app.homes.models import Membership


def _data(number, birth):
    return {
        "person_number": str(number),
        "birth_on-year": str(birth.year),
        "birth_on-month": str(birth.month),
        "birth_on-day": str(birth.day),
        "joined_on-year": "2026",
        "joined_on-month": "11",
        "joined_on-day": "2",
        "services": ["day_care"],
    }


def _answer(resp) -> str:
    page = resp.get_data(as_text=True)
    return re.sub(r'name="csrf_token"[^>]*>|value="[^"]*"', "", page)


def test_member_lookup_is_rationed_audited_and_answers_alike(
    client, login_as, make_home, make_person, make_user
):
    staff = make_user("home_staff")
    home = make_home(staff=[staff])
    person, other = make_person(), make_person()
    login_as(user=staff)
    url = f"/homes/{home.id}/members/new"
    wrong_date = client.post(url, data=_data(person.id, other.birth_on))
    no_such = client.post(url, data=_data(99999, other.birth_on))
    assert wrong_date.status_code == no_such.status_code == 422
    assert _answer(wrong_date) == _answer(no_such)
    assert "No person in the register has this number and date of birth." in _answer(no_such)
    added = client.post(url, data=_data(person.id, person.birth_on))
    assert added.status_code == 303
    client.get(added.location)  # the success message is shown there
    again = client.post(url, data=_data(person.id, person.birth_on))  # already a member
    assert again.status_code == 422 and _answer(again) == _answer(no_such)
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.action.like("register_lookup%"))
    ).all()
    assert sorted(actions) == ["register_lookup"] + ["register_lookup_failed"] * 3
    # Two more failures reach the day's limit: then even the right pair is refused.
    client.post(url, data=_data(other.id, person.birth_on))
    client.post(url, data=_data(other.id, person.birth_on))
    refused = client.post(url, data=_data(other.id, other.birth_on))
    assert refused.status_code == 422 and _answer(refused) == _answer(no_such)
    assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 1
