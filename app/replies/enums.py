"""Reply choices and the kinds of subject a reply is about."""

from flask_babel import lazy_gettext as _l

from app.core.enums import LabelledEnum


class Answer(LabelledEnum):
    COMING = "coming", _l("I will come")
    NOT_COMING = "not_coming", _l("I cannot come")


class SubjectKind(LabelledEnum):
    PERFORMANCE = "performance", _l("Performance")
    EVENT = "event", _l("Competition event")
    SESSION = "session", _l("Home session")
