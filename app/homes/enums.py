"""Kinds, services, activity kinds, exception kinds and attendance values of the homes
domain, with display labels."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class HomeKind(enum.StrEnum):
    SUNSHINE_HOME = "sunshine_home"
    WORK_THERAPY = "work_therapy"

    @property
    def label(self):
        return {
            HomeKind.SUNSHINE_HOME: _l("Sunshine home"),
            HomeKind.WORK_THERAPY: _l("Work-therapy institution"),
        }[self]


class Service(enum.StrEnum):
    """Declaration order is display order."""

    DAY_CARE = "day_care"
    SHELTERED_EMPLOYMENT = "sheltered_employment"
    REHAB_RECREATION = "rehab_recreation"

    @property
    def label(self):
        return SERVICE_LABELS[self]

    @property
    def order(self) -> int:
        return list(Service).index(self)


SERVICE_LABELS = {
    Service.DAY_CARE: _l("Day care"),
    Service.SHELTERED_EMPLOYMENT: _l("Sheltered employment"),
    Service.REHAB_RECREATION: _l("Rehabilitation and recreation"),
}


class ActivityKind(enum.StrEnum):
    REHAB_EXERCISE = "rehab_exercise"
    RECREATION = "recreation"
    CRAFT_WORK = "craft_work"
    COUNSELLING = "counselling"
    PEER_SUPPORT = "peer_support"
    SPORTS = "sports"
    CULTURE = "culture"
    OUTING = "outing"

    @property
    def label(self):
        return ACTIVITY_KIND_LABELS[self]


ACTIVITY_KIND_LABELS = {
    ActivityKind.REHAB_EXERCISE: _l("Rehabilitation exercise"),
    ActivityKind.RECREATION: _l("Recreation"),
    ActivityKind.CRAFT_WORK: _l("Craft and sheltered work"),
    ActivityKind.COUNSELLING: _l("Psychological counselling"),
    ActivityKind.PEER_SUPPORT: _l("Peer support"),
    ActivityKind.SPORTS: _l("Sports"),
    ActivityKind.CULTURE: _l("Culture"),
    ActivityKind.OUTING: _l("Outing"),
}


class ExceptionKind(enum.StrEnum):
    CANCELLED = "cancelled"
    MOVED = "moved"

    @property
    def label(self):
        return {ExceptionKind.CANCELLED: _l("Cancelled"), ExceptionKind.MOVED: _l("Moved")}[self]


class AttendanceStatus(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"

    @property
    def label(self):
        return {AttendanceStatus.PRESENT: _l("Present"), AttendanceStatus.ABSENT: _l("Absent")}[
            self
        ]


class AbsenceReason(enum.StrEnum):
    ILL = "ill"
    FAMILY = "family"
    TRANSPORT = "transport"
    OTHER = "other"

    @property
    def label(self):
        return ABSENCE_REASON_LABELS[self]


ABSENCE_REASON_LABELS = {
    AbsenceReason.ILL: _l("Ill"),
    AbsenceReason.FAMILY: _l("Family matters"),
    AbsenceReason.TRANSPORT: _l("Transport"),
    AbsenceReason.OTHER: _l("Other reason"),
}


class LeftReason(enum.StrEnum):
    MOVED_AWAY = "moved_away"
    FOUND_WORK = "found_work"
    HEALTH = "health"
    FAMILY_CHOICE = "family_choice"
    TRANSFERRED = "transferred"
    DECEASED = "deceased"
    OTHER = "other"

    @property
    def label(self):
        return LEFT_REASON_LABELS[self]


LEFT_REASON_LABELS = {
    LeftReason.MOVED_AWAY: _l("Moved away"),
    LeftReason.FOUND_WORK: _l("Found work"),
    LeftReason.HEALTH: _l("Health"),
    LeftReason.FAMILY_CHOICE: _l("Family's choice"),
    LeftReason.TRANSFERRED: _l("Transferred to another home"),
    LeftReason.DECEASED: _l("Deceased"),
    LeftReason.OTHER: _l("Other reason"),
}
