"""Routes: pages render for each audience, permissions, invalid input, clash display, 409,
query counts."""

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
