"""Provisional and official results (issue 17): publishing an event's results (who, when,
audit row), corrections with a reason after publishing, protests while provisional, and the
ledger counting only official medals. Services without HTTP, then the routes."""

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.competitions import official, services, standings
from app.competitions.models import Entry, Result
from app.core import clock
from app.core.audit import AuditEvent
from app.core.errors import DomainError, EditConflict
from app.extensions import db
from tests.competitions.test_results_screen import page_form


def audit_rows(entity, entity_id, action=None):
    stmt = sa.select(AuditEvent).where(
        AuditEvent.entity == entity, AuditEvent.entity_id == entity_id
    )
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return list(db.session.scalars(stmt.order_by(AuditEvent.id)))


@pytest.fixture
def day(make_user, make_competition, make_event, make_athlete, enter):
    """A competition managed by ``manager``; one event with a provisional gold (``gold``),
    a provisional silver, and a coach who coaches the gold medallist only."""
    manager, coach = make_user("coach"), make_user("coach")
    competition = make_competition(name="County Games", manager_id=manager.id)
    event = make_event(competition)
    first = make_athlete(coaches=[coach])
    gold = enter(event, first, medal="gold", mark="652", official=False)
    silver = enter(event, make_athlete(), medal="silver", mark="640", official=False)
    return {
        "manager": manager,
        "coach": coach,
        "competition": competition,
        "event": event,
        "gold": gold,
        "silver": silver,
    }


def tally(competition):
    return standings.medal_table(standings.MedalFilters(competition_id=competition.id)).totals


# --- services ---------------------------------------------------------------------------


def test_a_result_entered_is_provisional_and_not_in_the_ledger(app, day):
    assert day["gold"].result.is_provisional is True
    assert day["event"].results_published is False
    assert (tally(day["competition"]).gold, tally(day["competition"]).silver) == (0, 0)
    # Nor in the medallists' table.
    assert (
        standings.athlete_rows(standings.MedalFilters(competition_id=day["competition"].id)) == []
    )


def test_publishing_makes_results_official_with_who_when_and_an_audit_row(app, day, frozen_clock):
    when = datetime(2026, 11, 30, 3, 15, tzinfo=UTC)
    event = day["event"]
    with clock.freeze(when):
        count = official.publish_results(event, actor=day["manager"])
    db.session.commit()
    assert count == 2
    db.session.expire_all()
    assert event.results_published_at == when
    assert event.results_published_by_id == day["manager"].id
    assert [e.result.is_provisional for e in event.entries] == [False, False]
    totals = tally(day["competition"])
    assert (totals.gold, totals.silver, totals.bronze) == (1, 1, 0)
    [row] = audit_rows("competition_event", event.id, "publish_results")
    assert row.actor_id == day["manager"].id
    assert row.field_list == ["results_published_at", "results_published_by_id"]
    assert row.details == {
        "competition_id": day["competition"].id,
        "results": [day["gold"].result.id, day["silver"].result.id],
        "open_protests": [],
    }
    with pytest.raises(DomainError):
        official.publish_results(event, actor=day["manager"])


def test_after_publishing_a_change_needs_a_reason_and_is_a_correction(app, day):
    official.publish_results(day["event"], actor=day["manager"])
    db.session.commit()
    entry = day["silver"]
    result = entry.result
    with pytest.raises(DomainError) as refused:
        services.save_result(
            entry, rank=2, mark="641", medal="silver", version=result.version, actor=day["coach"]
        )
    assert refused.value.field == "reason"
    db.session.rollback()
    later = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
    result = db.session.get(Result, result.id)
    with clock.freeze(later):
        services.save_result(
            entry,
            rank=2,
            mark="641",
            medal="silver",
            version=result.version,
            reason="  Judges' recount of the last end  ",
            actor=day["manager"],
        )
    db.session.commit()
    db.session.expire_all()
    result = db.session.get(Result, result.id)
    assert (result.mark, result.is_provisional) == ("641", False)
    assert result.corrected_at == later
    assert result.correction_reason == "Judges' recount of the last end"
    row = audit_rows("result", result.id, "update")[-1]
    assert row.details == {
        "entry_id": entry.id,
        "reason": "Judges' recount of the last end",
        "old": {"mark": "640"},
        "new": {"mark": "641"},
    }
    # Saving the same values again is no change: no reason asked, nothing written.
    services.save_result(entry, rank=2, mark="641", medal="silver", version=result.version)
    assert len(audit_rows("result", result.id, "update")) == 1


