"""Venues (places where training, competitions, performances and activities happen) and their
accessibility features.

Features live in a child table, one row per (venue, feature), rather than eight boolean
columns: "venues with a step-free entrance AND an accessible toilet" is then one indexed
query for any combination, and adding a feature later changes an enum, not the table."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_column, foreign_key
from app.core.reference import Town
from app.venues.enums import AccessibilityFeature, VenueKind

# Six decimal places locate a door to about 0.1 m, more than enough for "how do I get there".
COORDINATE = sa.Numeric(9, 6)


class Venue(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[VenueKind] = mapped_column(enum_column(VenueKind, "venue_kind"))
    town_id: Mapped[int] = foreign_key("towns.id", index=True)
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    # None means "not known", which is different from 0.
    capacity: Mapped[int | None] = mapped_column(sa.Integer)
    latitude: Mapped[Decimal | None] = mapped_column(COORDINATE)
    longitude: Mapped[Decimal | None] = mapped_column(COORDINATE)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    is_archived: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    town: Mapped[Town] = relationship()
    feature_rows: Mapped[list[VenueFeature]] = relationship(
        back_populates="venue",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
    )

    __table_args__ = (
        sa.UniqueConstraint("town_id", "name", name="uq_venues_town_id_name"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint(
            "latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name="latitude_range"
        ),
        sa.CheckConstraint(
            "longitude IS NULL OR (longitude >= -180 AND longitude <= 180)",
            name="longitude_range",
        ),
        sa.CheckConstraint(
            "(latitude IS NULL AND longitude IS NULL) "
            "OR (latitude IS NOT NULL AND longitude IS NOT NULL)",
            name="coordinates_together",
        ),
    )

    @property
    def feature_set(self) -> frozenset[AccessibilityFeature]:
        return frozenset(row.feature for row in self.feature_rows)

    @property
    def features(self) -> list[AccessibilityFeature]:
        """The venue's features in display order (the enum's order)."""
        return sorted(self.feature_set, key=lambda feature: feature.order)

    def has_feature(self, feature) -> bool:
        return AccessibilityFeature(feature) in self.feature_set

    def set_features(self, features) -> bool:
        """Make the venue's features exactly ``features``; True when that changed anything."""
        wanted = {AccessibilityFeature(f) for f in features}
        return self.sync_rows("feature_rows", VenueFeature, "feature", wanted)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def latitude_text(self) -> str:
        return degrees_text(self.latitude)

    @property
    def longitude_text(self) -> str:
        return degrees_text(self.longitude)

    def __repr__(self) -> str:
        return f"<Venue {self.id} {self.name!r}>"


def degrees_text(value: Decimal | None) -> str:
    """A coordinate as people write it: 29.6583, not 29.658300."""
    if value is None:
        return ""
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class VenueFeature(Base):
    __tablename__ = "venue_features"

    venue_id: Mapped[int] = foreign_key("venues.id", ondelete="CASCADE", primary_key=True)
    feature: Mapped[AccessibilityFeature] = mapped_column(
        enum_column(AccessibilityFeature, "accessibility_feature"), primary_key=True
    )

    venue: Mapped[Venue] = relationship(back_populates="feature_rows")

    # The primary key serves lookups by venue; this index serves "which venues have X".
    __table_args__ = (sa.Index("ix_venue_features_feature", "feature", "venue_id"),)
