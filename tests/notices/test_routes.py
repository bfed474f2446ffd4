"""The pages: the edit form's "tell the N people affected", /admin/notices/ and the person
page's list."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db
from app.notices.models import Notice
from tests.notices.conftest import at
from tests.performances.test_routes import form_data


def edit_data(performance, person, **changes):
    data = form_data(performance, **({"start_time": "15:00", "end_time": "17:00"} | changes))
    data[f"role_{person.id}"] = "performer"
    data["override_reason"] = "test"
    return data


def count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Notice))


def test_the_edit_form_says_how_many_will_be_told_and_telling_is_a_choice(
    client, login_as, organiser, contact_person, make_performance
):
    a = contact_person(email="a@example.cn")
    contact_person(email="b@example.cn")  # not booked
    performance = make_performance(people=[(a, "performer")])
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    login_as(user=organiser)
    page = client.get(f"/performances/{performance.id}/edit").get_data(as_text=True)
    assert "Tell the 1 person affected about this change" in page
    assert re.search(r'<input[^>]* checked [^>]*name="tell_people"', page)

    # Unticked (a typo fix): saved, nobody told.
    response = client.post(f"/performances/{performance.id}/edit", data=edit_data(performance, a))
    assert response.status_code == 303
    assert count() == 0
    db.session.expire_all()
    performance = db.session.get(type(performance), performance.id)
    # Ticked: the move is queued for the one person affected.
    data = edit_data(performance, a, start_time="18:00", end_time="20:00", tell_people="y")
    response = client.post(f"/performances/{performance.id}/edit", data=data)
    assert response.status_code == 303
    assert db.session.scalars(sa.select(Notice.person_id)).all() == [a.id]


def test_admin_notices_page_lists_what_was_sent_to_whom(
    client, login_as, contact_person, make_performance, count_queries
):
    people = [contact_person(email=f"p{i}@example.cn", name=f"收件人{i}") for i in range(3)]
    make_performance(people=[(p, "performer") for p in people])
    login_as("admin")
    with count_queries() as q:
        response = client.get("/admin/notices/")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    for p in people:
        assert p.name in text and f"p{people.index(p)}@example.cn" in text
    assert "新安排：Spring tour" in text
    assert "No channel is configured" in text
    assert response.headers["Cache-Control"].startswith("no-store")
    small = q.count
    more = [contact_person(email=f"q{i}@example.cn") for i in range(6)]
    make_performance(
        people=[(p, "performer") for p in more],
        title="Another",
        starts_at=at(5, 14),
        ends_at=at(5, 16),
    )
    with count_queries() as q:
        assert client.get("/admin/notices/").status_code == 200
    assert q.count == small  # no query per notice
    page = client.get(f"/people/{people[0].id}").get_data(as_text=True)
    assert "Notices they got" in page and "新安排：Spring tour" in page


def test_only_admins_see_the_notices(client, login_as):
    assert client.get("/admin/notices/").status_code in (302, 401)
    login_as("organiser")
    assert client.get("/admin/notices/").status_code == 403


def test_a_notice_s_result_in_words_with_its_count(
    client, login_as, contact_person, make_performance
):
    """Failed and waiting notices say how many tries, singular or plural (it read "Failed
    after 1 tries"), the admin's list with the error, the person page without it."""
    from app.notices.enums import NoticeStatus

    person = contact_person(email="p@example.cn", name="收件人")
    make_performance(people=[(person, "performer")])
    notice = db.session.scalars(sa.select(Notice)).one()
    notice.status, notice.attempts, notice.error = NoticeStatus.FAILED, 1, "550 mailbox unknown"
    db.session.commit()
    login_as("admin")
    admin = client.get("/admin/notices/").get_data(as_text=True)
    assert "<strong>Failed after 1 try</strong>: 550 mailbox unknown" in admin
    person_page = client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "<td>Failed after 1 try</td>" in person_page
    notice.status, notice.attempts, notice.error = NoticeStatus.QUEUED, 2, "timeout"
    db.session.commit()
    admin = client.get("/admin/notices/").get_data(as_text=True)
    assert "Waiting to be sent (tried 2 times, last error: timeout)" in admin
