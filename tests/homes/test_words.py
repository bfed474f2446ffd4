"""The homes pages' words in Chinese (issue 19 item 18, issue 12 item 19): a home is 家园 (not
首页, the home page), an activity's leader is 带领人 (not 团长, a troupe's leader), the
statistics download names the period's first and last day, and no English WTForms message
reaches the Chinese home form."""

from __future__ import annotations

from datetime import date

from app.core import clock

from .test_series_change import NOW

ZH = {"Accept-Language": "zh"}


def test_homes_pages_call_a_home_a_home_and_a_leader_a_leader(
    client, login_as, make_home, make_activity, make_user
):
    staff = make_user("home_staff", language="zh_Hans")
    home = make_home(staff=[staff])
    activity = make_activity(home, first_day=date(2026, 11, 2))
    login_as(user=staff)
    with clock.freeze(NOW):
        pages = {
            "dashboard": client.get("/homes/dashboard", headers=ZH).get_data(as_text=True),
            "session": client.get(
                f"/homes/activities/{activity.id}/sessions/20261130T010000Z", headers=ZH
            ).get_data(as_text=True),
            "statistics": client.get("/homes/statistics", headers=ZH).get_data(as_text=True),
        }
        form = client.get(f"/homes/activities/{activity.id}/edit", headers=ZH).get_data(
            as_text=True
        )
        csv = client.get(
            "/homes/statistics?from=2026-01-01&to=2026-12-31&format=csv", headers=ZH
        ).get_data(as_text=True)
    for name, page in pages.items():
        main = page[page.index("<main") : page.index("</main>")]
        assert "首页" not in main, name
        assert "家园" in main, name
    assert "团长" not in form and "带领人" in form
    assert "原阶段" not in csv and "新阶段" not in csv
    assert "时段,开始日期,2026-01-01" in csv and "时段,结束日期,2026-12-31" in csv


def test_the_chinese_home_form_has_no_english_wtforms_messages(
    client, login_as, make_home, make_user
):
    login_as(user=make_user("admin", language="zh_Hans"))
    home = make_home()
    resp = client.post(
        f"/homes/{home.id}/edit",
        data={
            "name": "家园",
            "kind": "6",
            "town_id": "6",
            "opened_on-year": "2019",
            "opened_on-month": "1",
            "opened_on-day": "1",
            "services": ["6"],
            "staff": ["6"],
            "version": str(home.version),
        },
        headers=ZH,
    )
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "not a valid choice" not in page and "Not a valid" not in page
    assert "请从列表中选择" in page


def test_a_leaving_note_is_shown_in_the_former_members_history(
    client, login_as, make_home, make_person, make_user
):
    from app.extensions import db
    from app.homes import services

    staff = make_user("home_staff")
    home = make_home(staff=[staff])
    person = make_person(name="周末")
    membership, _warnings = services.add_member(home, person.id, date(2020, 1, 1), ["day_care"])
    services.end_membership(
        membership, membership.version, date(2026, 10, 1), "moved_away", "随女儿搬到外地"
    )
    db.session.commit()
    assert "随女儿搬到外地" not in client.get(f"/homes/{home.id}").get_data(as_text=True)
    login_as(user=staff)
    page = client.get(f"/homes/{home.id}").get_data(as_text=True)
    former = page[page.index("Former members") :]
    assert "周末" in former and "随女儿搬到外地" in former


def test_the_home_form_asks_for_the_homes_name_not_a_persons(client, login_as, make_user):
    """Found doing the admin's task in a browser: the home form labelled its name 姓名 (a
    person's name)."""
    login_as(user=make_user("admin", language="zh_Hans"))
    page = client.get("/homes/new").get_data(as_text=True)
    assert '<label for="name">家园名称</label>' in page
    assert ">姓名<" not in page


def test_the_rule_sentence_lists_weekdays_as_chinese_does(client, make_home, make_activity):
    """Found doing the home staff's task in a browser: "每周星期三, 星期五，14:30–16:00" (an
    ASCII comma inside a Chinese sentence)."""
    home = make_home()
    activity = make_activity(home, first_day=date(2026, 11, 4), weekdays=(2, 4), is_public=True)
    with clock.freeze(NOW):
        zh = client.get(f"/homes/activities/{activity.id}", headers=ZH).get_data(as_text=True)
        en = client.get(
            f"/homes/activities/{activity.id}", headers={"Accept-Language": "en"}
        ).get_data(as_text=True)
    assert "每周星期三和星期五，" in zh
    assert "Every week on Wednesday and Friday, " in en


def test_a_cancelled_session_reads_apart_from_its_venue(
    client, make_home, make_activity, make_person, add_members, make_user, login_as
):
    """Found doing the participant's task in a browser: "锦屏街道阳光家园已取消: 元旦放假" (the
    venue ran into the change, and an ASCII colon) in the member's list of sessions."""
    from datetime import timedelta

    from app.extensions import db
    from app.homes import services

    home = make_home()
    member = make_person(name="成员丁")
    add_members(home, [member.id])
    activity = make_activity(home, weekdays=(0,), first_day=date(2026, 11, 2), is_public=False)
    services.cancel_occurrence(activity, activity.starts_at + timedelta(weeks=5), "元旦放假")
    db.session.commit()
    login_as(user=make_user("participant", person_id=member.id, language="zh_Hans"))
    with clock.freeze(NOW):
        page = client.get("/homes/mine").get_data(as_text=True)
    assert "</span> · <strong>已取消</strong> 原因：元旦放假" in page


def test_the_dashboard_lists_the_staffs_homes_as_chinese_does(
    client, login_as, make_home, make_user
):
    """Found doing the home staff's task in a browser: "您负责的家园： 岳林街道阳光家园,
    锦屏街道阳光家园" (an ASCII comma between Chinese names)."""
    import re

    staff = make_user("home_staff", language="zh_Hans")
    first = make_home(name="甲家园", staff=[staff])
    second = make_home(name="乙家园", staff=[staff])
    login_as(user=staff)
    with clock.freeze(NOW):
        page = client.get("/homes/dashboard").get_data(as_text=True)
    found = re.search(
        r'您负责的家园：<a href="/homes/(\d+)">(.家园)</a>和<a href="/homes/(\d+)">(.家园)</a></p>',
        page,
    )
    assert found
    assert {(int(found[1]), found[2]), (int(found[3]), found[4])} == {
        (first.id, "甲家园"),
        (second.id, "乙家园"),
    }
