"""The venue list's filters, order and paging."""

from app.venues import queries
from app.venues.enums import AccessibilityFeature as F
from app.venues.enums import VenueKind
from app.venues.queries import VenueFilters


def names(page):
    return [venue.name for venue in page.items]


def test_feature_filter_needs_every_feature(make_venue):
    make_venue(name="甲", features=["step_free_entrance", "accessible_toilet", "lift"])
    make_venue(name="乙", features=["step_free_entrance"])
    make_venue(name="丙", features=["accessible_toilet"])
    make_venue(name="丁", features=["step_free_entrance", "accessible_toilet"])
    page = queries.list_venues(
        VenueFilters(features=frozenset({F.STEP_FREE_ENTRANCE, F.ACCESSIBLE_TOILET}))
    )
    assert sorted(names(page)) == ["丁", "甲"]
    assert page.total == 2
    assert names(queries.list_venues(VenueFilters(features=frozenset({F.LIFT})))) == ["甲"]


def test_town_kind_and_text_filters(make_venue):
    jinping = make_venue(name="锦屏学校", town="锦屏街道", kind="school", address="南山路 1 号")
    make_venue(name="锦屏体育馆", town="锦屏街道", kind="sports_venue")
    make_venue(name="溪口学校", town="溪口镇", kind="school")
    assert names(queries.list_venues(VenueFilters(town_id=jinping.town_id))) == [
        "锦屏体育馆",
        "锦屏学校",
    ]
    assert names(queries.list_venues(VenueFilters(kind=VenueKind.SCHOOL))) == [
        "锦屏学校",
        "溪口学校",
    ]
    assert names(queries.list_venues(VenueFilters(text="南山路"))) == ["锦屏学校"]
    assert names(queries.list_venues(VenueFilters(text="体育"))) == ["锦屏体育馆"]


def test_text_filter_treats_wildcards_literally(make_venue):
    make_venue(name="百分之百%场馆")
    make_venue(name="普通场馆")
    assert names(queries.list_venues(VenueFilters(text="%"))) == ["百分之百%场馆"]
    assert names(queries.list_venues(VenueFilters(text="_"))) == []


def test_archived_venues_only_when_asked(make_venue):
    from app.extensions import db
    from app.venues import services

    archived = make_venue(name="旧礼堂")
    make_venue(name="新礼堂")
    services.archive_venue(archived)
    db.session.commit()
    assert names(queries.list_venues(VenueFilters())) == ["新礼堂"]
    assert sorted(names(queries.list_venues(VenueFilters(include_archived=True)))) == [
        "新礼堂",
        "旧礼堂",
    ]


def test_order_is_town_order_then_name_and_pages_split(make_venue):
    # 溪口镇 comes after 锦屏街道 in the district's order, whatever the names.
    make_venue(name="A 溪口", town="溪口镇")
    for n in range(3):
        make_venue(name=f"B 锦屏 {n}", town="锦屏街道")
    first = queries.list_venues(VenueFilters(), page=1, per_page=3)
    second = queries.list_venues(VenueFilters(), page=2, per_page=3)
    assert names(first) == ["B 锦屏 0", "B 锦屏 1", "B 锦屏 2"]
    assert names(second) == ["A 溪口"]
    assert (first.total, first.pages, first.has_prev, first.has_next) == (4, 2, False, True)
    assert (second.has_prev, second.has_next) == (True, False)
    # A page past the end shows the last page rather than nothing.
    assert names(queries.list_venues(VenueFilters(), page=9, per_page=3)) == ["A 溪口"]


def test_list_uses_three_queries_however_many_venues(make_venue, count_queries):
    from app.extensions import db

    for n in range(30):
        make_venue(name=f"场馆{n:02d}", features=["lift", "hearing_loop"])
    db.session.expire_all()
    with count_queries() as q:
        page = queries.list_venues(VenueFilters(features=frozenset({F.LIFT})), per_page=25)
        labels = [(v.town.name, [f.value for f in v.features]) for v in page.items]
    assert len(labels) == 25
    assert labels[0] == ("锦屏街道", ["lift", "hearing_loop"])
    assert q.count == 3


def test_venue_choices_skip_archived_except_the_current_one(make_venue):
    from app.extensions import db
    from app.venues import services

    kept = make_venue(name="礼堂")
    gone = make_venue(name="旧厂房", town="溪口镇")
    services.archive_venue(gone)
    db.session.commit()
    assert [label for _v, label in queries.venue_choices()] == ["礼堂 (Jinping Sub-district)"]
    assert queries.venue_choices(include=gone.id) == [
        (str(kept.id), "礼堂 (Jinping Sub-district)"),
        (str(gone.id), "旧厂房 (Xikou Town)"),
    ]
