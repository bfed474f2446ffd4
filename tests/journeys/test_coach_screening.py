"""A coach on a phone finds one of their athletes by searching, records a screening, reloads:
the page shows what the database holds (issue 12, journeys)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from playwright.sync_api import expect

from app.accounts.services import find_by_username
from app.athletes import services
from app.athletes.enums import Recommendation
from app.athletes.models import Assessment, AthleteProfile, athlete_coaches
from app.core import clock
from app.core.templating import fmt_date
from app.extensions import db

pytestmark = pytest.mark.browser

DETAIL_URL = re.compile(r"/athletes/(\d+)(#.*)?$")
NOTES = "场地测评，状态良好（右手握力偏弱）。"


def assessments(athlete_id: int) -> list[Assessment]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Assessment).where(Assessment.athlete_id == athlete_id).order_by(Assessment.id)
        )
    )


def test_coach_finds_an_athlete_and_records_a_screening(demo, open_page, screenshot):
    coach = find_by_username("coach")
    athlete = db.session.scalars(
        sa.select(AthleteProfile)
        .join(athlete_coaches, athlete_coaches.c.athlete_id == AthleteProfile.id)
        .where(athlete_coaches.c.user_id == coach.id)
        .order_by(AthleteProfile.id)
    ).first()
    assert athlete is not None
    athlete_id, name = athlete.id, athlete.person.name
    measure = services.template_measures(athlete.primary_sport_id)[0]
    # A value inside the range, written with the unit's decimals (shown back the same way).
    step = Decimal(1).scaleb(-measure.unit.decimals)
    value = ((measure.min_value + measure.max_value) / 2).quantize(step)
    typed = f"{value:.{measure.unit.decimals}f}"
    with force_locale("zh_Hans"):
        hold = str(Recommendation.HOLD.label)
        today = fmt_date(clock.today())
    before = assessments(athlete_id)

    page = open_page("coach")
    assert page.viewport_size == {"width": 390, "height": 844}

    # Find the athlete: search by name on the list.
    page.goto("/athletes/")
    page.get_by_label("姓名或拼音").fill(name)
    page.get_by_role("button", name="显示运动员").click()
    results = page.locator("tbody tr")
    expect(results).to_have_count(1)  # the list of every athlete is replaced by the search's
    screenshot(page, "search")
    results.first.get_by_role("link", name=name, exact=True).click()
    assert DETAIL_URL.search(page.url)[1] == str(athlete_id)

    # Record a screening: today's date is filled in; one measurement, rating, recommendation.
    page.get_by_role("link", name="录入测评").click()
    assert name in page.get_by_role("heading", level=1).inner_text()
    page.locator(f"#value_{measure.id}").fill(typed)
    page.locator("fieldset", has_text="综合评分").get_by_label("4", exact=True).check()
    page.get_by_label(hold, exact=True).check()
    page.get_by_label("备注").fill(NOTES)
    screenshot(page, "form-filled", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="保存测评").click()
    assert DETAIL_URL.search(page.url)[1] == str(athlete_id)
    assert "测评已保存。" in page.locator(".flash-messages").inner_text()

    # After a reload: the newest screening first, as stored.
    page.reload()
    row = page.locator("#assessments + .table-region tbody tr").first
    cells = [" ".join(c.split()) for c in row.locator("th, td").all_inner_texts()]
    assert cells == [
        today,
        athlete.primary_sport.name,
        coach.display_name,
        "4",
        hold,
        NOTES,
    ]
    measure_table = page.locator(f"section[aria-labelledby='measure-{measure.id}'] tbody")
    measure_table.scroll_into_view_if_needed()
    assert typed in measure_table.inner_text()
    screenshot(page, "after-reload")

    after = assessments(athlete_id)
    assert len(after) == len(before) + 1
    new = after[-1]
    assert (new.assessed_on, new.rating, new.recommendation, new.notes, new.assessor_id) == (
        clock.today(),
        4,
        Recommendation.HOLD,
        NOTES,
        coach.id,
    )
    assert [(v.measure_id, v.value) for v in new.values] == [(measure.id, value)]
