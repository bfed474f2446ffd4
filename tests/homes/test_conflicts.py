"""Two people editing the same home or activity (issue 19 item 3, issue 13 item 10): the second
gets the 409 page with their input kept and a panel naming every field the first changed,
many-valued ones included; a StaleDataError at flush is the same 409, never a 500."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.homes import services
from app.homes.models import Activity, Home
from tests.roundtrip import read_form, round_trip, sign_in, two_sessions


def _panel(page: str) -> str:
    """The conflict panel alone (the labels of the form below it do not count); two_sessions
    answers the panel already."""
    if page.startswith('<section class="conflict"'):
        return page
    start = page.index('<section class="conflict"')
    return page[start : page.index("</section>", start)]


def _other(controls, name):
    control = controls[name]
    return next(o for o in control.options if o and o not in control.values)


def test_home_edit_round_trip_and_two_sessions(
    app, client, login_as, make_home, make_user, make_venue
):
    login_as("admin")
    staff_a, staff_b = make_user("home_staff"), make_user("home_staff")
    home = make_home(staff=[staff_a])
    new_venue = make_venue(name="新场馆")
    url = f"/homes/{home.id}/edit"
    controls = read_form(client.get(url).get_data(as_text=True), url)
    round_trip(client, url, {"contact": "王老师 138 0000 0000", "address": "江口南路１２号"})
    second = app.test_client()
    sign_in(second, make_user("admin"))
    panel = _panel(
        two_sessions(
            client,
            second,
            url,
            {
                "kind": _other(controls, "kind"),
                "venue_id": str(new_venue.id),
                "opened_on-year": "2019",
                "services": ["day_care", "sheltered_employment"],
                "staff": [str(staff_a.id), str(staff_b.id)],
            },
            {"name": "阳光家园（东区）"},
            labels=["Kind", "Venue", "新场馆", "Opened on", "Services offered", "Staff who manage"],
        )
    )
    for label in ("Kind", "新场馆", "Opened on", "Services offered", "Staff who manage"):
        assert label in panel, label
    assert "Test home" in panel  # the saved name beside the one typed
    db.session.expire_all()
    saved = db.session.get(Home, home.id)
    assert saved.opened_on == date(2019, 1, 1) and saved.venue_id == new_venue.id
    assert {r.user_id for r in saved.staff_rows} == {staff_a.id, staff_b.id}


def test_activity_two_sessions_name_the_public_flag_and_series_end(
    app, client, login_as, make_home, make_activity, make_user
):
    staff = make_user("home_staff")
    home = make_home(staff=[staff])
    activity = make_activity(home, first_day=date(2027, 1, 4), until_on=date(2027, 3, 29))
    login_as(user=staff)
    second = app.test_client()
    sign_in(second, staff)
    url = f"/homes/activities/{activity.id}/edit"
    panel = _panel(
        two_sessions(
            client,
            second,
            url,
            {"is_public": [], "until_on-month": "6", "until_on-day": "28"},
            {"title": "康复训练（二）"},
            labels=["Public: anyone may see this activity", "Last date", "Jun 28, 2027"],
        )
    )
    for label in ("Public: anyone may see this activity", "Last date", "Jun 28, 2027"):
        assert label in panel, label
    assert "Mar 29, 2027" in panel


def test_a_stale_write_at_flush_is_the_409_page_not_a_500(
    client, login_as, make_home, make_activity, make_user, monkeypatch
):
    staff = make_user("home_staff")
    home = make_home(staff=[staff])
    activity = make_activity(home, first_day=date(2027, 1, 4))
    login_as(user=staff)
    url = f"/homes/activities/{activity.id}/edit"
    data = {k: v for k, v in _post_data(client, url).items()} | {"title": "新标题"}

    def stale(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table 'activities' expected to update 1 row")

    monkeypatch.setattr(services, "update_activity", stale)
    resp = client.post(url, data=data)
    assert resp.status_code == 409
    assert 'value="新标题"' in resp.get_data(as_text=True)
    monkeypatch.setattr(services, "update_home", stale)
    login_as("admin")
    home_url = f"/homes/{home.id}/edit"
    resp = client.post(home_url, data=_post_data(client, home_url) | {"name": "新家园"})
    assert resp.status_code == 409
    assert 'value="新家园"' in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Activity, activity.id).title == "Rehab exercise"


def _post_data(client, url):
    controls = read_form(client.get(url).get_data(as_text=True), url)
    return {name: list(c.values) for name, c in controls.items()}


def test_the_homes_own_venue_is_kept_as_a_choice_and_follows_the_home(
    client, login_as, make_home, make_activity, make_user, make_venue
):
    staff = make_user("home_staff")
    old_hall, new_hall, other = make_venue(name="旧址"), make_venue(name="新址"), make_venue()
    home = make_home(staff=[staff], venue=old_hall)
    own = make_activity(home, first_day=date(2027, 1, 4), venue_id=None)
    elsewhere = make_activity(home, first_day=date(2027, 1, 4), venue_id=other.id)
    finished = make_activity(
        home, first_day=date(2025, 3, 3), until_on=date(2025, 6, 30), venue_id=None
    )
    assert own.uses_home_venue and not elsewhere.uses_home_venue and finished.uses_home_venue
    services.update_home(home, home.version, {"venue_id": new_hall.id})
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Activity, own.id).venue_id == new_hall.id
    # A series that has ended stays where it was held (its history is not rewritten).
    assert db.session.get(Activity, finished.id).venue_id == old_hall.id
    assert db.session.get(Activity, elsewhere.id).venue_id == other.id
    login_as(user=staff)
    assert "新址" in client.get(f"/homes/activities/{own.id}").get_data(as_text=True)
    form = read_form(client.get(f"/homes/activities/{own.id}/edit").get_data(as_text=True))
    assert form["venue_id"].values == [""]  # still "the home's own venue"


def test_saving_again_after_a_conflict_keeps_both_peoples_changes(
    app, client, login_as, make_home, make_activity, make_user, make_venue
):
    from tests.roundtrip import post_data

    login_as("admin")
    staff_a = make_user("home_staff")
    home = make_home()
    url = f"/homes/{home.id}/edit"
    second = app.test_client()
    sign_in(second, make_user("admin"))
    stale = read_form(second.get(url).get_data(as_text=True), url)
    fresh = read_form(client.get(url).get_data(as_text=True), url)
    changes = {"opened_on-year": "2019", "services": ["sheltered_employment"]}
    changes["staff"] = [str(staff_a.id)]
    assert client.post(url, data=post_data(fresh, changes)).status_code == 303
    conflict = second.post(url, data=post_data(stale, {"name": "阳光家园（东区）"}))
    assert conflict.status_code == 409
    page = conflict.get_data(as_text=True)
    assert "Fields you had not changed now show the saved values" in page
    shown = read_form(page, url)
    assert shown["opened_on-year"].values == ["2019"]
    assert shown["services"].values == ["sheltered_employment"]
    assert shown["staff"].values == [str(staff_a.id)]
    assert shown["name"].values == ["阳光家园（东区）"]  # the second person's own change
    assert second.post(url, data=post_data(shown, {})).status_code == 303
    db.session.expire_all()
    saved = db.session.get(Home, home.id)
    assert saved.name == "阳光家园（东区）" and saved.opened_on == date(2019, 1, 1)
    assert [s.value for s in saved.services] == ["sheltered_employment"]
    assert {r.user_id for r in saved.staff_rows} == {staff_a.id}

    # The same on the activity form: one changes the public flag, the other the title.
    staff = make_user("home_staff")
    activity = make_activity(make_home(staff=[staff]), first_day=date(2027, 1, 4))
    login_as(user=staff)
    sign_in(second, staff)
    url = f"/homes/activities/{activity.id}/edit"
    stale = read_form(second.get(url).get_data(as_text=True), url)
    fresh = read_form(client.get(url).get_data(as_text=True), url)
    assert client.post(url, data=post_data(fresh, {"is_public": []})).status_code == 303
    conflict = second.post(url, data=post_data(stale, {"title": "康复训练（二）"}))
    assert conflict.status_code == 409
    shown = read_form(conflict.get_data(as_text=True), url)
    assert second.post(url, data=post_data(shown, {})).status_code == 303
    db.session.expire_all()
    saved = db.session.get(Activity, activity.id)
    assert saved.title == "康复训练（二）" and saved.is_public is False


def test_the_session_remembers_only_the_last_few_edit_pages(
    client, login_as, make_home, make_activity, make_user
):
    from app.homes import merge

    staff = make_user("home_staff")
    home = make_home(staff=[staff])
    login_as(user=staff)
    ids = [make_activity(home, first_day=date(2027, 1, 4)).id for _ in range(5)]
    for activity_id in ids:
        assert client.get(f"/homes/activities/{activity_id}/edit").status_code == 200
    with client.session_transaction() as session:
        assert [k for k, _d in session[merge.SESSION_KEY]] == [f"activity-{i}" for i in ids[-3:]]


@pytest.mark.parametrize("many_valued", ["staff", "services"])
def test_a_change_of_staff_or_services_alone_makes_an_open_form_stale(
    app, client, login_as, make_home, make_user, many_valued
):
    """Staff and services live in other tables: changing only them must still raise the home's
    version, or a form opened before saves over them without a 409 (found by review)."""
    login_as("admin")
    staff_a, staff_b = make_user("home_staff"), make_user("home_staff")
    home = make_home(staff=[staff_a])
    url = f"/homes/{home.id}/edit"
    second = app.test_client()
    sign_in(second, make_user("admin"))
    change = {
        "staff": {"staff": [str(staff_a.id), str(staff_b.id)]},
        "services": {"services": ["day_care"]},
    }[many_valued]
    two_sessions(client, second, url, change, {"name": "阳光家园（东区）"})
