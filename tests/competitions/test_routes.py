"""Competition pages: the public medal table and competition page (names only with
publication consent), the forms, the results screen with its permissions, invalid input and
the 409 on a stale version; query counts are fixed."""

from datetime import date

import pytest
import sqlalchemy as sa

from app.competitions.models import Competition, Entry, Result
from app.core.audit import AuditEvent
from app.core.errors import DomainError
from app.extensions import db
from app.people import services as people_services
from app.people.enums import ConsentKind

EN = {"Accept-Language": "en"}


def publish(person):
    people_services.record_consent(
        person, kind=ConsentKind.PUBLICATION, given_on=date(2024, 1, 1), given_by="self"
    )
    db.session.commit()


@pytest.fixture
def scene(make_user, make_competition, make_event, make_athlete, make_person, enter):
    coach = make_user("coach")
    other_coach = make_user("coach")
    named = make_athlete(coaches=[coach], person=make_person(name="周佳敏"))
    hidden = make_athlete(coaches=[other_coach], person=make_person(name="保密运动员"))
    competition = make_competition(name="Provincial Games", level="provincial")
    event = make_event(competition)
    mine = enter(event, named, medal="gold", mark="652")
    theirs = enter(event, hidden, medal="silver", mark="640")
    return {
        "coach": coach,
        "other_coach": other_coach,
        "named": named,
        "hidden": hidden,
        "competition": competition,
        "event": event,
        "mine": mine,
        "theirs": theirs,
    }


def test_public_medal_table(client, scene, count_queries):
    publish(scene["named"].person)
    with count_queries() as q:
        response = client.get("/competitions/?from_year=2018&to_year=2018")
    assert response.status_code == 200
    assert (
        q.count == 7
    )  # medals, medallists, their people, consents, competitions, sports, delegations
    html = response.get_data(as_text=True)
    assert "2 medals from 2018 to 2018: 1 gold, 1 silver and 0 bronze." in html
    assert "周佳敏" in html
    assert "保密运动员" not in html
    assert "an athlete" in html
    assert "<svg" in html and "<caption>Medals by year and level" in html
    assert "<title>2018: 1 gold</title>" in html and "<title>2018: 1 silver</title>" in html


def test_medals_by_competition_come_a_page_at_a_time_latest_first(
    client, monkeypatch, make_competition, make_event, make_athlete, enter
):
    """The table of medals by competition grew with every competition (700 KB at the load
    test's scale 100): it shows COMPETITIONS_PER_PAGE rows, the latest first, with the
    filters kept on the links to the other pages."""
    from app.competitions.views import medals

    monkeypatch.setattr(medals, "COMPETITIONS_PER_PAGE", 2)
    athlete = make_athlete()
    for year in (2019, 2020, 2021):
        competition = make_competition(
            name=f"Games {year}", level="provincial", start_on=date(year, 5, 1)
        )
        enter(make_event(competition), athlete, medal="gold", mark="650")
    first = client.get("/competitions/?level=provincial&rank_by=total", headers=EN)
    html = first.get_data(as_text=True)
    region = html[html.index("<caption>Medals by competition") :]
    region = region[: region.index("</table>")]
    assert "<caption>Medals by competition (1–2 of 3)</caption>" in region
    assert region.index("Games 2021") < region.index("Games 2020")
    assert "Games 2019" not in region
    assert ">3</td>" in region  # the total row still counts every competition's gold
    assert '<span aria-current="page">Page 1 of 2</span>' in html
    assert 'href="/competitions/?page=2&amp;level=provincial&amp;rank_by=total"' in html
    second = client.get("/competitions/?page=2&level=provincial&rank_by=total", headers=EN)
    region = second.get_data(as_text=True)
    region = region[region.index("<caption>Medals by competition") :]
    region = region[: region.index("</table>")]
    assert "<caption>Medals by competition (3–3 of 3)</caption>" in region
    assert "Games 2019" in region and "Games 2021" not in region
    # A page past the end is the last page, not an error.
    assert "(3–3 of 3)" in client.get("/competitions/?page=99", headers=EN).get_data(as_text=True)


