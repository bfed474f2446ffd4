"""Enumerations of the outbox (app/notices), each with a translatable label."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.enums import LabelledEnum


class Channel(LabelledEnum):
    EMAIL = "email", _l("E-mail")
    SMS = "sms", _l("SMS")
    WECOM = "wecom", _l("WeCom staff group")
    WECHAT = "wechat", _l("WeChat")


class NoticeStatus(LabelledEnum):
    QUEUED = "queued", _l("Waiting to be sent")
    SENT = "sent", _l("Sent")
    FAILED = "failed", _l("Failed")


class Change(LabelledEnum):
    """What happened to the thing the recipient is expected at."""

    MOVED = "moved", _l("Time or place changed")
    CANCELLED = "cancelled", _l("Cancelled")
    RESTORED = "restored", _l("Back on")
    BOOKED = "booked", _l("New booking")
