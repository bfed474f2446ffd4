"""Reads of the venue register: the filtered, paginated list and single venues for display."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.core.reference import Town
from app.extensions import db
from app.venues.enums import AccessibilityFeature, VenueKind
from app.venues.models import Venue, VenueFeature


@dataclass(frozen=True)
class VenueFilters:
    town_id: int | None = None
    kind: VenueKind | None = None
    features: frozenset[AccessibilityFeature] = field(default_factory=frozenset)
    text: str = ""
    include_archived: bool = False


@dataclass(frozen=True)
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def with_all_features(features: Iterable[AccessibilityFeature]) -> sa.Select:
    """The ids of venues that have *every* feature in ``features`` (relational division:
    count each venue's matching rows and keep those that matched them all)."""
    wanted = sorted({AccessibilityFeature(f) for f in features})
    return (
        sa.select(VenueFeature.venue_id)
        .where(VenueFeature.feature.in_(wanted))
        .group_by(VenueFeature.venue_id)
        .having(sa.func.count() == len(wanted))
    )


def _filtered(filters: VenueFilters) -> sa.Select:
    query = sa.select(Venue)
    if not filters.include_archived:
        query = query.where(Venue.is_archived.is_(False))
    if filters.town_id is not None:
        query = query.where(Venue.town_id == filters.town_id)
    if filters.kind is not None:
        query = query.where(Venue.kind == filters.kind)
    if filters.features:
        query = query.where(Venue.id.in_(with_all_features(filters.features)))
    if filters.text:
        pattern = (
            "%" + filters.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        query = query.where(
            sa.or_(
                Venue.name.ilike(pattern, escape="\\"), Venue.address.ilike(pattern, escape="\\")
            )
        )
    return query


def list_venues(filters: VenueFilters, page: int = 1, per_page: int = 25) -> Page:
    """Venues matching ``filters``, ordered by town (the district's order), then name, then
    id; one page of them with the total. Three queries whatever the page size: the count,
    the venues with their towns, and their features."""
    query = _filtered(filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    items = list(
        db.session.scalars(
            query.join(Venue.town)
            .options(contains_eager(Venue.town), selectinload(Venue.feature_rows))
            .order_by(Town.sort_order, Venue.name, Venue.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    return Page(items=items, total=total, page=page, per_page=per_page)


def get_venue(venue_id: int) -> Venue | None:
    """One venue with its town and features (two queries)."""
    return db.session.scalar(
        sa.select(Venue)
        .where(Venue.id == venue_id)
        .options(joinedload(Venue.town), selectinload(Venue.feature_rows))
    )


def venue_choices(include: int | None = None) -> list[tuple[str, str]]:
    """(id, "name (town)") for select boxes in other domains: current venues, plus
    ``include`` (a record's existing venue) even if it has been archived since."""
    condition = Venue.is_archived.is_(False)
    if include is not None:
        condition = sa.or_(condition, Venue.id == include)
    rows = db.session.execute(
        sa.select(Venue.id, Venue.name, Town)
        .join(Venue.town)
        .where(condition)
        .order_by(Town.sort_order, Venue.name, Venue.id)
    )
    return [(str(vid), f"{name} ({town.display_name})") for vid, name, town in rows]
