"""A coach records an event's results on a phone (issue 12): a tie for bronze and a DNS are
saved row by row in place (a slip is shown at its box while the other rows save), shown after
a reload as stored, and the public medal table moves by exactly those medals; two coaches
editing the same result meet the conflict with both versions shown, and the second save keeps
the first coach's note."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from app.accounts.services import find_by_username
from app.athletes.models import AthleteProfile, Sport
from app.competitions import services, standings, startlists
from app.competitions.models import Result
from app.extensions import db
from tests.browser_fixtures import axe_violations

pytestmark = pytest.mark.browser

EVENT = "女子个人反曲弓 公开级"
MEDALS = re.compile(r"共获奖牌 (\d+) 枚：金牌 (\d+) 枚、银牌 (\d+) 枚、铜牌 (\d+) 枚")


def _setup(count: int):
    """A finished competition managed by the demo coach, one event, ``count`` entries of
    demo athletes without results."""
    coach = find_by_username("coach")
    archery = db.session.scalar(sa.select(Sport).where(Sport.code == "archery"))
    athletes = list(
        db.session.scalars(sa.select(AthleteProfile).order_by(AthleteProfile.id).limit(count))
    )
    competition = services.create_competition(
        {
            "name": "2026年市残疾人射箭邀请赛（冬季）",
            "level": "city",
            "start_on": date(2026, 11, 20),
            "end_on": date(2026, 11, 21),
            "host_city": "宁波",
            "delegation": "宁波市",
            "status": "finished",
            "manager_id": coach.id,
            "sport_ids": [archery.id],
        },
        actor=coach,
    )
    event = services.add_event(
        competition,
        {
            "name": EVENT,
            "sport_id": archery.id,
            "gender": "open",
            "sport_class": "Open",
            "is_team": False,
        },
        actor=coach,
    )
    entries = [services.create_entry(event, athlete_ids=[a.id])[0] for a in athletes]
    db.session.commit()
    # As the screen lists them (the order of competition; here by pinyin): row n is entries[n-1].
    return coach, competition, event, startlists.in_order(entries)


def _results(entries) -> list[tuple]:
    db.session.expire_all()
    out = []
    for entry in entries:
        result = db.session.scalar(sa.select(Result).where(Result.entry_id == entry.id))
        out.append(
            None
            if result is None
            else (result.rank, result.mark, str(result.status), str(result.medal), result.notes)
        )
    return out


def _result_rows(entries) -> list[Result]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(Result).where(Result.entry_id.in_([e.id for e in entries])))
    )


def _medal_counts(page) -> tuple[int, ...]:
    page.goto("/competitions/")
    found = MEDALS.search(page.locator("main").inner_text())
    assert found, page.locator("main").inner_text()[:500]
    return tuple(int(n) for n in found.groups())


def _settled(page) -> None:
    """Until every row saved in place has its answer (nothing waits on the phone)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-sync-waiting]')"
        " && document.querySelector('[data-sync-line]').textContent.includes('本机的记录已全部发送')"
    )


def _row(page, number: int):
    """Row ``number`` of the results screen: the group named by its heading ("2. 姓名")."""
    return page.get_by_role("group", name=re.compile(rf"^{number}\. "))


