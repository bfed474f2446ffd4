"""The words of a notice: plain and short (what, when, where, what changed, whom to call),
in the recipient's language, as plain text, HTML and an SMS-sized line.

Rendered when the notice is queued (and again when a later change is coalesced into it), in
the recipient's language with the app's own catalogue (``force_locale``)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.calendars.sources import absolute_url
from app.core import clock
from app.notices.enums import Change
from app.replies.links import reply_url, sign

# A notice's subject kinds as app/replies names them: a home session is named by its
# activity and the occurrence's original start.
REPLY_KINDS = {"performance": "performance", "competition_event": "event", "activity": "session"}


def when_text(starts_at: datetime | None, ends_at: datetime | None) -> str:
    if starts_at is None:
        return ""
    start = clock.to_local(starts_at)
    text = start.strftime("%Y-%m-%d %H:%M")
    if ends_at is not None:
        end = clock.to_local(ends_at)
        text += "–" + (
            end.strftime("%H:%M") if end.date() == start.date() else end.strftime("%Y-%m-%d %H:%M")
        )
    return text


def _change_sentence(change: Change, series: bool, names: str = "") -> str:
    if change == Change.CANCELLED:
        return _("This has been cancelled.")
    if change == Change.RESTORED:
        return _("This is back on.")
    if change == Change.BOOKED:
        # To a caregiver: the dependants were booked, not the reader.
        if names:
            return _("Booked for this: %(names)s.", names=names)
        return _("You have been booked for this.")
    if change == Change.REMINDER:
        return _("A reminder: this is tomorrow.")
    if series:
        return _("The time or place of this weekly activity has changed.")
    return _("The time or place has changed.")


def _title(change: Change, title: str) -> str:
    return {
        Change.CANCELLED: _("Cancelled: %(title)s", title=title),
        Change.RESTORED: _("Back on: %(title)s", title=title),
        Change.BOOKED: _("New booking: %(title)s", title=title),
        Change.MOVED: _("Changed: %(title)s", title=title),
        Change.REMINDER: _("Tomorrow: %(title)s", title=title),
    }[change]


REPLY = "\x00reply\x00"


def reply_link(person_id, subject) -> str | None:
    """The signed "will you come?" link for this person and occurrence (app/replies): a
    performance or event by its start, a home session by its original start. None for a
    staff group, a cancellation, a whole weekly series (no one occurrence to answer), an event
    without a time, or outside a request with neither SERVER_NAME nor RONGHE_BASE_URL (no
    host to link to). Outside a request (``flask notices remind`` from cron) the host is
    RONGHE_BASE_URL's, as in the calendar feeds."""
    if person_id is None or subject.cancelled or subject.series or subject.starts_at is None:
        return None
    start = subject.original_start if subject.kind == "activity" else subject.starts_at
    kind = REPLY_KINDS[subject.kind]
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return reply_url(person_id, kind, subject.id, start)
    if current_app.config.get("RONGHE_BASE_URL"):
        return absolute_url("replies.answer", token=sign(person_id, kind, subject.id, start))
    return None


def fill(rendered: tuple, link: str | None) -> tuple:
    """Put a person's reply link where ``render(..., reply=REPLY)`` left its place (the
    rendering is shared by everyone with the same language and dependants: 2,000 people
    told in one transaction cost a handful of renderings, not 2,000)."""
    title, text, html, sms, params = rendered
    if link is None:
        return title, text, html, sms, params
    return (
        title,
        text.replace(REPLY, link),
        html.replace(REPLY, str(escape(link))),
        sms.replace(REPLY, link),
        params,
    )


def render(subject, change: Change, facts: dict, language: str, *, reply, names):
    """(title, plain text, HTML, SMS text, SMS template parameters) for one recipient.
    ``names``: the dependants the notice is about (empty when it is about the recipient);
    ``reply``: the reply link (or ``REPLY``, the place ``fill`` puts it; None: no link)."""
    locale = "en" if language == "en" else "zh_Hans"
    with force_locale(locale):
        separator = ", " if locale == "en" else "、"
        comma, colon = (", ", ": ") if locale == "en" else ("，", "：")
        lines: list[tuple[str, str]] = []
        about = (
            _("This concerns %(names)s, whom you care for.", names=separator.join(names))
            if names
            else ""
        )
        sentence = _change_sentence(change, subject.series, separator.join(names))
        when = when_text(subject.starts_at, subject.ends_at)
        where = comma.join(part for part in (subject.venue, subject.address) if part)
        lines.append((_("What"), subject.title))
        if when:
            lines.append(
                (_("When"), _("weekly, from %(when)s", when=when) if subject.series else when)
            )
        if where:
            lines.append((_("Where"), where))
        old = facts.get("old") or {}
        if change == Change.MOVED and old:
            before = comma.join(
                part
                for part in (
                    when_text(_instant(old.get("starts_at")), _instant(old.get("ends_at"))),
                    old.get("venue", ""),
                )
                if part
            )
            if before:
                lines.append((_("Before"), before))
        if subject.contact:
            lines.append((_("Questions"), subject.contact))
        lines.append((_("Details"), subject.url))
        if reply is not None:
            lines.append((_("Will you come?"), reply))
        title = _title(change, subject.title)
        head = [line for line in (about, sentence) if line]
        text = "\n".join(head) + "\n\n" + "\n".join(f"{k}{colon}{v}" for k, v in lines) + "\n"
        html = Markup("").join(
            [Markup("<p>{}</p>\n").format(line) for line in head]
            + [Markup("<dl>\n")]
            + [
                Markup("<dt>{}</dt><dd>{}</dd>\n").format(
                    k,
                    Markup('<a href="{0}">{0}</a>').format(v)
                    if v.startswith("http") or v == REPLY
                    else v,
                )
                for k, v in lines
            ]
            + [Markup("</dl>\n")]
        )
        sms = f"{title} {when} {where}".strip() + f" {reply or subject.url}"
        sms_params = {
            "title": subject.title[:35],
            "change": str(change.label)[:20],
            "time": when,
            "place": (subject.venue or "")[:35],
        }
    return title, text, str(html), sms, sms_params


def _instant(value):
    return datetime.fromisoformat(value) if value else None


__all__ = ["escape", "render", "when_text"]
