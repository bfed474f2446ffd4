"""A person's bookings page (/performances/people/<id>) names a register person: an organiser
sees it only for people booked in the programmes they are responsible for; admins, the
person and their caregiver always; every view is audited (issue 13 item 4)."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.extensions import db


def views_of(person_id: int) -> list[tuple]:
    return db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.fields).where(
            AuditEvent.entity == "person",
            AuditEvent.entity_id == person_id,
            AuditEvent.action == "view",
        )
    ).all()


def test_an_organiser_sees_only_people_booked_in_their_programmes(
    client, login_as, organiser, make_user, make_person, make_performance, make_troupe
):
    booked = make_person(name="Booked Wu")
    stranger = make_person(name="Stranger Zhao")
    member = make_person(name="Member Qian")
    troupe = make_troupe(members=[(member, "performer")])
    make_performance(people=[(booked, "performer")])
    login_as(user=organiser)
    page = client.get(f"/performances/people/{booked.id}")
    assert page.status_code == 200
    assert "Booked Wu" in page.get_data(as_text=True)
    assert views_of(booked.id) == [("view", organiser.id, "performance_bookings")]
    for person in (stranger, member):
        assert client.get(f"/performances/people/{person.id}").status_code == 404
        assert views_of(person.id) == []
    assert client.get("/performances/people/999999").status_code == 404
    # The troupe page links only the members whose bookings the organiser may see.
    troupe_page = client.get(f"/performances/troupes/{troupe.id}").get_data(as_text=True)
    assert "Member Qian" in troupe_page
    assert f"/performances/people/{member.id}" not in troupe_page

    other = make_user("organiser")
    login_as(user=other)
    assert client.get(f"/performances/people/{booked.id}").status_code == 404
    admin = make_user("admin")
    login_as(user=admin)
    assert client.get(f"/performances/people/{stranger.id}").status_code == 200
    assert views_of(stranger.id) == [("view", admin.id, "performance_bookings")]