def test_coach_enters_a_bronze_tie_and_a_dns(demo, open_page, screenshot):
    coach, competition, event, entries = _setup(5)
    visitor = open_page(viewport={"width": 1366, "height": 768})
    before = _medal_counts(visitor)
    table = standings.medal_table()
    assert before == (
        table.totals.total,
        table.totals.gold,
        table.totals.silver,
        table.totals.bronze,
    )

    page = open_page("coach")
    assert page.viewport_size == {"width": 390, "height": 844}
    page.goto(f"/competitions/{competition.id}")
    page.get_by_role("link", name=f"录入“{EVENT}”的成绩").click()
    assert page.url.endswith(f"/competitions/events/{event.id}/results")
    typed = {
        1: ("1", "652", "完成比赛（OK）", "金牌", ""),
        2: ("2", "648", "完成比赛（OK）", "银牌", ""),
        3: ("3", "640", "完成比赛（OK）", "铜牌", "铜牌决赛并列"),
        4: ("3", "640", "完成比赛（OK）", "铜牌", "铜牌决赛并列"),
        5: ("", "", "未出发（DNS）", "无奖牌", "赛前体检未通过，未出发"),
    }
    # Rows are saved in place as the focus leaves each (app/static/js/offline.js). First a
    # slip in two rows: the first rank is not a number, the DNS row keeps a medal.
    for number, (rank, mark, status, medal, notes) in typed.items():
        row = _row(page, number)
        row.get_by_label("名次").fill("第一" if number == 1 else rank)
        row.get_by_label("成绩（按原样填写）").fill(mark)
        row.get_by_label("成绩状态").select_option(label=status)
        row.get_by_label("奖牌").select_option(label="铜牌" if number == 5 else medal)
        row.get_by_label("备注").fill(notes)
    page.get_by_role("button", name="保存成绩").click()
    _settled(page)
    screenshot(page, "filled")
    # Each problem at its box; the other rows are saved.
    assert "名次必须是整数。" in _row(page, 1).locator(".field-error").inner_text()
    assert (
        "只有状态为 OK 的成绩才能获得奖牌。" in _row(page, 5).locator(".field-error").inner_text()
    )
    assert axe_violations(page) == []
    assert [r is None for r in _results(entries)] == [True, False, False, False, True]
    _row(page, 5).get_by_label("奖牌").select_option(label="无奖牌")
    _row(page, 1).get_by_label("名次").fill("1")
    page.get_by_role("button", name="保存成绩").click()
    _settled(page)
    assert page.locator(".field-error").count() == 0

    page.reload()
    for number, (rank, mark, status, medal, notes) in typed.items():
        row = _row(page, number)
        assert row.get_by_label("名次").input_value() == rank
        assert row.get_by_label("成绩（按原样填写）").input_value() == mark
        assert row.get_by_label("成绩状态").locator("option:checked").inner_text() == status
        assert row.get_by_label("奖牌").locator("option:checked").inner_text() == medal
        assert row.get_by_label("备注").input_value() == notes
    screenshot(page, "after-reload", full_page=True)

    assert _results(entries) == [
        (1, "652", "OK", "gold", ""),
        (2, "648", "OK", "silver", ""),
        (3, "640", "OK", "bronze", "铜牌决赛并列"),
        (3, "640", "OK", "bronze", "铜牌决赛并列"),
        (None, "", "DNS", "none", "赛前体检未通过，未出发"),
    ]
    # Provisional results are not in the medal ledger until the manager publishes them.
    assert _medal_counts(visitor) == before
    with page.expect_navigation():
        page.get_by_role("button", name="公布为正式成绩").click()
    assert all(not r.is_provisional for r in _result_rows(entries))
    # Published: corrections go by the form, so the page shows no line about sending.
    assert page.locator("[data-sync-status]").is_hidden()
    after = _medal_counts(visitor)
    assert after == (before[0] + 4, before[1] + 1, before[2] + 1, before[3] + 2)
    screenshot(visitor, "medal-table")


def test_two_coaches_edit_the_same_result(demo, open_page, make_user, screenshot):
    coach, competition, event, entries = _setup(2)
    entry = entries[0]
    services.save_result(entry, rank=4, mark="610", actor=coach)
    db.session.commit()
    second = make_user("coach")
    athlete = db.session.get(AthleteProfile, entry.athletes[0].id)
    athlete.coaches.append(second)
    db.session.commit()

    first_page = open_page("coach")
    second_page = open_page("coach", user=second)
    url = f"/competitions/events/{event.id}/results"
    first_page.goto(url)
    second_page.goto(url)

    # The first coach adds a note and corrects the mark; saved.
    row = _row(first_page, 1)
    row.get_by_label("成绩（按原样填写）").fill("612")
    row.get_by_label("备注").fill("第三组风大，裁判同意补射一箭")
    first_page.get_by_role("button", name="保存成绩").click()
    _settled(first_page)

    # The second coach, on the page opened before, changes the rank and the mark.
    row = _row(second_page, 1)
    row.get_by_label("名次").fill("5")
    row.get_by_label("成绩（按原样填写）").fill("608")
    second_page.get_by_role("button", name="保存成绩").click()
    panel = second_page.locator(f"#conflict-{entry.id}")
    panel.wait_for()
    _settled(second_page)
    cells = [
        [cell.inner_text().strip() for cell in line.locator("th, td").all()]
        for line in panel.locator("tbody tr").all()
    ]
    assert cells == [
        ["名次", "5", "4", "5"],
        ["成绩（按原样填写）", "608", "612", "608"],
        ["备注", "（空）", "第三组风大，裁判同意补射一箭", "第三组风大，裁判同意补射一箭"],
    ]
    screenshot(second_page, "conflict", full_page=True)
    assert axe_violations(second_page) == []
    row = _row(second_page, 1)
    assert row.get_by_label("备注").input_value() == "第三组风大，裁判同意补射一箭"
    # Nothing of the second coach's was saved yet.
    assert _results(entries)[0] == (4, "612", "OK", "none", "第三组风大，裁判同意补射一箭")

    second_page.get_by_role("button", name="保存成绩").click()
    _settled(second_page)
    assert second_page.locator(f"#conflict-{entry.id}").count() == 0
    second_page.reload()
    row = _row(second_page, 1)
    assert row.get_by_label("名次").input_value() == "5"
    assert row.get_by_label("成绩（按原样填写）").input_value() == "608"
    assert row.get_by_label("备注").input_value() == "第三组风大，裁判同意补射一箭"
    assert _results(entries)[0] == (5, "608", "OK", "none", "第三组风大，裁判同意补射一箭")
    first_page.reload()
    assert _row(first_page, 1).get_by_label("备注").input_value() == "第三组风大，裁判同意补射一箭"
