"""Roles a user account can hold (any combination)."""

import enum

from flask_babel import lazy_gettext as _l


class Role(enum.StrEnum):
    ADMIN = "admin"
    COACH = "coach"
    ORGANISER = "organiser"
    HOME_STAFF = "home_staff"
    PARTICIPANT = "participant"

    @property
    def label(self):
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: _l("Federation administrator"),
    Role.COACH: _l("Coach"),
    Role.ORGANISER: _l("Activity organiser"),
    Role.HOME_STAFF: _l("Sunshine home staff"),
    Role.PARTICIPANT: _l("Participant"),
}


class Language(enum.StrEnum):
    ZH_HANS = "zh_Hans"
    EN = "en"

    @property
    def label(self):
        return {Language.ZH_HANS: "简体中文", Language.EN: "English"}[self]
