"""Kinds of venue and the accessibility features a venue can offer, with display labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.enums import LabelledEnum


class VenueKind(LabelledEnum):
    SPORTS_VENUE = "sports_venue", _l("Sports venue")
    CULTURAL_AUDITORIUM = "cultural_auditorium", _l("Village cultural auditorium")
    WORK_THERAPY_WORKSHOP = "work_therapy_workshop", _l("Work-therapy workshop")
    SCHOOL = "school", _l("School")
    COMMUNITY_CENTRE = "community_centre", _l("Community centre")
    ENTERPRISE = "enterprise", _l("Enterprise")
    SUNSHINE_HOME = "sunshine_home", _l("Sunshine home")
    GOVERNMENT_INSTITUTION = "government_institution", _l("Government institution")
    OTHER = "other", _l("Other")


class AccessibilityFeature(LabelledEnum):
    """Declaration order is display order: getting in first, then facilities, then services."""

    STEP_FREE_ENTRANCE = "step_free_entrance", _l("Step-free entrance")
    ACCESSIBLE_TOILET = "accessible_toilet", _l("Accessible toilet")
    LIFT = "lift", _l("Lift")
    HEARING_LOOP = "hearing_loop", _l("Hearing loop")
    SIGN_LANGUAGE = "sign_language", _l("Sign-language interpretation on request")
    ACCESSIBLE_PARKING = "accessible_parking", _l("Accessible parking")
    TACTILE_PAVING = "tactile_paving", _l("Tactile paving")
    ACCESSIBLE_SEATING = "accessible_seating", _l("Accessible seating")