def test_a_result_added_after_publishing_is_official_and_needs_a_reason(app, day, make_athlete):
    official.publish_results(day["event"], actor=day["manager"])
    db.session.commit()
    entry, _warnings = services.create_entry(day["event"], athlete_ids=[make_athlete().id])
    with pytest.raises(DomainError):
        services.save_result(entry, rank=3, medal="bronze")
    result = services.save_result(entry, rank=3, medal="bronze", reason="Late score sheet")
    assert (result.is_provisional, result.correction_reason) == (False, "Late score sheet")
    assert tally(day["competition"]).bronze == 1


def test_results_saved_before_publishing_existed_are_official(
    app, make_competition, make_event, make_athlete, enter
):
    event = make_event(make_competition())
    entry = enter(event, make_athlete(), medal="gold")  # official, as the migration leaves it
    assert tally(event.competition).gold == 1
    with pytest.raises(DomainError):
        services.save_result(entry, rank=1, mark="600", medal="gold", version=1)


def test_a_protest_is_lodged_while_provisional_and_audited(app, day):
    entry = day["gold"]
    official.set_protest(entry, " Scoring of end 3 ", version=entry.version, actor=day["coach"])
    db.session.commit()
    assert entry.protest_note == "Scoring of end 3"
    assert official.open_protests(day["event"]) == [entry]
    [row] = audit_rows("entry", entry.id, "update")
    assert row.field_list == ["protest_note"]
    assert row.actor_id == day["coach"].id
    assert row.details == {
        "event_id": day["event"].id,
        "old": {"protest_note": ""},
        "new": {"protest_note": "Scoring of end 3"},
    }
    with pytest.raises(EditConflict):
        official.set_protest(entry, "", version=entry.version - 1)
    # Publishing with the protest open lists it in the audit row; then it is closed.
    official.publish_results(day["event"], actor=day["manager"])
    db.session.commit()
    [published] = audit_rows("competition_event", day["event"].id, "publish_results")
    assert published.details["open_protests"] == [entry.id]
    with pytest.raises(DomainError) as refused:
        official.set_protest(entry, "", version=entry.version)
    assert refused.value.field == "protest_note"


# --- routes -----------------------------------------------------------------------------


def results_url(day):
    return f"/competitions/events/{day['event'].id}/results"


def test_a_coach_who_does_not_manage_the_event_may_not_publish(client, day, login_as):
    login_as(user=day["coach"])
    page = client.get(results_url(day)).get_data(as_text=True)
    assert "Provisional." in page
    assert "Publish the results as official" not in page
    response = client.post(f"/competitions/events/{day['event'].id}/publish")
    assert response.status_code == 403
    db.session.expire_all()
    assert day["event"].results_published_at is None
    assert audit_rows("competition_event", day["event"].id, "publish_results") == []


def test_the_manager_publishes_from_the_results_screen(client, day, login_as):
    login_as(user=day["manager"])
    page = client.get(results_url(day)).get_data(as_text=True)
    assert "Publish the results as official" in page
    assert page.count("Provisional result") == 2
    response = client.post(f"/competitions/events/{day['event'].id}/publish")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(results_url(day))
    page = client.get(results_url(day)).get_data(as_text=True)
    assert "The results are published: they are official now." in page
    assert "Official." in page and "Provisional result" not in page
    assert 'name="reason"' in page
    db.session.expire_all()
    assert day["event"].results_published_by_id == day["manager"].id


def test_publishing_with_an_open_protest_asks_first(client, day, login_as):
    official.set_protest(day["silver"], "Bow weight", version=day["silver"].version)
    db.session.commit()
    login_as(user=day["manager"])
    url = f"/competitions/events/{day['event'].id}/publish"
    first = client.post(url)
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert "with open protests?" in html and 'name="confirmed" value="yes"' in html
    db.session.expire_all()
    assert day["event"].results_published_at is None
    assert client.post(url, data={"confirmed": "yes"}).status_code == 303
    db.session.expire_all()
    assert day["event"].results_published_at is not None