def test_medal_table_ranked_by_total(client, scene):
    response = client.get("/competitions/?rank_by=total&level=provincial")
    assert response.status_code == 200
    assert '<option value="total" selected>' in response.get_data(as_text=True)


def test_public_competition_page_hides_names_without_consent(
    client, scene, count_queries, make_event, make_athlete, enter
):
    competition = scene["competition"]
    url = f"/competitions/{competition.id}"
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "周佳敏" not in html and "保密运动员" not in html
    assert html.count("athlete of Zhejiang") == 2  # as the live results say (rules.hidden_name)
    assert "1 gold, 1 silver, 0 bronze" in html
    assert "Record results" not in html
    assert q.count == 11
    # Another event with a team entry and a result: the count stays.
    team = make_event(competition, name="Team", is_team=True)
    enter(team, make_athlete(), make_athlete(), medal="bronze", team_name="Ningbo")
    url = f"/competitions/{competition.id}"
    with count_queries() as again:
        assert client.get(url).status_code == 200
    assert again.count == 11
    assert client.get("/competitions/999999").status_code == 404


def test_coach_sees_names(client, scene, login_as):
    login_as(user=scene["coach"])
    html = client.get(f"/competitions/{scene['competition'].id}").get_data(as_text=True)
    assert "周佳敏" in html and "保密运动员" in html


def test_results_screen_lists_only_own_entries_editable(client, scene, login_as, count_queries):
    login_as(user=scene["coach"])
    url = f"/competitions/events/{scene['event'].id}/results"
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    assert q.count == 9
    html = response.get_data(as_text=True)
    assert f'name="rank-{scene["mine"].id}"' in html
    assert f'name="rank-{scene["theirs"].id}"' not in html


def _row(entry_id, reason="", **values):
    """One row of the results screen; ``reason``: the screen's reason for a correction (the
    scene's results are official, as saved before publishing existed)."""
    row = {"rank": "", "mark": "", "mark_value": "", "status": "OK", "medal": "none", "notes": ""}
    row.update(values)
    return {f"{k}-{entry_id}": v for k, v in row.items()} | ({"reason": reason} if reason else {})


def test_coach_records_a_result(client, scene, login_as):
    login_as(user=scene["coach"])
    mine = scene["mine"]
    data = _row(
        mine.id, rank="1", mark="655", mark_value="655", medal="gold", version="1", reason="Recount"
    )
    response = client.post(f"/competitions/events/{scene['event'].id}/results", data=data)
    assert response.status_code == 303
    result = db.session.scalar(sa.select(Result).where(Result.entry_id == mine.id))
    assert (result.mark, result.version) == ("655", 2)
    details = db.session.scalar(
        sa.select(AuditEvent.details).where(
            AuditEvent.entity == "result", AuditEvent.action == "update"
        )
    )
    assert details["old"] == {"mark": "652", "mark_value": None}
    assert details["new"] == {"mark": "655", "mark_value": "655"}


