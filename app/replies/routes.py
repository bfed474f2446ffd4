"""The reply pages: the public page a signed link opens (no sign-in), and the signed-in
answer posted from an event page.

The public page shows what, when and where, and for each person the link may answer for
(the holder, and their dependants expected there) the answer so far and two buttons. A
tampered link or one naming nothing answers a plain page with status 404, an expired one 410;
both in the reader's language. Rate-limited per address (``RATELIMIT_REPLY``)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core.auth import public
from app.core.errors import DomainError
from app.core.security import mark_personal
from app.extensions import db, limiter
from app.replies import bp, forms, queries, services
from app.replies.enums import Answer
from app.replies.names import given_name


def _reply_limit() -> str:
    return current_app.config["RATELIMIT_REPLY"]


def refused_page(why: str):
    if why == "expired":
        title = _("This reply link has expired")
        text = _(
            "The event this link was for has ended, so answers are closed. "
            "If something has changed, the organiser will send a new link."
        )
        status = 410
    else:
        title = _("This reply link does not work")
        text = _(
            "The link may have been copied incompletely, or what it was for has been "
            "changed. Open the link from the latest message you received, or call the "
            "organiser."
        )
        status = 404
    return render_template("replies/refused.html", title=title, text=text), status


def render_answers(
    who: services.Answerer, *, action: str, error=None, error_person=None, kept_reason=""
):
    answers = queries.for_occurrence(
        who.subject.kind, who.subject.id, who.subject.occurrence_start, [p.id for p in who.people]
    )
    return render_template(
        "replies/answer.html",
        who=who,
        subject=who.subject,
        answers=answers,
        action=action,
        names={p.id: given_name(p.name) for p in who.people},
        Answer=Answer,
        error=error,
        error_person=error_person,
        kept_reason=kept_reason,
        page_has_errors=error is not None,
    ), (422 if error else 200)


@bp.route("/<token>", methods=["GET", "POST"])
@public
@limiter.limit(_reply_limit, scope="reply-link")
def answer(token: str):
    mark_personal()
    try:
        who = services.open_link(token)
    except services.LinkRefused as refused:
        return refused_page(refused.why)
    action = url_for("replies.answer", token=token)
    if request.method == "POST":
        posted = None
        try:
            posted = forms.read_posted()
            _reply, changed = services.record_answer(
                who, posted.person_id, posted.answer, posted.reason, via_link=True
            )
        except DomainError as exc:
            db.session.rollback()
            person = posted.person_id if posted is not None else None
            return render_answers(
                who,
                action=action,
                error=exc.message,
                error_person=person,
                kept_reason=request.form.get("reason", ""),
            )
        db.session.commit()
        flash(_("Your answer has been saved.") if changed else _("Your answer was already saved."))
        return redirect(action + "#answers", code=303)
    return render_answers(who, action=action)
