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
    # Withheld before sending: the recipient withdrew consent, was erased, or the only
    # person it was about was erased (``Notice.skip_reason`` says which).
    SKIPPED = "skipped", _l("Not sent")


class Change(LabelledEnum):
    """What happened to the thing the recipient is expected at."""

    MOVED = "moved", _l("Time or place changed")
    CANCELLED = "cancelled", _l("Cancelled")
    RESTORED = "restored", _l("Back on")
    BOOKED = "booked", _l("New booking")
    REMINDER = "reminder", _l("Reminder")


class SkipReason(LabelledEnum):
    """Why a queued notice was not sent (shown on /admin/notices/)."""

    NO_CONSENT = "no_consent", _l("The recipient no longer consents to be contacted")
    ARCHIVED = "archived", _l("The recipient's record is archived")
    ERASED = "erased", _l("The recipient's personal data was erased")
    ABOUT_ERASED = "about_erased", _l("The person it was about was erased")
