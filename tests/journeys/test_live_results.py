"""Competition day on phones (issue 17): a family follows the live results at 390×844 while
the competition's manager publishes the event's results from the results screen; the live
page turns the provisional results official without reloading (live.js polls with
If-None-Match and swaps the results region in), says so politely, and names only the athlete
who consented to publication."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.accounts.services import find_by_username
from app.athletes.models import AthleteProfile, Sport
from app.competitions import services
from app.competitions.models import CompetitionEvent, Entry, Result
from app.extensions import db
from app.people.enums import ConsentKind
from app.people.models import Consent, Person
from tests.browser_fixtures import PHONE, axe_violations

pytestmark = pytest.mark.browser

EVENT = "女子个人反曲弓 公开级"


def _athletes():
    """A demo athlete with publication consent and one without."""
    consented = (
        sa.select(Consent.person_id)
        .where(Consent.kind == ConsentKind.PUBLICATION, Consent.withdrawn_on.is_(None))
        .scalar_subquery()
    )
    base = sa.select(AthleteProfile).join(Person).order_by(AthleteProfile.id)
    named = db.session.scalars(base.where(Person.id.in_(consented))).first()
    hidden = db.session.scalars(base.where(Person.id.not_in(consented))).first()
    return named, hidden


def _setup():
    coach = find_by_username("coach")
    archery = db.session.scalar(sa.select(Sport).where(Sport.code == "archery"))
    competition = services.create_competition(
        {
            "name": "2026年区残疾人射箭友谊赛",
            "level": "district",
            "start_on": date(2026, 11, 30),
            "end_on": date(2026, 11, 30),
            "delegation": "奉化区",
            "status": "in_progress",
            "manager_id": coach.id,
            "sport_ids": [archery.id],
        },
        actor=coach,
    )
    event = services.add_event(
        competition,
        {"name": EVENT, "sport_id": archery.id, "gender": "open", "is_team": False},
        actor=coach,
    )
    named, hidden = _athletes()
    for rank, athlete, medal in ((1, named, "gold"), (2, hidden, "silver")):
        entry, _w = services.create_entry(event, athlete_ids=[athlete.id], actor=coach)
        services.save_result(entry, rank=rank, mark=str(660 - rank), medal=medal, actor=coach)
    db.session.commit()
    return coach, competition, event, named, hidden


def test_manager_publishes_and_the_live_page_updates_without_reload(
    demo, open_page, live_app, screenshot
):
    coach, competition, event, named, hidden = _setup()
    live_app.config["LIVE_POLL_SECONDS"] = 0.5
    try:
        family = open_page(viewport=PHONE)
        family.goto(f"/competitions/{competition.id}/live")
        region = family.locator("#live-results")
        expect(region).to_contain_text("临时成绩")
        text = region.inner_text()
        assert named.person.name in text
        assert hidden.person.name not in text and "奉化区运动员" in text
        assert family.get_by_role("link", name="刷新成绩").is_visible()
        family.evaluate("window.__notReloaded = true")
        screenshot(family, "provisional", full_page=True)
        assert axe_violations(family) == []

        manager = open_page("coach")
        assert manager.viewport_size == PHONE
        manager.goto(f"/competitions/events/{event.id}/results")
        expect(manager.locator("main")).to_contain_text("临时成绩。")
        with manager.expect_navigation():
            manager.get_by_role("button", name="公布为正式成绩").click()
        expect(manager.locator("main")).to_contain_text("成绩已公布，现为正式成绩。")
        screenshot(manager, "published", full_page=True)

        expect(region).to_contain_text("正式成绩", timeout=10_000)
        expect(region).not_to_contain_text("临时成绩")
        assert family.evaluate("window.__notReloaded") is True  # the region was swapped
        expect(family.locator("[data-live-status]")).to_have_text("成绩已更新。")
        screenshot(family, "official", full_page=True)
        assert axe_violations(family) == []
    finally:
        live_app.config.pop("LIVE_POLL_SECONDS", None)

    db.session.expire_all()
    stored = db.session.get(CompetitionEvent, event.id)
    assert stored.results_published_by_id == coach.id
    provisional = db.session.scalars(
        sa.select(Result.is_provisional).join(Entry).where(Entry.event_id == event.id)
    ).all()
    assert provisional == [False, False]
    family.reload()
    expect(family.locator("#live-results")).to_contain_text("正式成绩")
    assert "临时成绩" not in family.locator("#live-results").inner_text()
