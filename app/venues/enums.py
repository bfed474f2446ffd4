"""Kinds of venue and the accessibility features a venue can offer, with display labels."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class VenueKind(enum.StrEnum):
    SPORTS_VENUE = "sports_venue"
    CULTURAL_AUDITORIUM = "cultural_auditorium"
    WORK_THERAPY_WORKSHOP = "work_therapy_workshop"
    SCHOOL = "school"
    COMMUNITY_CENTRE = "community_centre"
    ENTERPRISE = "enterprise"
    SUNSHINE_HOME = "sunshine_home"
    GOVERNMENT_INSTITUTION = "government_institution"
    OTHER = "other"

    @property
    def label(self):
        return VENUE_KIND_LABELS[self]


VENUE_KIND_LABELS = {
    VenueKind.SPORTS_VENUE: _l("Sports venue"),
    VenueKind.CULTURAL_AUDITORIUM: _l("Village cultural auditorium"),
    VenueKind.WORK_THERAPY_WORKSHOP: _l("Work-therapy workshop"),
    VenueKind.SCHOOL: _l("School"),
    VenueKind.COMMUNITY_CENTRE: _l("Community centre"),
    VenueKind.ENTERPRISE: _l("Enterprise"),
    VenueKind.SUNSHINE_HOME: _l("Sunshine home"),
    VenueKind.GOVERNMENT_INSTITUTION: _l("Government institution"),
    VenueKind.OTHER: _l("Other"),
}


class AccessibilityFeature(enum.StrEnum):
    """Declaration order is display order: getting in first, then facilities, then services."""

    STEP_FREE_ENTRANCE = "step_free_entrance"
    ACCESSIBLE_TOILET = "accessible_toilet"
    LIFT = "lift"
    HEARING_LOOP = "hearing_loop"
    SIGN_LANGUAGE = "sign_language"
    ACCESSIBLE_PARKING = "accessible_parking"
    TACTILE_PAVING = "tactile_paving"
    ACCESSIBLE_SEATING = "accessible_seating"

    @property
    def label(self):
        return FEATURE_LABELS[self]

    @property
    def order(self) -> int:
        return _FEATURE_ORDER[self]


FEATURE_LABELS = {
    AccessibilityFeature.STEP_FREE_ENTRANCE: _l("Step-free entrance"),
    AccessibilityFeature.ACCESSIBLE_TOILET: _l("Accessible toilet"),
    AccessibilityFeature.LIFT: _l("Lift"),
    AccessibilityFeature.HEARING_LOOP: _l("Hearing loop"),
    AccessibilityFeature.SIGN_LANGUAGE: _l("Sign-language interpretation on request"),
    AccessibilityFeature.ACCESSIBLE_PARKING: _l("Accessible parking"),
    AccessibilityFeature.TACTILE_PAVING: _l("Tactile paving"),
    AccessibilityFeature.ACCESSIBLE_SEATING: _l("Accessible seating"),
}

_FEATURE_ORDER = {feature: index for index, feature in enumerate(AccessibilityFeature)}
