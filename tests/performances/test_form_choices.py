"""A choice that matters is made by the user, and labels tell the truth (issue 12 item 7,
issue 19 item 19): a new performance preselects no programme, setting or venue; the
programme's organisers and a troupe member's birth date and role are required and labelled
so."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.performances.models import Performance
from tests.roundtrip import read_form


def test_new_performance_preselects_no_programme_setting_or_venue(
    client, login_as, organiser, make_programme, make_venue
):
    make_programme(), make_programme(), make_venue(), make_venue()
    login_as(user=organiser)
    controls = read_form(client.get("/performances/new").get_data(as_text=True))
    for name in ("programme_id", "setting", "venue_id"):
        # Nothing selected: a browser sends the first option, the blank one.
        assert controls[name].values == [""], name
        assert controls[name].options[0] == "", name
    data = {name: c.values for name, c in controls.items()}
    data.update(
        {
            "title": ["Village tour"],
            "day-year": ["2026"],
            "day-month": ["12"],
            "day-day": ["3"],
            "start_time": ["14:00"],
            "end_time": ["16:00"],
        }
    )
    response = client.post("/performances/new", data=data)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Choose the programme." in text
    assert "Choose the setting." in text
    assert "Choose the venue." in text
    assert db.session.scalar(sa.select(sa.func.count(Performance.id))) == 0


def test_required_choices_are_labelled_required(client, login_as, organiser, make_troupe):
    login_as(user=organiser)
    page = client.get("/performances/programmes/new").get_data(as_text=True)
    legend = page[page.index("Responsible organisers") :][:120]
    assert "(optional)" not in legend
    troupe = make_troupe()
    page = client.get(f"/performances/troupes/{troupe.id}").get_data(as_text=True)
    for label in ("Date of birth", "Role in the troupe"):
        assert "(optional)" not in page[page.index(label) :][:80], label
    refused = client.post(
        "/performances/programmes/new", data={"name": "Six Into", "first_year": "2017"}
    )
    assert refused.status_code == 422
    assert "Choose at least one responsible organiser." in refused.get_data(as_text=True)
