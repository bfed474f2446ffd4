"""Venue services and the table's own constraints."""

from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.core.audit import AuditEvent
from app.core.errors import DomainError, EditConflict
from app.core.reference import ensure_towns
from app.extensions import db
from app.venues import services
from app.venues.enums import AccessibilityFeature as F
from app.venues.enums import VenueKind
from app.venues.models import Venue, VenueFeature


@pytest.fixture
def english(app):
    """Messages are lazy strings: read them in an English request."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def audit_rows(venue_id):
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.entity == "venue", AuditEvent.entity_id == venue_id)
            .order_by(AuditEvent.id)
        )
    )


def edit_values(venue, **changes):
    values = {
        "name": venue.name,
        "kind": venue.kind,
        "town_id": venue.town_id,
        "address": venue.address,
        "capacity": venue.capacity,
        "latitude": venue.latitude,
        "longitude": venue.longitude,
        "notes": venue.notes,
        "features": venue.features,
    }
    values.update(changes)
    return values


def test_create_stores_values_features_and_audit_row(app):
    towns = ensure_towns(db.session)
    venue = services.create_venue(
        name=" 溪口镇文化礼堂 ",
        kind="cultural_auditorium",
        town_id=towns[6].id,
        address="武岭中路 66 号",
        capacity=300,
        latitude="29.65834",
        longitude=Decimal("121.4067"),
        features=["lift", F.STEP_FREE_ENTRANCE],
        notes="东门入口",
    )
    db.session.commit()
    db.session.expire_all()
    venue = db.session.get(Venue, venue.id)
    assert venue.name == "溪口镇文化礼堂"
    assert venue.kind is VenueKind.CULTURAL_AUDITORIUM
    assert venue.town.name == "溪口镇"
    assert venue.capacity == 300
    assert venue.latitude == Decimal("29.658340")
    assert venue.longitude == Decimal("121.406700")
    assert venue.latitude_text == "29.65834"
    assert venue.version == 1
    assert venue.feature_set == {F.LIFT, F.STEP_FREE_ENTRANCE}
    # Display order is the enum's order, not the order ticked.
    assert venue.features == [F.STEP_FREE_ENTRANCE, F.LIFT]
    assert venue.has_feature("lift") is True
    assert venue.has_feature(F.HEARING_LOOP) is False
    [row] = audit_rows(venue.id)
    assert row.action == "create"
    assert row.field_list == sorted(
        [
            "address",
            "capacity",
            "features",
            "kind",
            "latitude",
            "longitude",
            "name",
            "notes",
            "town_id",
        ]
    )


def test_same_name_refused_in_same_town_but_allowed_in_another(make_venue, english):
    make_venue(name="阳光家园", town="锦屏街道")
    with pytest.raises(DomainError) as error:
        make_venue(name="阳光家园", town="锦屏街道")
    assert error.value.field == "name"
    assert str(error.value.message) == "A venue with this name is already registered in this town."
    db.session.rollback()
    other = make_venue(name="阳光家园", town="溪口镇")
    assert other.id is not None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "Enter the venue's name."),
        ({"kind": "stadium"}, "kind", "Choose the kind of venue."),
        ({"town_id": 999_999}, "town_id", "Choose the town or sub-district."),
        ({"capacity": -1}, "capacity", "Capacity cannot be negative."),
        ({"latitude": "29.6"}, "longitude", "Enter both latitude and longitude, or neither."),
        ({"longitude": "121.4"}, "latitude", "Enter both latitude and longitude, or neither."),
        (
            {"latitude": "91", "longitude": "121"},
            "latitude",
            "Latitude must be between -90 and 90.",
        ),
        (
            {"latitude": "29", "longitude": "-181"},
            "longitude",
            "Longitude must be between -180 and 180.",
        ),
        ({"features": ["lift", "helipad"]}, "features", "Choose features from the list."),
    ],
)
def test_create_refuses_bad_values(app, english, changes, field, message):
    towns = ensure_towns(db.session)
    values = {"name": "场馆", "kind": "school", "town_id": towns[0].id, **changes}
    with pytest.raises(DomainError) as error:
        services.create_venue(**values)
    assert error.value.field == field
    assert str(error.value.message) == message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Venue)) == 0


def test_update_records_changed_fields_only(make_venue):
    venue = make_venue(capacity=100, features=["lift"])
    services.update_venue(
        venue, version=1, **edit_values(venue, capacity=150, features=["lift", "hearing_loop"])
    )
    db.session.commit()
    assert venue.version == 2
    assert venue.capacity == 150
    assert venue.feature_set == {F.LIFT, F.HEARING_LOOP}
    update = audit_rows(venue.id)[-1]
    assert update.action == "update"
    assert update.field_list == ["capacity", "features"]
    assert update.details is None


def test_update_without_changes_writes_nothing(make_venue):
    venue = make_venue(features=["lift"])
    services.update_venue(venue, version=1, **edit_values(venue))
    db.session.commit()
    assert venue.version == 1
    assert [row.action for row in audit_rows(venue.id)] == ["create"]


def test_changing_only_features_raises_the_version(make_venue):
    """Features live in their own table; the venue's version must still move, or a
    concurrent edit of features alone would silently overwrite."""
    venue = make_venue(features=["lift"])
    services.update_venue(venue, version=1, **edit_values(venue, features=["tactile_paving"]))
    db.session.commit()
    assert venue.version == 2
    with pytest.raises(EditConflict) as error:
        services.update_venue(venue, version=1, **edit_values(venue, features=[]))
    assert error.value.current is venue
    db.session.rollback()
    assert venue.feature_set == {F.TACTILE_PAVING}


def test_stale_version_is_a_conflict_and_changes_nothing(make_venue):
    venue = make_venue(name="旧名称")
    services.update_venue(venue, version=1, **edit_values(venue, name="新名称"))
    db.session.commit()
    with pytest.raises(EditConflict):
        services.update_venue(venue, version=1, **edit_values(venue, name="我的名称"))
    db.session.rollback()
    assert db.session.get(Venue, venue.id).name == "新名称"
    assert [row.action for row in audit_rows(venue.id)] == ["create", "update"]


def test_save_racing_another_process_is_a_conflict(make_venue):
    """Between the version check and the flush another process saves: the UPDATE's
    ``WHERE version = 1`` matches nothing and the service reports a conflict."""
    venue = make_venue(name="场馆甲")
    with db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE venues SET name = '别人改的', version = 2 WHERE id = :id"),
            {"id": venue.id},
        )
    with pytest.raises(EditConflict) as error:
        services.update_venue(venue, version=1, **edit_values(venue, name="我改的"))
    assert error.value.current is venue
    db.session.rollback()
    assert db.session.get(Venue, venue.id).name == "别人改的"


def test_archive_and_restore(make_venue):
    venue = make_venue()
    services.archive_venue(venue)
    db.session.commit()
    assert venue.is_archived is True
    assert venue.archived_at is not None
    services.archive_venue(venue)  # archiving twice changes nothing
    services.restore_venue(venue)
    db.session.commit()
    assert venue.is_archived is False
    assert venue.archived_at is None
    assert [row.action for row in audit_rows(venue.id)] == ["create", "archive", "restore"]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE venues SET capacity = -5",
        "UPDATE venues SET latitude = 90.5, longitude = 10",
        "UPDATE venues SET latitude = 10, longitude = -180.5",
        "UPDATE venues SET latitude = 10, longitude = NULL",
        "UPDATE venues SET kind = 'stadium'",
        "INSERT INTO venue_features (venue_id, feature) SELECT id, 'helipad' FROM venues",
        "INSERT INTO venue_features (venue_id, feature) SELECT id, 'lift' FROM venues",
    ],
)
def test_database_constraints_refuse_bad_rows(make_venue, statement):
    make_venue(features=["lift"])
    with pytest.raises(IntegrityError):
        with db.engine.begin() as conn:
            conn.execute(sa.text(statement))


def test_deleting_a_venue_deletes_its_feature_rows(make_venue):
    venue = make_venue(features=["lift", "hearing_loop"])
    with db.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM venues WHERE id = :id"), {"id": venue.id})
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VenueFeature)) == 0
