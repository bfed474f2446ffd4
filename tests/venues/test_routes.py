"""Venue pages: public list and detail, admin create / edit / archive."""

import re

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.core.reference import Town, ensure_towns
from app.extensions import db
from app.venues.enums import AccessibilityFeature as F
from app.venues.models import Venue

EN = {"Accept-Language": "en"}


def town_id(name):
    ensure_towns(db.session)
    db.session.commit()
    return db.session.scalar(sa.select(Town.id).where(Town.name == name))


def form_data(**changes):
    data = {
        "name": "江口街道社区服务中心",
        "kind": "community_centre",
        "town_id": str(town_id("江口街道")),
        "address": "江口南路 12 号",
        "capacity": "120",
        "latitude": "29.7271",
        "longitude": "121.4452",
        "features": ["step_free_entrance", "accessible_toilet"],
        "notes": "电梯在大厅右侧",
    }
    data.update(changes)
    return data


def main_text(response):
    body = response.get_data(as_text=True)
    return body[body.index("<main") : body.index("</main>")]


# Public pages -------------------------------------------------------------------------


def test_index_lists_venues_with_features_in_words(client, make_venue, count_queries):
    make_venue(
        name="溪口镇文化礼堂",
        town="溪口镇",
        kind="cultural_auditorium",
        features=["hearing_loop", "step_free_entrance"],
        capacity=300,
    )
    make_venue(
        name="大堰镇万竹村文化礼堂", town="大堰镇", kind="cultural_auditorium", capacity=None
    )
    db.session.remove()
    with count_queries() as q:
        response = client.get("/venues/", headers=EN)
    assert response.status_code == 200
    # towns for the filter, the count, the page of venues with towns, their features
    assert q.count == 4
    main = main_text(response)
    assert "<h1>Venues and accessibility</h1>" in main
    assert '<h2 id="results-heading">Venues found: 2</h2>' in main
    assert '<a href="/venues/' in main
    assert re.search(
        r'<li data-feature="step_free_entrance">Step-free entrance</li>\s*'
        r'<li data-feature="hearing_loop">Hearing loop</li>',
        main,
    )
    assert "Capacity: 300 people" in main
    assert "Capacity not recorded" in main
    assert "No accessibility features recorded." in main
    assert "Add a venue" not in main
    assert "Include archived venues" not in main


def test_index_query_count_does_not_grow_with_venues(client, make_venue, count_queries):
    for n in range(25):
        make_venue(name=f"场馆{n:02d}", features=["lift"], town="溪口镇" if n % 2 else "锦屏街道")
    db.session.remove()
    with count_queries() as q:
        response = client.get("/venues/", headers=EN)
    assert response.status_code == 200
    assert main_text(response).count('data-feature="lift"') == 25
    assert q.count == 4


def test_index_filters_by_features_and_keeps_them_ticked(client, make_venue):
    make_venue(name="全都有", features=["step_free_entrance", "accessible_toilet"])
    make_venue(name="只有入口", features=["step_free_entrance"])
    response = client.get(
        "/venues/?feature=step_free_entrance&feature=accessible_toilet", headers=EN
    )
    main = main_text(response)
    assert response.status_code == 200
    assert "全都有" in main
    assert "只有入口" not in main
    assert (
        '<input checked id="feature-0" name="feature" type="checkbox" value="step_free_entrance">'
        in main
    )
    assert (
        '<input checked id="feature-1" name="feature" type="checkbox" value="accessible_toilet">'
        in main
    )


def test_index_ignores_unknown_filter_values(client, make_venue):
    make_venue(name="礼堂")
    response = client.get("/venues/?town=abc&kind=stadium&feature=helipad&page=x", headers=EN)
    assert response.status_code == 200
    assert "Venues found: 1" in main_text(response)


