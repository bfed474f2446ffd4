"""Roles a user account can hold (any combination)."""

from flask_babel import lazy_gettext as _l

from app.core.enums import LabelledEnum


class Role(LabelledEnum):
    ADMIN = "admin", _l("Federation administrator")
    COACH = "coach", _l("Coach")
    ORGANISER = "organiser", _l("Activity organiser")
    HOME_STAFF = "home_staff", _l("Sunshine home staff")
    PARTICIPANT = "participant", _l("Participant")


class Language(LabelledEnum):
    ZH_HANS = "zh_Hans", "简体中文"
    EN = "en", "English"
