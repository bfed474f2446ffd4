"""Routes: pages render for each audience, permissions, invalid input, clash display, 409,
query counts."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.performances.models import Performance
from tests.performances.conftest import at


def form_data(performance=None, **changes):
    data = {
        "title": "Village tour",
        "programme_id": "",
        "troupe_id": "None",
        "setting": "village",
        "venue_id": "",
        "day-year": "2026",
        "day-month": "12",
        "day-day": "3",
        "start_time": "14:00",
        "end_time": "16:00",
        "status": "confirmed",
        "is_public": "y",
        "audience": "",
        "audience_disabled": "",
        "beneficiaries": "",
        "version": "",
    }
    if performance is not None:
        data.update(
            programme_id=str(performance.programme_id),
            venue_id=str(performance.venue_id),
            version=str(performance.version),
            title=performance.title,
        )
    data.update(changes)
    return data


def test_public_agenda_hides_private_and_planned(client, make_performance, make_venue):
    venue = make_venue()
    make_performance(at(3, 9), at(3, 10), venue=venue, title="Public confirmed")
    make_performance(at(3, 11), at(3, 12), venue=venue, title="Private one", is_public=False)
    make_performance(at(3, 13), at(3, 14), venue=venue, title="Only planned", status="planned")
    page = client.get("/performances/?from=2026-12-01")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Public confirmed" in text
    assert "Private one" not in text and "Only planned" not in text


def test_town_filter_keeps_the_chosen_town(client, make_performance, make_venue):
    here, there = make_venue(town="锦屏街道"), make_venue(town="尚田镇")
    make_performance(at(3, 9), at(3, 10), venue=here, title="Show here")
    make_performance(at(3, 11), at(3, 12), venue=there, title="Show there")
    page = client.get(f"/performances/?from=2026-12-01&town={here.town_id}")
    text = page.get_data(as_text=True)
    assert "Show here" in text and "Show there" not in text
    assert f'<option value="{here.town_id}" selected>' in text
    assert text.count(" selected>") == 1


def test_staff_see_everything_and_the_month_table(client, login_as, make_performance):
    make_performance(at(3, 11), at(3, 12), title="Private one", is_public=False)
    login_as("organiser")
    text = client.get("/performances/?view=month&month=2026-12").get_data(as_text=True)
    assert "<table" in text and "Private one" in text


def test_detail_is_404_for_private_to_public(client, make_performance):
    performance = make_performance(is_public=False)
    assert client.get(f"/performances/{performance.id}").status_code == 404
    assert client.get("/performances/99999").status_code == 404


def test_create_edit_and_pages_render(client, login_as, organiser, make_performance):
    performance = make_performance()
    login_as(user=organiser)
    for url in (
        "/performances/",
        f"/performances/{performance.id}",
        "/performances/new",
        f"/performances/{performance.id}/edit",
        "/performances/programmes",
        "/performances/programmes/new",
        "/performances/troupes",
        "/performances/troupes/new",
        "/performances/statistics",
        "/performances/mine",
    ):
        assert client.get(url).status_code == 200, url


def test_create_through_the_form(client, login_as, organiser, make_programme, make_venue):
    programme, venue = make_programme(), make_venue()
    login_as(user=organiser)
    response = client.post(
        "/performances/new",
        data=form_data(programme_id=str(programme.id), venue_id=str(venue.id)),
    )
    assert response.status_code == 303
    performance = db.session.scalars(sa.select(Performance)).one()
    assert performance.title == "Village tour"
    assert performance.starts_at == at(3, 14) and performance.ends_at == at(3, 16)
    assert performance.created_by_id == organiser.id


def test_invalid_input_is_kept_with_messages(
    client, login_as, organiser, make_programme, make_venue
):
    programme, venue = make_programme(), make_venue()
    login_as(user=organiser)
    response = client.post(
        "/performances/new",
        data=form_data(
            programme_id=str(programme.id),
            venue_id=str(venue.id),
            title="<b>Mine</b>",
            start_time="25:00",
            end_time="9.30",
            audience="ten",
        ),
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "There is a problem" in text
    assert "&lt;b&gt;Mine&lt;/b&gt;" in text
    assert 'href="#start_time">Write the start time as hours:minutes, for example 09:30.' in text
    assert 'href="#end_time">Write the end time as hours:minutes, for example 11:00.' in text
    assert db.session.scalar(sa.select(sa.func.count(Performance.id))) == 0


def test_end_before_start_is_refused(client, login_as, organiser, make_programme, make_venue):
    programme, venue = make_programme(), make_venue()
    login_as(user=organiser)
    response = client.post(
        "/performances/new",
        data=form_data(programme_id=str(programme.id), venue_id=str(venue.id), end_time="13:00"),
    )
    assert response.status_code == 422
    assert "The performance must end after it starts." in response.get_data(as_text=True)


def test_clash_is_shown_with_a_link_then_overridden(client, login_as, organiser, make_performance):
    first = make_performance(at(3, 14), at(3, 16), title="Earlier booking")
    login_as(user=organiser)
    data = form_data(first, title="Second show", start_time="15:00", end_time="17:00", version="")
    response = client.post("/performances/new", data=data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert f'href="/performances/{first.id}"' in text
    assert "Clash with Earlier booking" in text
    assert "same venue" in text
    data["override_reason"] = "Two stages"
    response = client.post("/performances/new", data=data)
    assert response.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Performance.id))) == 2


def test_stale_edit_is_a_409_with_both_values(client, login_as, organiser, make_performance):
    performance = make_performance(title="Original")
    login_as(user=organiser)
    stale = form_data(performance, title="Mine")
    client.post(f"/performances/{performance.id}/edit", data=form_data(performance, title="Theirs"))
    response = client.post(f"/performances/{performance.id}/edit", data=stale)
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Your version and the saved version" in text
    assert "Mine" in text and "Theirs" in text
    db.session.expire_all()
    assert db.session.get(Performance, performance.id).title == "Theirs"


def test_other_organisers_and_participants_cannot_edit(
    client, login_as, make_user, make_performance
):
    performance = make_performance()
    login_as("organiser")  # not responsible for the programme: 404, as if it did not exist
    assert client.get(f"/performances/{performance.id}/edit").status_code == 404
    assert (
        client.post(f"/performances/{performance.id}/edit", data=form_data(performance)).status_code
        == 404
    )
    client2 = client.application.test_client()
    user = make_user("participant")
    with client2.session_transaction() as session:
        session["_user_id"] = user.get_id()
    assert client2.get("/performances/new").status_code == 403
    assert client2.get("/performances/troupes").status_code == 403


def test_performer_and_caregiver_see_their_private_booking(
    client, login_as, make_user, make_person, make_performance
):
    carer = make_person(disability_category=None, disability_grade=None, name="Carer")
    performer = make_person(guardian_person_id=carer.id, name="Performer Wang")
    performance = make_performance(
        is_public=False, status="planned", people=[(performer, "performer")]
    )
    url = f"/performances/{performance.id}"
    assert client.get(url).status_code == 404
    login_as("participant", person_id=performer.id)
    assert client.get(url).status_code == 200
    assert performance.title in client.get("/performances/mine").get_data(as_text=True)
    other = client.application.test_client()
    user = make_user("participant", person_id=carer.id)
    with other.session_transaction() as session:
        session["_user_id"] = user.get_id()
    assert other.get(url).status_code == 200
    assert other.get(f"/performances/people/{performer.id}").status_code == 200
    stranger = client.application.test_client()
    user = make_user("participant")
    with stranger.session_transaction() as session:
        session["_user_id"] = user.get_id()
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"/performances/people/{performer.id}").status_code == 404


def test_public_page_hides_names_without_consent(client, make_person, make_performance):
    performer = make_person(name="Hidden Name")
    performance = make_performance(people=[(performer, "performer")])
    text = client.get(f"/performances/{performance.id}").get_data(as_text=True)
    assert "Hidden Name" not in text
    assert "a guest" in text
    # Venue accessibility in words.
    assert "Step-free entrance" in text


def test_agenda_query_count_does_not_grow(client, make_performance, make_venue, count_queries):
    venue = make_venue()
    make_performance(at(3, 9), at(3, 10), venue=venue)

    def measure():
        with count_queries() as q:
            assert client.get("/performances/?from=2026-12-01").status_code == 200
        return q.count

    few = measure()
    for day in range(4, 14):
        make_performance(at(day, 9), at(day, 10), venue=make_venue())
    assert measure() == few


def test_bad_filter_dates_are_explained_in_place(client):
    response = client.get("/performances/?from=2026-02-30&to=soon")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert text.count("Write the date as year-month-day") == 4  # summary and inline, twice
    assert 'aria-invalid="true"' in text
    assert 'value="2026-02-30"' in text


def test_postponement_history_is_on_the_page(client, login_as, organiser, make_performance):
    performance = make_performance(at(3, 14), at(3, 16), title="Moving show")
    login_as(user=organiser)
    data = form_data(
        performance,
        **{"day-day": "10", "status": "postponed", "reschedule_reason": "Heavy rain"},
    )
    assert client.post(f"/performances/{performance.id}/edit", data=data).status_code == 303
    text = client.get(f"/performances/{performance.id}").get_data(as_text=True)
    assert "Changes of time" in text
    assert "Heavy rain" in text
    assert "2026-12-03 14:00" in text and "2026-12-10 14:00" in text


def test_organiser_own_view(
    client, login_as, organiser, make_user, make_programme, make_performance
):
    mine = make_performance(at(3, 9), at(3, 10), title="Mine to run", is_public=False)
    other_programme = make_programme(organisers=[make_user("organiser")])
    make_performance(
        at(4, 9),
        at(4, 10),
        title="Someone else's",
        programme_id=other_programme.id,
        is_public=False,
    )
    login_as(user=organiser)
    everything = client.get("/performances/?from=2026-12-01").get_data(as_text=True)
    assert "Mine to run" in everything and "Someone else&#39;s" in everything
    own = client.get("/performances/?from=2026-12-01&mine=1").get_data(as_text=True)
    assert mine.title in own and "Someone else" not in own


def test_public_page_shows_names_with_publication_consent(client, make_person, make_performance):
    from datetime import timedelta

    from app.core import clock
    from app.people import services as people_services

    performer = make_person(name="Consenting Zhou")
    people_services.record_consent(
        performer,
        kind="publication",
        given_on=clock.today() - timedelta(days=1),
        given_by="self",
    )
    db.session.commit()
    performance = make_performance(people=[(performer, "performer")])
    text = client.get(f"/performances/{performance.id}").get_data(as_text=True)
    assert "Consenting Zhou" in text
    # No link to the person's bookings for the public.
    assert f"/performances/people/{performer.id}" not in text


def test_free_text_only_for_managers_and_people_booked(
    client, login_as, organiser, make_user, make_person, make_performance
):
    """Reschedule reasons, the after-show report, notes and override reasons may name people:
    the public page and other users do not see them."""
    carer = make_person(disability_category=None, disability_grade=None, name="Carer")
    performer = make_person(guardian_person_id=carer.id, name="Performer Wang")
    performance = make_performance(
        at(3, 14), at(3, 16), title="Moving show", people=[(performer, "performer")]
    )
    from app.performances.models import PerformanceReschedule

    saved = db.session.get(Performance, performance.id)
    saved.reschedules.append(
        PerformanceReschedule(
            old_starts_at=at(1, 14),
            old_ends_at=at(1, 16),
            new_starts_at=at(3, 14),
            new_ends_at=at(3, 16),
            reason="Zeng Xiaoyi is in hospital",
        )
    )
    saved.notes = "Call Mr Li first"
    saved.report = "Li Hua sang the last song"
    saved.beneficiaries = 40
    db.session.commit()
    login_as(user=organiser)
    url = f"/performances/{performance.id}"
    secrets = ("Zeng Xiaoyi", "Li Hua", "Call Mr Li")

    def page(user=None):
        other = client.application.test_client()
        if user is not None:
            with other.session_transaction() as session:
                session["_user_id"] = user.get_id()
        response = other.get(url)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    manager_page = client.get(url).get_data(as_text=True)
    assert all(s in manager_page for s in secrets)
    anonymous = page()
    assert "Changes of time" in anonymous and "2026-12-03 14:00" in anonymous
    assert "Beneficiaries (person-times)" in anonymous
    for viewer in (None, make_user("organiser"), make_user("participant")):
        text = page(viewer)
        assert not any(s in text for s in secrets), viewer
    for person in (performer, carer):
        text = page(make_user("participant", person_id=person.id))
        assert "Zeng Xiaoyi" in text and "Li Hua" in text
        assert "Call Mr Li" not in text  # notes are the organisers' own


def test_not_yours_is_404(client, login_as, make_programme, make_performance):
    performance = make_performance()
    login_as("organiser")  # not responsible for the programme
    assert client.get(f"/performances/{performance.id}/edit").status_code == 404
    assert (
        client.post(f"/performances/{performance.id}/edit", data=form_data(performance)).status_code
        == 404
    )
    assert (
        client.get(f"/performances/programmes/{performance.programme_id}/edit").status_code == 404
    )


@pytest.mark.parametrize(
    ("month", "shown"),
    [("0001-01", "January 1900"), ("9999-12", "December 2100"), ("1899-12", "January 1900")],
)
def test_month_view_is_clamped_to_1900_2100(client, month, shown):
    response = client.get(f"/performances/?view=month&month={month}")
    assert response.status_code == 200
    assert shown in response.get_data(as_text=True)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_agenda_dates_out_of_range_are_explained(client, day):
    response = client.get(f"/performances/?from={day}&to={day}")
    assert response.status_code == 422
    assert "Choose a date from 1900 to 2100." in response.get_data(as_text=True)