def test_index_pagination_keeps_filters(app, client, make_venue, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    for n in range(3):
        make_venue(name=f"场馆{n}", features=["lift"])
    response = client.get("/venues/?feature=lift", headers=EN)
    main = main_text(response)
    assert "Page 1 of 2" in main
    assert 'href="/venues/?page=2&amp;feature=lift"' in main
    response = client.get("/venues/?feature=lift&page=2", headers=EN)
    assert "场馆2" in main_text(response)
    assert "Previous page" in main_text(response)


def test_detail_shows_features_capacity_address_and_coordinates(client, make_venue, count_queries):
    venue = make_venue(
        name="区特殊教育学校",
        town="方桥街道",
        kind="school",
        address="方桥路 100 号",
        capacity=500,
        latitude="29.7368",
        longitude="121.5082",
        features=["sign_language", "lift"],
        notes="手语翻译请提前预约",
    )
    venue_id = venue.id
    db.session.remove()
    with count_queries() as q:
        response = client.get(f"/venues/{venue_id}", headers=EN)
    assert response.status_code == 200
    assert q.count == 2  # the venue with its town, its features
    main = main_text(response)
    assert "<h1>区特殊教育学校</h1>" in main
    assert "<dd>School</dd>" in main
    assert "<dd>Fangqiao Sub-district</dd>" in main
    assert "<dd>方桥路 100 号</dd>" in main
    assert "<dd>500 people</dd>" in main
    assert "<dd>Latitude 29.7368, longitude 121.5082</dd>" in main
    assert re.search(
        r'<li data-feature="lift">Lift</li>\s*'
        r'<li data-feature="sign_language">Sign-language interpretation on request</li>',
        main,
    )
    assert "手语翻译请提前预约" in main
    assert "Edit this venue" not in main


def test_detail_without_optional_values(client, make_venue):
    venue = make_venue(address="", capacity=None, features=[])
    main = main_text(client.get(f"/venues/{venue.id}", headers=EN))
    assert main.count("<dd>Not recorded</dd>") == 3
    assert "No accessibility features have been recorded for this venue." in main


def test_detail_in_chinese_uses_chinese_town_name(client, make_venue):
    venue = make_venue(town="溪口镇")
    response = client.get(f"/venues/{venue.id}", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="zh-CN">' in response.get_data(as_text=True)
    assert "<dd>溪口镇</dd>" in main_text(response)


def test_detail_missing_is_404(client):
    assert client.get("/venues/999999").status_code == 404


def test_archived_venue_hidden_from_public_but_shown_to_admin(client, make_venue, login_as):
    from app.venues import services

    venue = make_venue(name="旧礼堂")
    services.archive_venue(venue)
    db.session.commit()
    assert client.get(f"/venues/{venue.id}").status_code == 404
    assert "旧礼堂" not in main_text(client.get("/venues/"))
    login_as("admin")
    response = client.get(f"/venues/{venue.id}", headers=EN)
    assert response.status_code == 200
    assert "This venue is archived" in main_text(response)
    assert "旧礼堂" not in main_text(client.get("/venues/", headers=EN))
    assert "旧礼堂" in main_text(client.get("/venues/?archived=y", headers=EN))


# Permissions -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/venues/new", "/venues/{id}/edit", "/venues/{id}/archive"])
def test_anonymous_is_sent_to_sign_in(client, make_venue, path):
    venue = make_venue()
    response = client.get(path.format(id=venue.id))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", ["coach", "organiser", "home_staff", "participant"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/venues/new"),
        ("post", "/venues/new"),
        ("get", "/venues/{id}/edit"),
        ("post", "/venues/{id}/edit"),
        ("get", "/venues/{id}/archive"),
        ("post", "/venues/{id}/archive"),
        ("post", "/venues/{id}/restore"),
    ],
)
def test_non_admins_get_403(client, make_venue, login_as, role, method, path):
    venue = make_venue(name="不许改")
    login_as(role)
    response = getattr(client, method)(path.format(id=venue.id), data=form_data(name="改了"))
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Venue, venue.id).name == "不许改"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Venue)) == 1


def test_non_admin_sees_no_admin_links(client, make_venue, login_as):
    venue = make_venue()
    login_as("organiser")
    main = main_text(client.get(f"/venues/{venue.id}", headers=EN))
    assert "Edit this venue" not in main
    assert "Archive this venue" not in main


# Create --------------------------------------------------------------------------------


def test_admin_creates_venue(client, login_as, count_queries):
    login_as("admin")
    with count_queries() as q:
        response = client.get("/venues/new", headers=EN)
    assert response.status_code == 200
    assert q.count == 2  # the user with their roles, the towns
    main = main_text(response)
    assert (
        '<legend>Accessibility features <span class="optional">(optional)</span></legend>' in main
    )
    assert (
        '<input id="features-0" name="features" type="checkbox" value="step_free_entrance">' in main
    )
    response = client.post("/venues/new", data=form_data(capacity="１２０"), headers=EN)
    assert response.status_code == 303
    venue = db.session.scalar(sa.select(Venue))
    assert response.headers["Location"] == f"/venues/{venue.id}"
    assert venue.name == "江口街道社区服务中心"
    assert venue.capacity == 120
    assert str(venue.latitude) == "29.727100"
    assert venue.feature_set == {F.STEP_FREE_ENTRANCE, F.ACCESSIBLE_TOILET}
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.entity == "venue"))
    assert (event.action, event.entity_id, event.actor_name) == ("create", venue.id, "admin1")
    follow = client.get(response.headers["Location"], headers=EN)
    assert "The venue 江口街道社区服务中心 has been added." in follow.get_data(as_text=True)


def test_invalid_input_is_422_with_summary_and_input_kept(client, login_as):
    login_as("admin")
    response = client.post(
        "/venues/new",
        data=form_data(name="", capacity="很多", latitude="29.7", longitude="", notes="保留我"),
        headers=EN,
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "<title>Error: Add a venue" in body
    main = main_text(response)
    summary = main[main.index('<div class="error-summary"') : main.index("</div>")]
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary) == [
        ("name", "Enter the venue&#39;s name."),
        ("capacity", "Enter the capacity as a whole number of people, for example 200."),
        ("longitude", "Enter both latitude and longitude, or neither."),
    ]
    assert 'value="很多"' in main
    assert 'value="29.7"' in main
    assert "保留我" in main
    assert (
        '<input checked id="features-0" name="features" type="checkbox" value="step_free_entrance">'
        in main
    )
    assert '<option selected value="community_centre">' in main
    assert 'aria-invalid="true"' in main
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Venue)) == 0


