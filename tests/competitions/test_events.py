"""Editing a competition event and withdrawing an entry: the managing coach and admins only
(a coach of the entry's athlete may withdraw it), invalid input named, a stale version is a
409 with both values and the input kept, every change audited with old and new values. The
competition form's venue and manager pickers, and the medal table's delegation filter."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from app.competitions.enums import EntryStatus
from app.competitions.models import Competition, CompetitionEvent, Entry
from app.core.audit import AuditEvent
from app.extensions import db


@pytest.fixture
def setup(make_user, make_competition, make_event, make_athlete, make_venue, enter):
    manager = make_user("coach", display_name="Manager Coach")
    athletes_coach = make_user("coach")
    outsider = make_user("coach")
    competition = make_competition(name="City Games", manager_id=manager.id)
    event = make_event(competition)
    athlete = make_athlete(coaches=[athletes_coach])
    entry = enter(event, athlete, result=False)
    return {
        "manager": manager,
        "athletes_coach": athletes_coach,
        "outsider": outsider,
        "competition": competition,
        "event": event,
        "entry": entry,
        "venue": make_venue(name="射箭场"),
        "other_venue": make_venue(name="游泳馆"),
    }


def event_form(setup, **overrides):
    data = {
        "name": "Women's individual recurve open",
        "sport_id": str(setup["event"].sport_id),
        "gender": "women",
        "sport_class": "Open",
        "day-year": "2018",
        "day-month": "5",
        "day-day": "2",
        "start_time": "09:30",
        "end_time": "11:00",
        "venue_id": str(setup["venue"].id),
        "version": "1",
    }
    data.update(overrides)
    return data


def test_manager_edits_an_event(client, login_as, setup):
    login_as(user=setup["manager"])
    url = f"/competitions/events/{setup['event'].id}/edit"
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in html
    assert "射箭场" in html and "游泳馆" in html
    response = client.post(url, data=event_form(setup))
    assert response.status_code == 303
    event = db.session.get(CompetitionEvent, setup["event"].id, populate_existing=True)
    assert event.name == "Women's individual recurve open"
    assert event.venue_id == setup["venue"].id
    # 09:30–11:00 Beijing time are 01:30–03:00 UTC.
    assert (event.starts_at, event.ends_at) == (
        datetime(2018, 5, 2, 1, 30, tzinfo=UTC),
        datetime(2018, 5, 2, 3, 0, tzinfo=UTC),
    )
    assert event.version == 2
    audit = db.session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.entity == "competition_event", AuditEvent.action == "update"
        )
    )
    assert audit.actor_id == setup["manager"].id
    assert audit.details["old"]["name"] == "Women's individual compound open"
    assert audit.details["new"]["venue_id"] == setup["venue"].id
    assert audit.details["new"]["starts_at"] == "2018-05-02T01:30:00+00:00"
    # The competition page shows the venue and the edit link.
    detail = client.get(f"/competitions/{setup['competition'].id}").get_data(as_text=True)
    assert "射箭场" in detail and f"/competitions/events/{event.id}/edit" in detail


@pytest.mark.parametrize("who", ["athletes_coach", "outsider"])
def test_only_managers_edit_events(client, login_as, setup, who):
    login_as(user=setup[who])
    url = f"/competitions/events/{setup['event'].id}/edit"
    assert client.get(url).status_code == 403
    assert client.post(url, data=event_form(setup)).status_code == 403
    assert db.session.get(CompetitionEvent, setup["event"].id).version == 1


def test_admin_edits_any_event(client, login_as, setup):
    login_as("admin")
    url = f"/competitions/events/{setup['event'].id}/edit"
    assert client.post(url, data=event_form(setup, venue_id="")).status_code == 303


def test_anonymous_is_sent_to_sign_in(client, setup):
    response = client.get(f"/competitions/events/{setup['event'].id}/edit")
    assert response.status_code in (302, 303)
    assert client.get("/competitions/events/999999/edit").status_code in (302, 303)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the event&#39;s name."),
        ({"venue_id": "999999"}, "Choose the venue from the list."),
        ({"venue_id": "x"}, "Choose the venue from the list."),
        ({"start_time": "25:00"}, "Write the time as hours:minutes, for example 09:30."),
        ({"start_time": "11:00", "end_time": "09:00"}, "The event must end after it starts."),
        ({"sport_id": "999999"}, "Not a valid choice."),
        ({"is_team": "y"}, "cannot change between individual and team"),
    ],
)
def test_invalid_event_input_is_422_with_input_kept(client, login_as, setup, overrides, message):
    login_as(user=setup["manager"])
    response = client.post(
        f"/competitions/events/{setup['event'].id}/edit", data=event_form(setup, **overrides)
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'value="Open"' in html  # the sport class typed is kept
    assert db.session.get(CompetitionEvent, setup["event"].id).version == 1


def test_stale_event_edit_is_a_409_with_both_values(client, login_as, setup):
    from app.competitions import services

    event = setup["event"]
    services.update_event(
        event, {**_values(event), "name": "Renamed by someone else"}, version=event.version
    )
    db.session.commit()
    login_as(user=setup["manager"])
    response = client.post(f"/competitions/events/{event.id}/edit", data=event_form(setup))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Renamed by someone else" in html  # the saved value
    assert 'value="Women&#39;s individual recurve open"' in html  # the input, kept
    assert "射箭场" in html
    assert 'name="version" type="hidden" value="2"' in html
    # Saving again keeps the user's values.
    again = client.post(
        f"/competitions/events/{event.id}/edit", data=event_form(setup, version="2")
    )
    assert again.status_code == 303
    assert db.session.get(CompetitionEvent, event.id, populate_existing=True).version == 3


def _values(event):
    return {
        "name": event.name,
        "sport_id": event.sport_id,
        "gender": event.gender,
        "sport_class": event.sport_class,
        "is_team": event.is_team,
    }


def test_coach_of_the_athlete_withdraws_the_entry(client, login_as, setup):
    login_as(user=setup["athletes_coach"])
    entry = setup["entry"]
    url = f"/competitions/entries/{entry.id}/withdraw"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="version" type="hidden" value="1"' in page.get_data(as_text=True)
    response = client.post(url, data={"version": "1"})
    assert response.status_code == 303
    entry = db.session.get(Entry, entry.id, populate_existing=True)
    assert (entry.status, entry.version) == (EntryStatus.WITHDRAWN, 2)
    audit = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.entity == "entry", AuditEvent.action == "update")
    )
    assert audit.details == {"old": {"status": "nominated"}, "new": {"status": "withdrawn"}}
    assert audit.actor_id == setup["athletes_coach"].id
    assert "This entry is withdrawn already." in client.get(url).get_data(as_text=True)


def test_manager_sees_withdraw_links(client, login_as, setup):
    login_as(user=setup["manager"])
    html = client.get(f"/competitions/{setup['competition'].id}").get_data(as_text=True)
    assert f"/competitions/entries/{setup['entry'].id}/withdraw" in html
    response = client.post(
        f"/competitions/entries/{setup['entry'].id}/withdraw", data={"version": "1"}
    )
    assert response.status_code == 303


def test_outsider_cannot_withdraw(client, login_as, setup):
    login_as(user=setup["outsider"])
    url = f"/competitions/entries/{setup['entry'].id}/withdraw"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"version": "1"}).status_code == 403
    html = client.get(f"/competitions/{setup['competition'].id}").get_data(as_text=True)
    assert "/withdraw" not in html
    assert db.session.get(Entry, setup["entry"].id).status == EntryStatus.NOMINATED
    assert client.get("/competitions/entries/999999/withdraw").status_code == 404


def test_stale_withdrawal_is_a_409_with_both_statuses(client, login_as, setup):
    from app.competitions import services

    entry = setup["entry"]
    services.set_entry_status(entry, "confirmed", version=entry.version)
    db.session.commit()
    login_as(user=setup["manager"])
    url = f"/competitions/entries/{entry.id}/withdraw"
    response = client.post(url, data={"version": "1"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Confirmed" in html and "Withdrawn" in html
    assert 'name="version" type="hidden" value="2"' in html
    assert db.session.get(Entry, entry.id, populate_existing=True).status == EntryStatus.CONFIRMED
    assert client.post(url, data={"version": "2"}).status_code == 303
    # A missing version is never taken as the current one.
    assert client.post(url, data={}).status_code == 409


def test_services_refuse_a_stale_version(setup):
    from app.competitions import services
    from app.core.errors import EditConflict

    with pytest.raises(EditConflict):
        services.set_entry_status(setup["entry"], "withdrawn", version=7)
    with pytest.raises(EditConflict):
        services.update_event(setup["event"], _values(setup["event"]), version=7)


def competition_form(**overrides):
    data = {
        "name": "District Friendly",
        "level": "district",
        "start_on-year": "2026",
        "start_on-month": "12",
        "start_on-day": "20",
        "status": "planned",
    }
    data.update(overrides)
    return data


def test_admin_picks_venue_and_manager(client, login_as, setup):
    login_as("admin")
    page = client.get("/competitions/new").get_data(as_text=True)
    assert 'name="manager_id"' in page and "Manager Coach" in page
    assert 'name="venue_id"' in page
    data = competition_form(venue_id=str(setup["venue"].id), manager_id=str(setup["manager"].id))
    assert client.post("/competitions/new", data=data).status_code == 303
    made = db.session.scalar(sa.select(Competition).where(Competition.name == "District Friendly"))
    assert (made.venue_id, made.manager_id) == (setup["venue"].id, setup["manager"].id)


def test_invalid_manager_and_venue_are_named(client, login_as, setup, make_user):
    login_as("admin")
    not_a_coach = make_user("organiser")
    response = client.post(
        "/competitions/new", data=competition_form(manager_id=str(not_a_coach.id))
    )
    assert response.status_code == 422
    assert "Choose the manager from the list of coaches." in response.get_data(as_text=True)
    response = client.post("/competitions/new", data=competition_form(venue_id="abc"))
    assert response.status_code == 422
    assert "Choose the venue from the list." in response.get_data(as_text=True)


def test_coach_has_no_manager_picker_and_keeps_managing(client, login_as, setup):
    login_as(user=setup["manager"])
    url = f"/competitions/{setup['competition'].id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'name="manager_id"' not in page and 'name="venue_id"' in page
    data = competition_form(
        name="City Games",
        level="national",
        venue_id=str(setup["other_venue"].id),
        manager_id=str(setup["outsider"].id),
        version="1",
        **{"start_on-year": "2018", "start_on-month": "5", "start_on-day": "1"},
    )
    assert client.post(url, data=data).status_code == 303
    competition = db.session.get(Competition, setup["competition"].id, populate_existing=True)
    assert (competition.venue_id, competition.manager_id) == (
        setup["other_venue"].id,
        setup["manager"].id,
    )


def test_medal_table_filters_by_delegation_and_sport(
    client, make_competition, make_event, make_athlete, enter
):
    zhejiang = make_competition(delegation="Zhejiang", start_on=date(2019, 5, 1))
    ningbo = make_competition(delegation="Ningbo", start_on=date(2019, 6, 1))
    enter(make_event(zhejiang), make_athlete(), medal="gold")
    enter(make_event(ningbo), make_athlete(), medal="silver")
    enter(make_event(ningbo, sport="swimming", name="50 m"), make_athlete(), medal="bronze")
    html = client.get("/competitions/?delegation=Ningbo").get_data(as_text=True)
    assert "2 medals from 2019 to 2019: 0 gold, 1 silver and 1 bronze." in html
    assert '<option value="Ningbo" selected>' in html
    html = client.get("/competitions/?delegation=Ningbo&sport=swimming").get_data(as_text=True)
    assert "1 medals from 2019 to 2019: 0 gold, 0 silver and 1 bronze." in html
    # An unknown delegation or sport is ignored, not an error.
    html = client.get("/competitions/?delegation=Mars&sport=no-such-sport").get_data(as_text=True)
    assert "3 medals from 2019 to 2019" in html


def test_athlete_profile_links_to_the_career_page(client, login_as, setup, make_athlete):
    coach = setup["athletes_coach"]
    athlete = make_athlete(coaches=[coach])
    login_as(user=coach)
    html = client.get(f"/athletes/{athlete.id}").get_data(as_text=True)
    assert f'href="/competitions/athletes/{athlete.id}"' in html
    assert client.get(f"/competitions/athletes/{athlete.id}").status_code == 200


@pytest.fixture
def team_setup(setup, make_event, make_person):
    return {**setup, "helper": make_person(name="向导甲", birth_on=date(1980, 5, 17))}


def entry_form(athlete, **overrides):
    data = {"athlete_ids": [str(athlete.id)], "status": "nominated", "support_role": "guide"}
    data.update(overrides)
    return data


def test_support_person_from_the_register_by_number_and_birth_date(
    client, login_as, team_setup, make_athlete, make_event
):
    from app.competitions.models import EntrySupport

    login_as(user=team_setup["manager"])
    event = make_event(team_setup["competition"], name="Second")
    athlete = make_athlete()
    helper = team_setup["helper"]
    url = f"/competitions/events/{event.id}/entries/new"
    form = entry_form(
        athlete,
        support_register_number=str(helper.id),
        **{
            "support_birth_on-year": "1980",
            "support_birth_on-month": "5",
            "support_birth_on-day": "17",
        },
    )
    assert client.post(url, data=form).status_code == 303
    support = db.session.scalar(
        sa.select(EntrySupport).join(Entry).where(Entry.event_id == event.id)
    )
    assert (support.person_id, support.role.value, support.name) == (helper.id, "guide", "")
    fields, details = db.session.execute(
        sa.select(AuditEvent.fields, AuditEvent.details).where(
            AuditEvent.entity == "entry", AuditEvent.entity_id == support.entry_id
        )
    ).one()
    assert fields == "athletes,status,support,team_name"
    assert details["support"] == [{"role": "guide", "person_id": helper.id}]


@pytest.mark.parametrize("number", ["{id}", "9999999999", "x"])
def test_support_person_must_match_number_and_birth_date(
    client, login_as, team_setup, make_athlete, make_event, number
):
    login_as(user=team_setup["manager"])
    event = make_event(team_setup["competition"], name="Second")
    form = entry_form(
        make_athlete(),
        support_register_number=number.format(id=team_setup["helper"].id),
        **{
            "support_birth_on-year": "1981",
            "support_birth_on-month": "5",
            "support_birth_on-day": "17",
        },
    )
    response = client.post(f"/competitions/events/{event.id}/entries/new", data=form)
    assert response.status_code == 422
    assert (
        "No person in the register has this register number and birth date."
        in response.get_data(as_text=True)
    )
    assert (
        db.session.scalar(sa.select(sa.func.count(Entry.id)).where(Entry.event_id == event.id)) == 0
    )
