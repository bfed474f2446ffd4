"""Bibs, heats and lanes of an entry (issue 17, before the start): the rules of
app/competitions/startlists.py on the services, and the entry edit form (manager only, the
version check and 409, invalid input kept with a clear message)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.competitions import services, startlists
from app.competitions.enums import EntryStatus
from app.competitions.models import Entry
from app.core.audit import AuditEvent
from app.core.errors import DomainError, EditConflict
from app.extensions import db


def place(entry, start):
    services.set_start(entry, start, version=entry.version)


@pytest.fixture
def scene(make_user, make_competition, make_event, make_athlete, make_person, enter):
    manager, coach = make_user("coach"), make_user("coach")
    competition = make_competition(manager_id=manager.id, sport_ids=[])
    event = make_event(competition, sport="swimming", name="Men's 50 m freestyle S8")
    other_event = make_event(competition, sport="swimming", name="Men's 100 m freestyle S8")
    wang = make_athlete(coaches=[coach], person=make_person(name="王明"), sport="swimming")
    li = make_athlete(person=make_person(name="李强"), sport="swimming")
    return {
        "manager": manager,
        "coach": coach,
        "competition": competition,
        "event": event,
        "other_event": other_event,
        "wang": wang,
        "li": li,
        "wang_entry": enter(event, wang, result=False),
        "li_entry": enter(event, li, result=False),
    }


def test_start_positions_are_read_in_their_stored_form():
    assert startlists.read_start(" ａ-１２ ", "２", "１２ｂ") == startlists.Start("A-12", 2, "12B")
    assert startlists.read_start("", "", "") == startlists.Start()
    assert startlists.read_start("105", None, "4") == startlists.Start("105", None, "4")


@pytest.mark.parametrize(
    ("bib", "heat", "lane", "field"),
    [
        ("A 12", "", "", "bib"),
        ("-12", "", "", "bib"),
        ("123456789", "", "", "bib"),
        ("", "0", "", "heat"),
        ("", "100", "", "heat"),
        ("", "two", "", "heat"),
        ("", "", "0", "lane"),
        ("", "", "100", "lane"),
        ("", "", "4G", "lane"),
        ("", "", "A4", "lane"),
    ],
)
def test_malformed_start_positions_are_refused_on_their_field(bib, heat, lane, field):
    with pytest.raises(DomainError) as refused:
        startlists.read_start(bib, heat, lane)
    assert refused.value.field == field


def test_the_order_of_competition():
    def entry(id_, heat=None, lane="", bib=""):
        return Entry(id=id_, heat=heat, lane=lane, bib=bib)

    entries = [
        (entry(1), "zhang wei"),
        (entry(2, bib="B-1"), "a"),
        (entry(3, bib="12"), "z"),
        (entry(4, bib="3"), "z"),
        (entry(5, heat=2, lane="1"), "a"),
        (entry(6, heat=1, lane="12"), "a"),
        (entry(7, heat=1, lane="4"), "z"),
        (entry(8, lane="12B"), "a"),
        (entry(9, lane="12A"), "a"),
        (entry(10), "chen gang"),
    ]
    ordered = sorted(entries, key=lambda pair: startlists.order_key(*pair))
    assert [e.id for e, _p in ordered] == [7, 6, 5, 9, 8, 4, 3, 2, 10, 1]


def test_a_bib_names_one_athlete_in_a_competition(scene, enter):
    place(scene["wang_entry"], {"bib": "105"})
    # The same athlete keeps their bib in another event of the competition.
    wang_again = enter(scene["other_event"], scene["wang"], result=False)
    place(wang_again, {"bib": "105"})
    with pytest.raises(DomainError) as refused:
        place(scene["li_entry"], {"bib": "105"})
    assert refused.value.field == "bib"
    assert str(refused.value.message) == (
        "Bib 105 is already given to another athlete in this competition."
    )
    # A withdrawn entry gives its bib back.
    db.session.rollback()
    for entry in (scene["wang_entry"], wang_again):
        entry = db.session.get(Entry, entry.id)
        services.set_entry_status(entry, EntryStatus.WITHDRAWN, version=entry.version)
    place(db.session.get(Entry, scene["li_entry"].id), {"bib": "105"})
    db.session.commit()
    assert db.session.get(Entry, scene["li_entry"].id).bib == "105"


def test_an_athlete_wears_one_bib_in_every_individual_event(scene, enter, make_event):
    place(scene["wang_entry"], {"bib": "101"})
    wang_again = enter(scene["other_event"], scene["wang"], result=False)
    with pytest.raises(DomainError) as refused:
        place(wang_again, {"bib": "999"})
    assert refused.value.field == "bib"
    assert str(refused.value.message) == (
        "This athlete wears bib 101 in the competition's other events: give the same bib."
    )
    db.session.rollback()
    wang_again = db.session.get(Entry, wang_again.id)
    place(wang_again, {"heat": "2"})  # no bib (yet) on one entry is not another bib
    place(wang_again, {"bib": "１０１", "heat": "2"})  # full-width: the same bib
    # Renumbered one entry at a time: leaving the shared bib is allowed, a third one is not.
    third = make_event(scene["competition"], sport="swimming", name="Men's 400 m freestyle S8")
    wang_third = enter(third, scene["wang"], result=False)
    place(wang_third, {"bib": "101"})
    place(db.session.get(Entry, scene["wang_entry"].id), {"bib": "201"})
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        place(wang_third, {"bib": "301"})
    assert "wears bib 201 in the competition" in str(refused.value.message)
    db.session.rollback()
    place(db.session.get(Entry, wang_third.id), {"bib": "201"})
    place(db.session.get(Entry, wang_again.id), {"bib": "201", "heat": "2"})
    # A team entry has a bib of its own.
    relay = make_event(scene["competition"], sport="swimming", name="Relay", is_team=True)
    team = enter(relay, scene["wang"], scene["li"], result=False)
    place(team, {"bib": "T1"})
    db.session.commit()
    assert (db.session.get(Entry, wang_again.id).bib, db.session.get(Entry, team.id).bib) == (
        "201",
        "T1",
    )


def test_a_lane_is_one_entry_s_in_a_heat(scene):
    place(scene["wang_entry"], {"heat": 1, "lane": "4"})
    with pytest.raises(DomainError) as refused:
        place(scene["li_entry"], {"heat": "1", "lane": "4"})
    assert refused.value.field == "lane"
    assert (
        str(refused.value.message) == "Lane or target 4 of heat 1 is already taken in this event."
    )
    place(scene["li_entry"], {"heat": "2", "lane": "4"})
    db.session.commit()
    assert (scene["li_entry"].heat, scene["li_entry"].lane) == (2, "4")


def test_setting_a_start_is_audited_with_old_and_new_values(scene):
    entry = scene["wang_entry"]
    services.set_start(entry, {"bib": "7", "lane": "3"}, version=entry.version)
    db.session.commit()
    row = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.entity == "entry").order_by(AuditEvent.id.desc())
    ).first()
    assert (row.action, row.entity_id, row.fields) == ("update", entry.id, "bib,lane")
    assert row.details == {"old": {"bib": "", "lane": ""}, "new": {"bib": "7", "lane": "3"}}
    assert entry.version == 2
    with pytest.raises(EditConflict):
        services.set_start(entry, {"bib": "8"}, version=1)


def edit_data(entry, **changes):
    data = {
        "athlete_ids": [str(a.id) for a in entry.athletes],
        "status": entry.status.value,
        "support_role": "",
        "support_name": "",
        "bib": "",
        "heat": "",
        "lane": "",
        "version": str(entry.version),
    }
    data.update(changes)
    return data


def test_the_manager_sets_the_bib_heat_and_lane_on_the_entry_form(client, login_as, scene):
    login_as(user=scene["manager"])
    entry = scene["li_entry"]
    html = client.get(f"/competitions/entries/{entry.id}/edit").get_data(as_text=True)
    assert "<legend>Start list</legend>" in html
    for name in ("bib", "heat", "lane"):
        assert f'name="{name}"' in html
    response = client.post(
        f"/competitions/entries/{entry.id}/edit",
        data=edit_data(entry, bib="ｂ-７", heat="2", lane="5"),
    )
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(Entry, entry.id)
    assert (saved.bib, saved.heat, saved.lane, saved.version) == ("B-7", 2, "5", 2)
    page = client.get(f"/competitions/entries/{entry.id}").get_data(as_text=True)
    assert "<dt>Start list</dt><dd>Bib B-7 · Heat 2 · Lane or target 5</dd>" in page
    fields = db.session.scalar(
        sa.select(AuditEvent.fields)
        .where(AuditEvent.entity == "entry", AuditEvent.entity_id == entry.id)
        .order_by(AuditEvent.id.desc())
    )
    assert fields == "bib,heat,lane"


def test_a_taken_lane_is_refused_with_the_input_kept(client, login_as, scene):
    place(scene["wang_entry"], {"lane": "4"})
    db.session.commit()
    login_as(user=scene["manager"])
    entry = scene["li_entry"]
    response = client.post(
        f"/competitions/entries/{entry.id}/edit", data=edit_data(entry, bib="9", lane="4")
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Lane or target 4 is already taken in this event." in html
    assert re.search(r'id="lane"[^>]*value="4"', html)
    assert re.search(r'id="bib"[^>]*value="9"', html)
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).bib == ""


def test_a_malformed_heat_is_refused_with_a_clear_message(client, login_as, scene):
    login_as(user=scene["manager"])
    entry = scene["li_entry"]
    response = client.post(
        f"/competitions/entries/{entry.id}/edit", data=edit_data(entry, heat="第二")
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Write the heat as a whole number from 1 to 99." in html
    assert re.search(r'id="heat"[^>]*value="第二"', html)


def test_a_stale_entry_form_answers_409_with_the_bib_of_both(client, login_as, scene):
    entry = scene["li_entry"]
    opened = edit_data(entry, bib="21")
    services.set_start(entry, {"bib": "20"}, version=entry.version)
    db.session.commit()
    login_as(user=scene["manager"])
    response = client.post(f"/competitions/entries/{entry.id}/edit", data=opened)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert re.search(r"<th scope=\"row\">Bib</th>\s*<td>21</td>\s*<td>20</td>", html), html
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).bib == "20"


def test_a_coach_who_does_not_manage_the_competition_keeps_the_saved_start(client, login_as, scene):
    entry = scene["wang_entry"]
    place(entry, {"bib": "12", "heat": 1, "lane": "3"})
    db.session.commit()
    login_as(user=scene["coach"])
    html = client.get(f"/competitions/entries/{entry.id}/edit").get_data(as_text=True)
    assert 'name="bib"' not in html and "<legend>Start list</legend>" not in html
    data = edit_data(entry, status="confirmed", bib="99", lane="8")
    response = client.post(f"/competitions/entries/{entry.id}/edit", data=data)
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(Entry, entry.id)
    assert (saved.status, saved.bib, saved.heat, saved.lane) == (
        EntryStatus.CONFIRMED,
        "12",
        1,
        "3",
    )


def test_the_results_screen_lists_the_rows_by_heat_and_lane_with_their_start(
    client, login_as, scene
):
    """A coach at the pool reads the screen by lane: the rows come in the start list's order
    with the bib, heat and lane, and a problem names the row as numbered there."""
    place(scene["wang_entry"], {"bib": "101", "heat": "1", "lane": "5"})
    place(scene["li_entry"], {"bib": "102", "heat": "1", "lane": "3"})
    db.session.commit()
    login_as(user=scene["manager"])
    url = f"/competitions/events/{scene['event'].id}/results"
    html = client.get(url).get_data(as_text=True)
    li, wang = scene["li_entry"].id, scene["wang_entry"].id
    assert html.index(f'id="entry-{li}"') < html.index(f'id="entry-{wang}"')
    assert re.search(
        rf'id="entry-{li}">1\. 李强</h2>\s*<p class="result-mark">Bib 102 · Heat 1 · Lane or target 3</p>',
        html,
    )
    assert f'data-entry="{wang}" data-row="2"' in html
    row = {"rank": "", "mark": "", "mark_value": "", "status": "DNS", "medal": "gold", "notes": ""}
    response = client.post(url, data={f"{k}-{wang}": v for k, v in row.items()})
    assert response.status_code == 422
    assert "Row 2: Only a result with status OK can hold a medal." in response.get_data(
        as_text=True
    )