def test_invalid_result_is_422_with_the_rule(client, scene, login_as):
    login_as(user=scene["coach"])
    mine = scene["mine"]
    data = _row(mine.id, status="DNF", medal="gold", version="1")
    response = client.post(f"/competitions/events/{scene['event'].id}/results", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    # Rows in the order of competition: no heats or lanes here, so by pinyin (保… before 周…).
    assert "Row 2: Only a result with status OK can hold a medal." in html
    assert html.index('id="entry-' + str(scene["theirs"].id)) < html.index(f'id="entry-{mine.id}"')
    assert db.session.scalar(sa.select(Result.status).where(Result.entry_id == mine.id)) == "OK"


def test_stale_version_is_409_with_both_values(client, scene, login_as):
    login_as(user=scene["coach"])
    mine = scene["mine"]
    url = f"/competitions/events/{scene['event'].id}/results"
    first = _row(mine.id, rank="1", mark="660", medal="gold", version="1", reason="Recount")
    assert client.post(url, data=first).status_code == 303
    stale = _row(mine.id, rank="1", mark="648", medal="gold", version="1", reason="Recount")
    response = client.post(url, data=stale)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "<td>648</td>" in html and "<td>660</td>" in html  # mark: yours, saved
    assert 'value="648"' in html
    assert f'name="version-{mine.id}" value="2"' in html
    assert db.session.scalar(sa.select(Result.mark).where(Result.entry_id == mine.id)) == "660"


def test_coach_of_nobody_here_is_refused(client, scene, login_as):
    login_as("coach")
    assert client.get(f"/competitions/events/{scene['event'].id}/results").status_code == 403
    theirs = scene["theirs"]
    login_as(user=scene["coach"])
    data = _row(theirs.id, rank="2", mark="1", medal="silver", version="1")
    client.post(f"/competitions/events/{scene['event'].id}/results", data=data)
    assert db.session.scalar(sa.select(Result.mark).where(Result.entry_id == theirs.id)) == "640"


def test_public_and_participant_cannot_record(client, scene, login_as):
    url = f"/competitions/events/{scene['event'].id}/results"
    assert client.get(url).status_code == 302
    login_as("participant")
    assert client.get(url).status_code == 403


def test_admin_records_every_entry(client, scene, login_as):
    login_as("admin")
    html = client.get(f"/competitions/events/{scene['event'].id}/results").get_data(as_text=True)
    assert f'name="rank-{scene["theirs"].id}"' in html


def test_moving_a_competitions_dates_away_from_its_events_says_which_to_move(
    client, login_as, make_competition, make_event
):
    from app.core import clock
    from tests.roundtrip import post_data, read_form

    coach = login_as("coach")
    competition = make_competition(
        start_on=date(2026, 12, 8), end_on=date(2026, 12, 10), manager_id=coach.id
    )
    for name, day in (("男子50米", 9), ("女子50米", 10)):
        make_event(competition, name=name, starts_at=clock.local_instant(date(2026, 12, day)))
    url = f"/competitions/{competition.id}/edit"
    moved = post_data(
        read_form(client.get(url).get_data(as_text=True), url),
        {"start_on-day": "10", "end_on-day": "12"},
    )
    response = client.post(url, data=moved)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        '<div class="notice notice-warning" role="status">Competition saved. 1 event is not on'
        " the competition&#39;s days now (男子50米): change its day.</div>"
    ) in page


def test_coach_creates_and_manages_a_competition(client, login_as, sports):
    coach = login_as("coach")
    data = {
        "name": "区残疾人旱地冰壶友谊赛",
        "level": "district",
        "start_on-year": "2026",
        "start_on-month": "3",
        "start_on-day": "12",
        "status": "planned",
        "sport_ids": [str(sports["dryland_curling"].id)],
    }
    response = client.post("/competitions/new", data=data)
    assert response.status_code == 303
    competition = db.session.scalar(sa.select(Competition))
    assert (competition.manager_id, competition.end_on) == (coach.id, date(2026, 3, 12))
    response = client.post(
        f"/competitions/{competition.id}/events/new",
        data={
            "name": "混合团体",
            "sport_id": str(sports["dryland_curling"].id),
            "gender": "mixed",
            "is_team": "y",
        },
    )
    assert response.status_code == 303
    edit = client.get(f"/competitions/{competition.id}/edit")
    assert edit.status_code == 200
    data.update({"name": "友谊赛", "version": "1"})
    assert client.post(f"/competitions/{competition.id}/edit", data=data).status_code == 303
    stale = dict(data, name="另一个名字", version="1")
    response = client.post(f"/competitions/{competition.id}/edit", data=stale)
    assert response.status_code == 409
    assert "另一个名字" in response.get_data(as_text=True)
    assert "友谊赛" in response.get_data(as_text=True)
    login_as("coach")
    assert client.get(f"/competitions/{competition.id}/edit").status_code == 403


