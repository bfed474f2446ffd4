"""Kinds, services, activity kinds, exception kinds and attendance values of the homes
domain, with display labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.enums import LabelledEnum


class HomeKind(LabelledEnum):
    SUNSHINE_HOME = "sunshine_home", _l("Sunshine home")
    WORK_THERAPY = "work_therapy", _l("Work-therapy institution")


class Service(LabelledEnum):
    """Declaration order is display order."""

    DAY_CARE = "day_care", _l("Day care")
    SHELTERED_EMPLOYMENT = "sheltered_employment", _l("Sheltered employment")
    REHAB_RECREATION = "rehab_recreation", _l("Rehabilitation and recreation")


class ActivityKind(LabelledEnum):
    REHAB_EXERCISE = "rehab_exercise", _l("Rehabilitation exercise")
    RECREATION = "recreation", _l("Recreation")
    CRAFT_WORK = "craft_work", _l("Craft and sheltered work")
    COUNSELLING = "counselling", _l("Psychological counselling")
    PEER_SUPPORT = "peer_support", _l("Peer support")
    SPORTS = "sports", _l("Sports")
    CULTURE = "culture", _l("Culture")
    OUTING = "outing", _l("Outing")


class ExceptionKind(LabelledEnum):
    CANCELLED = "cancelled", _l("Cancelled")
    MOVED = "moved", _l("Moved")


class AttendanceStatus(LabelledEnum):
    PRESENT = "present", _l("Present")
    ABSENT = "absent", _l("Absent")


class AbsenceReason(LabelledEnum):
    ILL = "ill", _l("Ill")
    FAMILY = "family", _l("Family matters")
    TRANSPORT = "transport", _l("Transport")
    OTHER = "other", _l("Other reason")


class LeftReason(LabelledEnum):
    MOVED_AWAY = "moved_away", _l("Moved away")
    FOUND_WORK = "found_work", _l("Found work")
    HEALTH = "health", _l("Health")
    FAMILY_CHOICE = "family_choice", _l("Family's choice")
    TRANSFERRED = "transferred", _l("Transferred to another home")
    DECEASED = "deceased", _l("Deceased")
    OTHER = "other", _l("Other reason")
