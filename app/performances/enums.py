"""Enumerations of the performances domain, each with a translatable label. Values are
stored as readable strings behind CHECK constraints (core.db.enum_column)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.enums import LabelledEnum


class Setting(LabelledEnum):
    """Where a performance is taken: the six "into" settings of the special-arts "Six Into"
    activities (特殊文艺"六进"), then work-therapy workshops and anything else."""

    COMMUNITY = "community", _l("Into the community")
    SCHOOL = "school", _l("Into a school")
    ENTERPRISE = "enterprise", _l("Into an enterprise")
    VILLAGE = "village", _l("Into a village")
    GOVERNMENT_INSTITUTION = "government_institution", _l("Into a government institution")
    FAMILY_HOME = "family_home", _l("Into a family home")
    WORK_THERAPY_WORKSHOP = "work_therapy_workshop", _l("Work-therapy workshop")
    OTHER = "other", _l("Other setting")


class PerformanceStatus(LabelledEnum):
    PLANNED = "planned", _l("Planned")
    CONFIRMED = "confirmed", _l("Confirmed")
    POSTPONED = "postponed", _l("Postponed")
    CANCELLED = "cancelled", _l("Cancelled")
    DONE = "done", _l("Done")


# What the public may see (with the performance's public flag).
PUBLIC_STATUSES = (PerformanceStatus.CONFIRMED, PerformanceStatus.DONE)


class TroupeRole(LabelledEnum):
    PERFORMER = "performer", _l("Performer")
    LEADER = "leader", _l("Leader")
    CAREGIVER = "caregiver", _l("Caregiver")
    INTERPRETER = "interpreter", _l("Sign-language interpreter")


class BookingRole(LabelledEnum):
    """What a person booked for a performance does there: performers are on stage, the
    others are support people."""

    PERFORMER = "performer", _l("Performer")
    INTERPRETER = "interpreter", _l("Sign-language interpreter")
    CAREGIVER = "caregiver", _l("Caregiver")
    DRIVER = "driver", _l("Driver")


class AccessNeed(LabelledEnum):
    """Accessibility a performance promises its audience and performers."""

    SIGN_LANGUAGE = "sign_language", _l("Sign-language interpretation")
    STEP_FREE = "step_free", _l("Step-free access for performers and audience")
    ACCESSIBLE_SEATING = "accessible_seating", _l("Accessible seating")
    HEARING_LOOP = "hearing_loop", _l("Hearing loop")
    ACCESSIBLE_TOILET = "accessible_toilet", _l("Accessible toilet")
    AUDIO_DESCRIPTION = "audio_description", _l("Audio description")