def test_competition_form_invalid_dates(client, login_as):
    login_as("admin")
    response = client.post(
        "/competitions/new",
        data={
            "name": "X",
            "level": "city",
            "status": "planned",
            "start_on-year": "2026",
            "start_on-month": "3",
            "start_on-day": "12",
            "end_on-year": "2026",
            "end_on-month": "3",
            "end_on-day": "1",
        },
    )
    assert response.status_code == 422
    assert "The last day must be on or after the first day." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Competition.id))) == 0


def test_entry_form_warns_about_classification(client, scene, login_as, make_athlete):
    coach = login_as(user=scene["coach"])
    new = make_athlete(coaches=[coach])
    response = client.post(
        f"/competitions/events/{scene['event'].id}/entries/new",
        data={"athlete_ids": [str(new.id)], "status": "nominated", "support_role": ""},
    )
    assert response.status_code == 303
    entry_id = db.session.scalar(sa.select(sa.func.max(Entry.id)))
    assert response.headers["Location"] == f"/competitions/entries/{entry_id}/warnings"
    # Flashes travel in the client-readable session cookie: a generic warning only, no
    # athlete number and no classification status.
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    serializer = client.application.session_interface.get_signing_serializer(client.application)
    payload = serializer.loads(cookie.split(";")[0].removeprefix("session="))
    flashes = [message for _category, message in payload["_flashes"]]
    assert flashes == ["Entry added.", "Check the classification warnings for this entry."]
    assert "Athlete number" not in str(payload) and "classification in this" not in str(payload)
    # The details are on the page the coach lands on.
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    # On the page the athlete is named already: no internal athlete number (a browser task
    # found "示例·杨婷: 编号为 16 的运动员在该项目中没有分级。").
    assert "Has no classification in this sport." in text
    assert "Athlete number" not in text
    assert "Check the classification warnings for this entry." in text
    assert db.session.scalar(sa.select(sa.func.count(Entry.id))) == 3
    response = client.post(
        f"/competitions/events/{scene['event'].id}/entries/new",
        data={"athlete_ids": [str(new.id)], "status": "nominated", "support_role": ""},
    )
    assert response.status_code == 422
    assert "An athlete you chose is already entered in this event." in response.get_data(
        as_text=True
    )


def test_athlete_career_page(client, scene, make_event, make_athlete, enter, count_queries):
    named = scene["named"]
    team = make_event(scene["competition"], name="Team recurve", is_team=True)
    enter(team, named, make_athlete(), medal="bronze", team_name="Zhejiang")
    url = f"/competitions/athletes/{named.id}"
    assert client.get(url).status_code == 404
    publish(named.person)
    with count_queries() as q:
        response = client.get(url)
    assert response.status_code == 200
    assert q.count == 5
    html = response.get_data(as_text=True)
    assert "Results and medals of 周佳敏" in html
    assert "1 gold, 0 silver, 1 bronze" in html
    assert "Team recurve (team: Zhejiang)" in html
    assert 'href="/competitions/athletes/' in client.get("/competitions/").get_data(as_text=True)


def test_coach_sees_career_of_own_athlete_without_consent(client, scene, login_as):
    login_as(user=scene["other_coach"])
    assert client.get(f"/competitions/athletes/{scene['hidden'].id}").status_code == 200
    assert client.get(f"/competitions/athletes/{scene['named'].id}").status_code == 404


