"""Issue 19 item 3 and issue 13 item 10 (competitions): the conflict panel of a competition
and of an event lists every field that differs, sports (many-valued) included; a save that
loses the race to another process (StaleDataError at the UPDATE) is the same 409 with the
input kept, never a 500."""

import re

import pytest
import sqlalchemy as sa

from app.athletes.models import Sport
from app.competitions import services
from app.competitions.models import Competition, CompetitionEvent, Entry
from app.extensions import db

# A competition's own values, as services.update_competition takes them (another user's save).
COMPETITION_FIELDS = (
    "name",
    "level",
    "series",
    "edition",
    "host_city",
    "venue_id",
    "start_on",
    "end_on",
    "delegation",
    "status",
    "manager_id",
    "notes",
)


@pytest.fixture
def scene(make_user, make_competition, make_event, make_athlete, sports):
    manager = make_user("coach")
    competition = make_competition(name="City Games", manager_id=manager.id)
    event = make_event(competition)
    return {
        "manager": manager,
        "competition": competition,
        "event": event,
        "athlete": make_athlete(),
        "sports": sports,
    }


def competition_form(competition, **overrides):
    data = {
        "name": competition.name,
        "level": competition.level.value,
        "host_city": competition.host_city,
        "delegation": competition.delegation,
        "start_on-year": str(competition.start_on.year),
        "start_on-month": str(competition.start_on.month),
        "start_on-day": str(competition.start_on.day),
        "end_on-year": str(competition.end_on.year),
        "end_on-month": str(competition.end_on.month),
        "end_on-day": str(competition.end_on.day),
        "status": competition.status.value,
        "sport_ids": [str(s.id) for s in competition.sports],
        "version": str(competition.version),
    }
    data.update(overrides)
    return data


def _rows(html: str) -> dict[str, tuple[str, str]]:
    panel = re.search(r'<section class="conflict".*?</section>', html, re.S).group(0)
    return {
        label: (mine, saved)
        for label, mine, saved in re.findall(
            r'<th scope="row">(.*?)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>', panel, re.S
        )
    }


def test_competition_conflict_lists_sports_and_resaving_is_deliberate(client, login_as, scene):
    competition, sports = scene["competition"], scene["sports"]
    form = competition_form(competition, notes="我的备注，第一版")
    # Someone else adds a sport meanwhile.
    data = {
        **{k: getattr(competition, k) for k in COMPETITION_FIELDS},
        "sport_ids": [sports["archery"].id, sports["swimming"].id],
    }
    services.update_competition(competition, data, version=1)
    db.session.commit()
    login_as(user=scene["manager"])
    response = client.post(f"/competitions/{competition.id}/edit", data=form)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    rows = _rows(html)
    assert set(rows) == {"Sports", "Notes"}
    archery, swimming = (
        db.session.get(Sport, sports[c].id).display_name for c in ("archery", "swimming")
    )
    assert rows["Sports"] == (archery, f"{archery}, {swimming}")
    assert 'name="version" type="hidden" value="2"' in html
    assert "我的备注，第一版" in html  # the input, kept as typed
    # The manager now sees the other change; saving again with the sport ticked keeps both.
    again = competition_form(
        competition,
        notes="我的备注，第一版",
        version="2",
        sport_ids=[str(sports["archery"].id), str(sports["swimming"].id)],
    )
    assert client.post(f"/competitions/{competition.id}/edit", data=again).status_code == 303
    saved = db.session.get(Competition, competition.id, populate_existing=True)
    assert {s.id for s in saved.sports} == {sports["archery"].id, sports["swimming"].id}
    assert (saved.notes, saved.version) == ("我的备注，第一版", 3)


def test_coach_sees_no_manager_row_in_the_conflict(client, login_as, scene):
    competition = scene["competition"]
    form = competition_form(competition, name="新名字")
    services.update_competition(
        competition,
        {
            **{k: getattr(competition, k) for k in COMPETITION_FIELDS},
            "sport_ids": [s.id for s in competition.sports],
            "notes": "x",
        },
        version=1,
    )
    db.session.commit()
    login_as(user=scene["manager"])
    response = client.post(f"/competitions/{competition.id}/edit", data=form)
    assert response.status_code == 409
    rows = _rows(response.get_data(as_text=True))
    assert set(rows) == {"Competition name", "Notes"}, rows


