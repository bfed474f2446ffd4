"""Home activities: members, their caregivers (one notice listing all their dependants) and
the home's staff are told when a session is cancelled, moved or restored."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from app.extensions import db
from app.notices.models import Notice

MONDAY_9 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09:00 Beijing


def rows():
    return list(db.session.scalars(sa.select(Notice).order_by(Notice.person_id, Notice.id)))


def test_a_caregiver_of_three_members_gets_one_notice_listing_all_three(
    contact_person, make_person, make_home, add_members, make_activity, make_user
):
    from app.homes import services

    carer = contact_person(email="carer@example.cn", name="照护人")
    kids = [
        make_person(name=name, guardian_person_id=carer.id, guardian_name="照护人")
        for name in ("成员甲", "成员乙", "成员丙")
    ]
    member = contact_person(email="member@example.cn", name="成员丁")
    staff_person = contact_person(email="staff@example.cn", name="工作人员")
    staff = make_user("home_staff", person_id=staff_person.id, language="zh_Hans")
    home = make_home(staff=[staff], contact="家园电话 0574-0000")
    add_members(home, [k.id for k in kids] + [member.id])
    activity = make_activity(home)
    assert rows() == []

    services.cancel_occurrence(activity, MONDAY_9, "heating broken")
    db.session.commit()

    got = rows()
    assert [(n.person_id, n.address, n.change.value) for n in got] == [
        (carer.id, "carer@example.cn", "cancelled"),
        (member.id, "member@example.cn", "cancelled"),
        (staff_person.id, "staff@example.cn", "cancelled"),
    ]
    carer_notice = got[0]
    assert carer_notice.title == "取消：Test home 1 · Rehab exercise"
    assert "本通知涉及您照护的成员甲、成员乙、成员丙。" in carer_notice.body_text
    assert "时间：2026-12-07 09:00–11:00" in carer_notice.body_text
    assert "咨询：家园电话 0574-0000" in carer_notice.body_text
    assert carer_notice.occurrence_start == MONDAY_9
    assert "照护" not in got[1].body_text  # a member is told about themselves only
    assert "是否参加" not in carer_notice.body_text  # nothing to answer about a cancellation

    # Restoring the session (within ten minutes) updates the same notices.
    services.restore_occurrence(activity, MONDAY_9)
    db.session.commit()
    restored = rows()
    # Back on: the caregiver's reply link names the session by its original start; the
    # reply page lets them answer for each dependant (app/replies).
    from app.replies.links import read

    token = restored[0].body_text.split("是否参加：http://localhost/reply/", 1)[1].split()[0]
    link = read(token)
    assert (link.person_id, link.subject_kind, link.subject_id, link.occurrence_start) == (
        carer.id,
        "session",
        activity.id,
        MONDAY_9,
    )
    assert [(n.person_id, n.change.value) for n in restored] == [
        (carer.id, "restored"),
        (member.id, "restored"),
        (staff_person.id, "restored"),
    ]


def test_a_member_who_left_is_not_told(contact_person, make_home, add_members, make_activity):
    from app.homes import services

    left = contact_person(email="left@example.cn")
    home = make_home()
    add_members(home, [left.id])
    db.session.execute(
        sa.text("UPDATE memberships SET left_on = :d, left_reason = 'moved_away'"),
        {"d": date(2026, 11, 1)},
    )
    db.session.commit()
    activity = make_activity(home)
    services.cancel_occurrence(activity, MONDAY_9, "")
    db.session.commit()
    assert rows() == []


def test_a_moved_sessions_notice_states_the_time_the_session_page_shows(
    contact_person, make_home, add_members, make_activity, client
):
    from datetime import time

    from app.homes import services
    from app.homes.recurrence import occurrence_key

    member = contact_person(email="member@example.cn", name="成员丁")
    home = make_home()
    add_members(home, [member.id])
    activity = make_activity(home)  # Mondays 09:00–11:00
    # Moved to Tuesday afternoon and shortened to an hour and a half.
    services.move_occurrence(
        activity, MONDAY_9, date(2026, 12, 8), time(14, 0), time(15, 30), None, "hall booked"
    )
    db.session.commit()

    (notice,) = rows()
    lines = notice.body_text.split("\n")
    assert "时间：2026-12-08 14:00–15:30" in lines
    assert "原安排：2026-12-07 09:00" in lines
    # The session page says the same end.
    page = client.get(f"/homes/activities/{activity.id}/sessions/{occurrence_key(MONDAY_9)}")
    assert page.status_code == 200
    assert "15:30" in page.text and "16:00" not in page.text