def test_event_with_local_schedule(client, login_as, make_competition, sports):
    from datetime import UTC, datetime

    from app.competitions.models import CompetitionEvent

    login_as("admin")
    competition = make_competition(start_on=date(2026, 4, 8), end_on=date(2026, 4, 10))
    url = f"/competitions/{competition.id}/events/new"
    data = {
        "name": "女子个人反曲弓",
        "sport_id": str(sports["archery"].id),
        "gender": "women",
        "day-year": "2026",
        "day-month": "4",
        "day-day": "9",
        "start_time": "09:30",
        "end_time": "11：00",
    }
    assert client.post(url, data=data).status_code == 303
    event = db.session.scalar(sa.select(CompetitionEvent))
    assert (event.starts_at, event.ends_at) == (
        datetime(2026, 4, 9, 1, 30, tzinfo=UTC),
        datetime(2026, 4, 9, 3, 0, tzinfo=UTC),
    )
    assert "2026-04-09 09:30 – 2026-04-09 11:00" in client.get(
        f"/competitions/{competition.id}"
    ).get_data(as_text=True)
    bad = dict(data, start_time="9.30")
    response = client.post(url, data=bad)
    assert response.status_code == 422
    assert "Write the time as hours:minutes, for example 09:30." in response.get_data(as_text=True)
    # A day outside the competition's: said at the day, what was typed kept, nothing saved.
    response = client.post(url, data=dict(data, **{"day-day": "20", "name": "男子个人反曲弓"}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (
        "The event&#39;s day must be one of the competition&#39;s days, Apr 8, 2026 to Apr 10, 2026."
        in page
    )
    assert 'value="男子个人反曲弓"' in page and 'value="20"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CompetitionEvent)) == 1
    no_day = {k: v for k, v in data.items() if not k.startswith("day-")}
    response = client.post(url, data=no_day)
    assert response.status_code == 422
    assert "Enter the day of the event to give it a time." in response.get_data(as_text=True)
    response = client.post(url, data=dict(data, end_time="08:00"))
    assert response.status_code == 422
    assert "The event must end after it starts." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(CompetitionEvent.id))) == 1


def test_medal_table_ignores_non_ascii_year_digits(client):
    # "²⁰²¹" passes str.isdigit() but not int(): it must be ignored, not a 500.
    assert client.get("/competitions/?to_year=²²²²&from_year=２０１７").status_code == 200


def test_entry_warnings_page_only_for_those_who_record_it(
    client, scene, login_as, make_athlete, make_user
):
    coach = login_as(user=scene["coach"])
    new = make_athlete(coaches=[coach])
    response = client.post(
        f"/competitions/events/{scene['event'].id}/entries/new",
        data={"athlete_ids": [str(new.id)], "status": "nominated", "support_role": ""},
    )
    url = response.headers["Location"]
    assert client.get(url).status_code == 200
    login_as("coach")  # another coach, not managing the competition nor coaching the athlete
    assert client.get(url).status_code == 404
    assert client.get("/competitions/entries/99999/warnings").status_code == 404


def test_unreadable_ids_and_versions_are_clear_errors(client, scene, login_as):
    login_as("admin")
    huge = "9" * 20
    response = client.post(
        "/competitions/new",
        data={
            "name": "X",
            "level": "city",
            "status": "planned",
            "start_on-year": "2026",
            "start_on-month": "3",
            "start_on-day": "1",
            "end_on-year": "2026",
            "end_on-month": "3",
            "end_on-day": "2",
            "venue_id": huge,
            "manager_id": huge,
        },
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Choose the venue from the list." in text
    assert f'value="{huge}"' not in text or "Choose the venue" in text


@pytest.mark.parametrize("version", ["9" * 5000, "9" * 20, "²", "-1"])
def test_unreadable_result_version_is_a_409_not_a_500(client, scene, login_as, version):
    login_as(user=scene["coach"])
    mine = scene["mine"]
    url = f"/competitions/events/{scene['event'].id}/results"
    data = _row(mine.id, rank="1", mark="660", version=version, reason="Recount")
    response = client.post(url, data=data)
    assert response.status_code == 409
    assert db.session.scalar(sa.select(Result.mark).where(Result.entry_id == mine.id)) == "652"


def test_services_refuse_oversized_ids(scene):
    from app.competitions import services

    huge = "9" * 20
    with pytest.raises(DomainError) as venue:
        services._venue_id(huge)
    assert venue.value.field == "venue_id"
    with pytest.raises(DomainError) as manager:
        services._manager_id(huge)
    assert manager.value.field == "manager_id"
    with pytest.raises(DomainError):
        services._sports([huge])
    with pytest.raises(DomainError):
        services.create_entry(scene["event"], athlete_ids=[huge])
    with pytest.raises(DomainError):
        services._support([{"role": "guide", "person_id": huge}])