def test_after_publishing_the_screen_requires_a_reason_and_keeps_the_input(client, day, login_as):
    official.publish_results(day["event"], actor=day["manager"])
    db.session.commit()
    login_as(user=day["manager"])
    form = page_form(client.get(results_url(day)).get_data(as_text=True))
    silver = day["silver"]
    form[f"mark-{silver.id}"] = "645"
    response = client.post(results_url(day), data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<title>Error: Results: " in html
    assert 'href="#reason"' in html  # the error summary links to the field
    assert 'id="reason-error"' in html and 'aria-invalid="true"' in html
    assert page_form(html)[f"mark-{silver.id}"] == "645"  # the input is kept
    db.session.expire_all()
    assert silver.result.mark == "640"
    form["reason"] = "Video review"
    assert client.post(results_url(day), data=form).status_code == 303
    db.session.expire_all()
    assert (silver.result.mark, silver.result.correction_reason) == ("645", "Video review")
    page = client.get(results_url(day)).get_data(as_text=True)
    assert "Corrected on" in page and ": Video review" in page
    detail = client.get(f"/competitions/{day['competition'].id}").get_data(as_text=True)
    assert ": Video review" in detail


def test_protest_page_for_those_who_record_the_entry(client, day, login_as, make_user):
    url = f"/competitions/entries/{day['gold'].id}/protest"
    login_as(user=make_user("coach"))
    assert client.get(url).status_code == 403
    login_as(user=day["coach"])
    form = page_form(client.get(url).get_data(as_text=True))
    form["protest_note"] = "Target face was loose"
    assert client.post(url, data=form).status_code == 303
    db.session.expire_all()
    entry = db.session.get(Entry, day["gold"].id)
    assert entry.protest_note == "Target face was loose"
    # A stale version is a conflict with the input kept.
    form["protest_note"] = "Another"
    response = client.post(url, data=form)
    assert response.status_code == 409
    assert "Another" in response.get_data(as_text=True)


def test_medal_pages_say_only_official_results_count(client, day):
    note = "Only official results count"
    assert note in client.get("/competitions/").get_data(as_text=True)
    assert note in client.get(f"/competitions/{day['competition'].id}").get_data(as_text=True)


def test_the_ledger_ignores_a_provisional_gold_in_the_api(client, day):
    body = client.get("/api/v1/medals?from=2018-01-01&to=2018-12-31").get_json()
    assert (body["gold"], body["silver"]) == (0, 0)
    official.publish_results(day["event"], actor=day["manager"])
    db.session.commit()
    body = client.get("/api/v1/medals?from=2018-01-01&to=2018-12-31").get_json()
    assert (body["gold"], body["silver"]) == (1, 1)


def test_an_import_does_not_change_official_results(
    make_user, make_competition, make_event, make_athlete, make_person
):
    from datetime import date

    from app.competitions import imports

    coach = make_user("coach")
    athlete = make_athlete(
        coaches=[coach], person=make_person(name="张一", birth_on=date(1990, 5, 1))
    )
    event = make_event(make_competition(name="省残运会"), name="女子反曲弓")
    header = "competition,event,athlete,birth date,team,rank,mark,status,medal"
    first = f"{header}\n省残运会,女子反曲弓,张一,1990-05-01,,1,652,OK,gold".encode()
    imports.save_rows(imports.check_rows(first, coach), user=coach)
    db.session.commit()
    official.publish_results(event, actor=coach)
    db.session.commit()
    changed = f"{header}\n省残运会,女子反曲弓,张一,1990-05-01,,2,640,OK,silver".encode()
    with pytest.raises(DomainError) as refused:
        imports.save_rows(imports.check_rows(changed, coach), user=coach)
    assert refused.value.field == "file"
    assert "are official" in str(refused.value.message)
    db.session.rollback()
    [entry] = event.entries
    assert (entry.athletes, entry.result.mark) == ([athlete], "652")


def test_an_event_without_results_cannot_be_published(make_user, make_competition, make_event):
    manager = make_user("coach")
    event = make_event(make_competition(manager_id=manager.id))
    with pytest.raises(DomainError) as refused:
        official.publish_results(event, actor=manager)
    assert str(refused.value.message) == "The event has no results to publish yet."


def test_no_protest_before_there_is_a_result(client, day, login_as, enter, make_athlete):
    """A protest is lodged against a result: an entry with none is offered no protest link,
    its protest page says why, and the service refuses one."""
    waiting = enter(day["event"], make_athlete(coaches=[day["coach"]]), result=False)
    assert official.can_protest(waiting) is False
    assert official.can_protest(day["gold"]) is True
    with pytest.raises(DomainError) as refused:
        official.set_protest(waiting, "Lane 4 false start", version=waiting.version)
    assert refused.value.field == "protest_note"
    assert str(refused.value) == (
        "There is no result to protest yet: a protest is lodged against a result."
    )
    login_as(user=day["coach"])
    page = client.get(results_url(day)).get_data(as_text=True)
    assert f"/competitions/entries/{day['gold'].id}/protest" in page
    assert f"/competitions/entries/{waiting.id}/protest" not in page
    response = client.get(f"/competitions/entries/{waiting.id}/protest")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is no result to protest yet: a protest is lodged against a result." in html
    assert 'name="protest_note"' not in html
    db.session.expire_all()
    assert db.session.get(Entry, waiting.id).protest_note == ""


def test_no_result_before_the_event_s_day(client, login_as, frozen_clock, make_user, make_competition, make_event, make_athlete, enter):  # fmt: skip
    """Results are entered from the event's day (Beijing): the service refuses one earlier,
    the results screen says from when with no boxes and no save button (a row posted from an
    older page is refused), and on the day it saves."""
    from datetime import UTC, date, datetime

    from app.competitions import services

    manager = make_user("coach")
    competition = make_competition(
        name="County Games", manager_id=manager.id, start_on=date(2026, 12, 1)
    )
    event = make_event(competition)
    entry = enter(event, make_athlete(coaches=[manager]), result=False)
    frozen_clock.set(datetime(2026, 11, 30, 15, 59, tzinfo=UTC))  # 23:59 in Beijing
    assert official.too_early(event) is True
    with pytest.raises(DomainError) as refused:
        services.save_result(entry, rank=1, medal="gold", mark="652")
    assert str(refused.value) == (
        "This event has not taken place yet: results can be entered from Dec 1, 2026."
    )
    db.session.rollback()
    login_as(user=manager)
    url = f"/competitions/events/{event.id}/results"
    page = client.get(url).get_data(as_text=True)
    assert "results can be entered from Dec 1, 2026." in page
    # The rows are written inert, for a copy kept offline to open on the day (offline.js).
    inert = '<template data-results-open-on="2026-12-01" data-rendered-on="2026-11-30">'
    shown = re.sub(r"<template data-results-open-on.*?</template>", "", page, flags=re.S)
    assert (page.count(inert), '<input type="text"' in shown, "<select" in shown) == (
        2,
        False,
        False,
    )
    assert ("Save results" in shown, "Back to the competition" in shown) == (False, True)
    form = page_form(page)  # a row as an older copy of the page, with boxes, posts it
    form.update({f"rank-{entry.id}": "1", f"mark-{entry.id}": "652", f"medal-{entry.id}": "gold",
                 f"status-{entry.id}": "OK"})  # fmt: skip
    response = client.post(url, data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.count("results can be entered from Dec 1, 2026.") == 2  # summary and notice
    shown = re.sub(r"<template data-results-open-on.*?</template>", "", html, flags=re.S)
    assert (f'name="rank-{entry.id}"' in shown, "Save results" in shown) == (False, False)
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).result is None
    frozen_clock.set(datetime(2026, 11, 30, 16, 0, tzinfo=UTC))  # Dec 1, 00:00 in Beijing
    assert client.post(url, data=form).status_code == 303
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).result.mark == "652"