@pytest.mark.parametrize(
    ("changes", "target", "message"),
    [
        ({"kind": ""}, "kind", "Choose the kind of venue."),
        ({"kind": "stadium"}, "kind", "Choose the kind of venue."),
        ({"town_id": "99999"}, "town_id", "Choose the town or sub-district."),
        ({"capacity": "-3"}, "capacity", "Enter a capacity between 0 and 1000000 people."),
        (
            {"latitude": "north"},
            "latitude",
            "Enter the latitude in decimal degrees, for example 29.6583.",
        ),
        ({"longitude": "200"}, "longitude", "Longitude must be between -180 and 180."),
        ({"features": ["lift", "helipad"]}, "features-0", "Choose features from the list."),
    ],
)
def test_each_bad_field_gets_its_message(client, login_as, changes, target, message):
    login_as("admin")
    response = client.post("/venues/new", data=form_data(**changes), headers=EN)
    assert response.status_code == 422
    assert f'<a href="#{target}">{message}</a>' in main_text(response)


def test_duplicate_name_in_town_is_422(client, login_as, make_venue):
    make_venue(name="江口街道社区服务中心", town="江口街道")
    login_as("admin")
    response = client.post("/venues/new", data=form_data(), headers=EN)
    assert response.status_code == 422
    assert (
        '<a href="#name">A venue with this name is already registered in this town.</a>'
        in main_text(response)
    )


# Edit ----------------------------------------------------------------------------------


def test_admin_edits_venue(client, login_as, make_venue):
    venue = make_venue(name="旧名", features=["lift"])
    login_as("admin")
    response = client.get(f"/venues/{venue.id}/edit", headers=EN)
    main = main_text(response)
    assert response.status_code == 200
    assert 'value="旧名"' in main
    assert '<input id="version" name="version" type="hidden" value="1">' in main
    assert '<input checked id="features-2" name="features" type="checkbox" value="lift">' in main
    response = client.post(
        f"/venues/{venue.id}/edit",
        data=form_data(name="新名", features=["hearing_loop"], version="1"),
        headers=EN,
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/venues/{venue.id}"
    db.session.expire_all()
    venue = db.session.get(Venue, venue.id)
    assert (venue.name, venue.version, venue.feature_set) == ("新名", 2, {F.HEARING_LOOP})


def test_edit_invalid_is_422(client, login_as, make_venue):
    venue = make_venue(name="旧名")
    login_as("admin")
    response = client.post(
        f"/venues/{venue.id}/edit", data=form_data(name="", version="1"), headers=EN
    )
    assert response.status_code == 422
    assert '<a href="#name">Enter the venue&#39;s name.</a>' in main_text(response)


def test_stale_edit_is_409_with_both_values_and_input_kept(client, login_as, make_venue):
    from app.venues import services

    venue = make_venue(name="原名", capacity=100, features=["lift"])
    login_as("admin")
    # Someone else saves first.
    services.update_venue(
        venue,
        version=1,
        name="别人的名字",
        kind=venue.kind,
        town_id=venue.town_id,
        address=venue.address,
        capacity=100,
        features=["lift"],
    )
    db.session.commit()
    response = client.post(
        f"/venues/{venue.id}/edit",
        data=form_data(
            name="我的名字",
            capacity="100",
            version="1",
            features=["lift"],
            address=venue.address,
            town_id=str(venue.town_id),
            kind="sports_venue",
            latitude="",
            longitude="",
            notes="",
        ),
        headers=EN,
    )
    assert response.status_code == 409
    main = main_text(response)
    assert (
        "Someone else saved this record after you opened it. Your input is kept in the form: "
        "check the differences, then save again to keep your values." in main
    )
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>', main)
    assert rows == [("Name of the venue", "我的名字", "别人的名字")]
    assert 'value="我的名字"' in main
    assert '<input id="version" name="version" type="hidden" value="2">' in main
    db.session.expire_all()
    assert db.session.get(Venue, venue.id).name == "别人的名字"
    # Saving again from the conflict page is a deliberate overwrite.
    response = client.post(
        f"/venues/{venue.id}/edit",
        data=form_data(name="我的名字", version="2", town_id=str(venue.town_id)),
        headers=EN,
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Venue, venue.id).name == "我的名字"


def test_edit_missing_venue_is_404(client, login_as):
    login_as("admin")
    assert client.get("/venues/999999/edit").status_code == 404


# Archive -------------------------------------------------------------------------------


def test_archive_asks_then_archives_and_restore_undoes(client, login_as, make_venue):
    venue = make_venue(name="要归档的")
    login_as("admin")
    response = client.get(f"/venues/{venue.id}/archive", headers=EN)
    assert response.status_code == 200
    assert "<h1>Archive 要归档的?</h1>" in main_text(response)
    response = client.post(f"/venues/{venue.id}/archive", headers=EN)
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Venue, venue.id).is_archived is True
    response = client.post(f"/venues/{venue.id}/restore", headers=EN)
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Venue, venue.id).is_archived is False