def _bump(table: str, row_id: int):
    """Another process saves the row between the version check and the UPDATE."""
    db.session.execute(
        sa.text(f"UPDATE {table} SET version = version + 1 WHERE id = :id"), {"id": row_id}
    )


def test_competition_stale_write_is_a_409_not_a_500(client, login_as, scene, monkeypatch):
    competition = scene["competition"]
    real = services._competition_values

    def racing(data):
        _bump("competitions", competition.id)
        return real(data)

    monkeypatch.setattr(services, "_competition_values", racing)
    login_as(user=scene["manager"])
    response = client.post(
        f"/competitions/{competition.id}/edit", data=competition_form(competition, name="抢先")
    )
    assert response.status_code == 409
    assert 'value="抢先"' in response.get_data(as_text=True)
    assert db.session.get(Competition, competition.id, populate_existing=True).name == "City Games"


def test_event_stale_write_is_a_409_not_a_500(client, login_as, scene, monkeypatch):
    event = scene["event"]
    real = services._event_values

    def racing(competition, data):
        _bump("competition_events", event.id)
        return real(competition, data)

    monkeypatch.setattr(services, "_event_values", racing)
    login_as(user=scene["manager"])
    response = client.post(
        f"/competitions/events/{event.id}/edit",
        data={
            "name": "抢先的项目",
            "sport_id": str(event.sport_id),
            "gender": "women",
            "version": "1",
        },
    )
    assert response.status_code == 409
    assert 'value="抢先的项目"' in response.get_data(as_text=True)
    saved = db.session.get(CompetitionEvent, event.id, populate_existing=True)
    assert saved.name == "Women's individual compound open"


def test_withdrawal_stale_write_is_a_409_not_a_500(client, login_as, scene, enter, monkeypatch):
    entry = enter(scene["event"], scene["athlete"], result=False)
    real = services._enum

    def racing(enum_cls, value, message, field):
        if field == "status":
            _bump("entries", entry.id)
        return real(enum_cls, value, message, field)

    monkeypatch.setattr(services, "_enum", racing)
    login_as(user=scene["manager"])
    response = client.post(f"/competitions/entries/{entry.id}/withdraw", data={"version": "1"})
    assert response.status_code == 409
    assert db.session.get(Entry, entry.id, populate_existing=True).status.value == "nominated"


def test_sports_the_user_left_alone_are_not_reverted_by_saving_again(client, login_as, scene):
    competition, sports = scene["competition"], scene["sports"]
    login_as(user=scene["manager"])
    opened = client.get(f"/competitions/{competition.id}/edit").get_data(as_text=True)
    archery_id, swimming_id = sports["archery"].id, sports["swimming"].id
    assert f'name="opened_sport_ids" type="hidden" value="{archery_id}"' in opened
    data = {
        **{k: getattr(competition, k) for k in COMPETITION_FIELDS},
        "sport_ids": [archery_id, swimming_id],
    }
    services.update_competition(competition, data, version=1)  # someone adds swimming
    db.session.commit()
    # The manager changed only the notes.
    form = competition_form(competition, notes="只改了备注", opened_sport_ids=str(archery_id))
    form["sport_ids"] = [str(archery_id)]
    form["version"] = "1"
    response = client.post(f"/competitions/{competition.id}/edit", data=form)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    rows = _rows(html)
    swimming = db.session.get(Sport, swimming_id).display_name
    assert "you had not changed this field: the saved value is kept" in rows["Sports"][0]
    assert re.search(
        rf'<input checked id="sport_ids-\d+" name="sport_ids" type="checkbox" value="{swimming_id}"',
        html,
    )
    assert f'name="opened_sport_ids" type="hidden" value="{archery_id},{swimming_id}"' in html
    assert swimming in rows["Sports"][1]
    # Saving again what the page holds keeps the other person's sport and the notes.
    again = dict(
        form,
        version="2",
        sport_ids=[str(archery_id), str(swimming_id)],
        opened_sport_ids=f"{archery_id},{swimming_id}",
    )
    assert client.post(f"/competitions/{competition.id}/edit", data=again).status_code == 303
    saved = db.session.get(Competition, competition.id, populate_existing=True)
    assert {s.id for s in saved.sports} == {archery_id, swimming_id}
    assert saved.notes == "只改了备注"
