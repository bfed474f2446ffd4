"""Issue 12 item 5: the entry form offers the athletes who fit the event (its gender and, when
it has one, its sport class in its sport); a link shows every athlete (no script needed), and
an athlete chosen from the full list is entered all the same."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from app.athletes import services as athlete_services
from app.competitions.models import Entry
from app.extensions import db


@pytest.fixture
def scene(make_user, make_competition, make_event, make_athlete, sports):
    manager = make_user("coach")
    competition = make_competition(manager_id=manager.id)
    event = make_event(competition, gender="women", sport_class="Open")

    def athlete(gender, class_code=None, sport="archery"):
        made = make_athlete(person_fields={"gender": gender})
        if class_code:
            athlete_services.save_classification(
                made,
                sport_id=sports[sport].id,
                class_code=class_code,
                status="confirmed",
                classified_on=date(2017, 1, 1),
            )
            db.session.commit()
        return made

    return {
        "manager": manager,
        "event": event,
        "fits": athlete("female", "Open"),
        "man": athlete("male", "Open"),
        "unclassified": athlete("female"),
        "other_class": athlete("female", "W1"),
        "other_sport": athlete("female", "S9", sport="swimming"),
    }


def offered(html: str, kind: str = "radio") -> set[int]:
    """The athletes offered, as radio buttons (an individual event: one athlete) or checkboxes
    (a team event)."""
    return {
        int(v)
        for v in re.findall(
            rf'id="athlete_ids-\d+" name="athlete_ids"(?: required)? type="{kind}" value="(\d+)"',
            html,
        )
    }


def test_entry_form_offers_the_athletes_who_fit(client, login_as, scene):
    login_as(user=scene["manager"])
    url = f"/competitions/events/{scene['event'].id}/entries/new"
    html = client.get(url).get_data(as_text=True)
    assert offered(html) == {scene["fits"].id}
    assert f'href="{url}?all=1"' in html
    everyone = client.get(f"{url}?all=1").get_data(as_text=True)
    assert offered(everyone) == {
        scene[k].id for k in ("fits", "man", "unclassified", "other_class", "other_sport")
    }
    assert f'href="{url}"' in everyone  # back to those who fit


def test_an_athlete_from_the_full_list_is_entered(client, login_as, scene):
    login_as(user=scene["manager"])
    url = f"/competitions/events/{scene['event'].id}/entries/new?all=1"
    response = client.post(url, data={"athlete_ids": [str(scene["man"].id)], "status": "nominated"})
    assert response.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Entry.id))) == 1


def test_an_invalid_post_keeps_the_chosen_athlete_offered(client, login_as, scene):
    login_as(user=scene["manager"])
    url = f"/competitions/events/{scene['event'].id}/entries/new"
    response = client.post(
        url,
        data={"athlete_ids": [str(scene["man"].id)], "status": "nominated", "support_role": "x"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert offered(html) == {scene["fits"].id, scene["man"].id}
    assert re.search(rf'checked id="[^"]+" name="athlete_ids" [^>]*value="{scene["man"].id}"', html)


def test_open_event_without_class_offers_everyone(client, login_as, scene, make_event):
    login_as(user=scene["manager"])
    event = make_event(scene["event"].competition, name="Mixed", gender="mixed", sport_class="")
    html = client.get(f"/competitions/events/{event.id}/entries/new").get_data(as_text=True)
    assert len(offered(html)) == 5


def test_the_edit_form_offers_the_athletes_who_fit_too(client, login_as, scene):
    """Found by doing the coach's task in a browser: editing an entry of a women's event offered
    every athlete, men included, with no way back to those who fit."""
    from app.competitions import services

    entry, _warnings = services.create_entry(
        scene["event"],
        athlete_ids=[scene["fits"].id],
        team_name="",
        status="nominated",
        support=[],
        actor=scene["manager"],
    )
    db.session.commit()
    login_as(user=scene["manager"])
    url = f"/competitions/entries/{entry.id}/edit"
    html = client.get(url).get_data(as_text=True)
    assert offered(html) == {scene["fits"].id}
    assert f'href="{url}?all=1"' in html
    everyone = client.get(f"{url}?all=1").get_data(as_text=True)
    assert offered(everyone) == {
        scene[k].id for k in ("fits", "man", "unclassified", "other_class", "other_sport")
    }
    assert f'href="{url}"' in everyone
    response = client.post(
        f"{url}?all=1",
        data={"athlete_ids": [str(scene["man"].id)], "status": "confirmed", "version": "1"},
    )
    assert response.status_code == 303
    stored = db.session.get(Entry, entry.id, populate_existing=True)
    assert [a.id for a in stored.athletes] == [scene["man"].id]
    assert stored.status.value == "confirmed"


def test_a_results_note_is_shown_on_the_entry_page(client, login_as, scene):
    """Found doing the coach's task in a browser: a DNS row's note ("赛前受伤，未出发。") was
    stored and shown nowhere but the results form. The entry page (staff only) shows it."""
    from app.competitions import services
    from app.competitions.enums import Medal, ResultStatus
    from app.competitions.models import Result

    entry, _warnings = services.create_entry(
        scene["event"], athlete_ids=[scene["fits"].id], status="confirmed", actor=scene["manager"]
    )
    db.session.add(
        Result(entry=entry, status=ResultStatus.DNS, medal=Medal.NONE, notes="赛前受伤，未出发。")
    )
    db.session.commit()
    login_as(user=scene["manager"])
    html = client.get(f"/competitions/entries/{entry.id}").get_data(as_text=True)
    assert "<dt>Result notes</dt><dd>赛前受伤，未出发。</dd>" in html


def test_entry_edit_form_offers_those_who_fit_and_the_entrys_own(client, login_as, scene):
    from app.competitions import services

    entry, _ = services.create_entry(scene["event"], athlete_ids=[scene["man"].id])
    db.session.commit()
    login_as(user=scene["manager"])
    url = f"/competitions/entries/{entry.id}/edit"
    html = client.get(url).get_data(as_text=True)
    assert offered(html) == {scene["fits"].id, scene["man"].id}
    assert f'href="{url}?all=1"' in html
    assert len(offered(client.get(f"{url}?all=1").get_data(as_text=True))) == 5


def test_an_individual_event_offers_one_athlete_and_a_team_event_several(
    client, login_as, scene, make_event
):
    """One athlete per individual entry: radio buttons under "Athlete"; a team's athletes are
    checkboxes under "Athletes". An entry's edit form follows its event."""
    login_as(user=scene["manager"])
    html = client.get(f"/competitions/events/{scene['event'].id}/entries/new?all=1").get_data(
        as_text=True
    )
    assert "<legend>Athlete</legend>" in html
    assert len(offered(html, "radio")) == 5 and offered(html, "checkbox") == set()
    team = make_event(scene["event"].competition, name="Mixed team recurve", is_team=True)
    html = client.get(f"/competitions/events/{team.id}/entries/new?all=1").get_data(as_text=True)
    assert "<legend>Athletes</legend>" in html
    assert len(offered(html, "checkbox")) == 5 and offered(html, "radio") == set()
    url = f"/competitions/events/{scene['event'].id}/entries/new"
    response = client.post(url, data={"athlete_ids": str(scene["fits"].id), "status": "nominated"})
    assert response.status_code == 303
    entry = db.session.scalar(sa.select(Entry))
    assert [a.id for a in entry.athletes] == [scene["fits"].id]
    edit = client.get(f"/competitions/entries/{entry.id}/edit").get_data(as_text=True)
    assert re.search(
        rf'checked id="[^"]+" name="athlete_ids" required type="radio" value="{scene["fits"].id}"',
        edit,
    )
