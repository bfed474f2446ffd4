"""Enumerations of the performances domain, each with a translatable label. Values are
stored as readable strings behind CHECK constraints (core.db.enum_column)."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Setting(enum.StrEnum):
    """Where a performance is taken: the six "into" settings of the special-arts "Six Into"
    activities (特殊文艺"六进"), then work-therapy workshops and anything else."""

    COMMUNITY = "community"
    SCHOOL = "school"
    ENTERPRISE = "enterprise"
    VILLAGE = "village"
    GOVERNMENT_INSTITUTION = "government_institution"
    FAMILY_HOME = "family_home"
    WORK_THERAPY_WORKSHOP = "work_therapy_workshop"
    OTHER = "other"

    @property
    def label(self):
        return SETTING_LABELS[self]


SETTING_LABELS = {
    Setting.COMMUNITY: _l("Into the community"),
    Setting.SCHOOL: _l("Into a school"),
    Setting.ENTERPRISE: _l("Into an enterprise"),
    Setting.VILLAGE: _l("Into a village"),
    Setting.GOVERNMENT_INSTITUTION: _l("Into a government institution"),
    Setting.FAMILY_HOME: _l("Into a family home"),
    Setting.WORK_THERAPY_WORKSHOP: _l("Work-therapy workshop"),
    Setting.OTHER: _l("Other setting"),
}


class PerformanceStatus(enum.StrEnum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"
    DONE = "done"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    PerformanceStatus.PLANNED: _l("Planned"),
    PerformanceStatus.CONFIRMED: _l("Confirmed"),
    PerformanceStatus.POSTPONED: _l("Postponed"),
    PerformanceStatus.CANCELLED: _l("Cancelled"),
    PerformanceStatus.DONE: _l("Done"),
}

# What the public may see (with the performance's public flag).
PUBLIC_STATUSES = (PerformanceStatus.CONFIRMED, PerformanceStatus.DONE)


class TroupeRole(enum.StrEnum):
    PERFORMER = "performer"
    LEADER = "leader"
    CAREGIVER = "caregiver"
    INTERPRETER = "interpreter"

    @property
    def label(self):
        return TROUPE_ROLE_LABELS[self]


TROUPE_ROLE_LABELS = {
    TroupeRole.PERFORMER: _l("Performer"),
    TroupeRole.LEADER: _l("Leader"),
    TroupeRole.CAREGIVER: _l("Caregiver"),
    TroupeRole.INTERPRETER: _l("Sign-language interpreter"),
}


class BookingRole(enum.StrEnum):
    """What a person booked for a performance does there: performers are on stage, the
    others are support people."""

    PERFORMER = "performer"
    INTERPRETER = "interpreter"
    CAREGIVER = "caregiver"
    DRIVER = "driver"

    @property
    def label(self):
        return BOOKING_ROLE_LABELS[self]


BOOKING_ROLE_LABELS = {
    BookingRole.PERFORMER: _l("Performer"),
    BookingRole.INTERPRETER: _l("Sign-language interpreter"),
    BookingRole.CAREGIVER: _l("Caregiver"),
    BookingRole.DRIVER: _l("Driver"),
}


class AccessNeed(enum.StrEnum):
    """Accessibility a performance promises its audience and performers."""

    SIGN_LANGUAGE = "sign_language"
    STEP_FREE = "step_free"
    ACCESSIBLE_SEATING = "accessible_seating"
    HEARING_LOOP = "hearing_loop"
    ACCESSIBLE_TOILET = "accessible_toilet"
    AUDIO_DESCRIPTION = "audio_description"

    @property
    def label(self):
        return NEED_LABELS[self]


NEED_LABELS = {
    AccessNeed.SIGN_LANGUAGE: _l("Sign-language interpretation"),
    AccessNeed.STEP_FREE: _l("Step-free access for performers and audience"),
    AccessNeed.ACCESSIBLE_SEATING: _l("Accessible seating"),
    AccessNeed.HEARING_LOOP: _l("Hearing loop"),
    AccessNeed.ACCESSIBLE_TOILET: _l("Accessible toilet"),
    AccessNeed.AUDIO_DESCRIPTION: _l("Audio description"),
}
