"""The reply pages: the public page a signed link opens (no sign-in), and the signed-in
answer posted from an event page.

The public page shows what, when and where, and for each person the link may answer for
(the holder, and their dependants expected there) the answer so far and two buttons. A
tampered link or one naming nothing answers a plain page with status 404, an expired one 410;
both in the reader's language. Rate-limited per address (``RATELIMIT_REPLY``)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import editing
from app.core.auth import login_required, public
from app.core.errors import DomainError
from app.core.params import whole_number
from app.core.security import is_safe_next, mark_personal
from app.extensions import db, limiter
from app.people.models import Person
from app.replies import bp, forms, pages, queries, services, subjects
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
    if error_person not in {p.id for p in who.people}:
        error_person = None  # the error is shown at a person only when they are on the page
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
        posted_person = whole_number(request.form.get("person_id"))
        try:
            posted = forms.read_posted()
            _reply, changed = services.record_answer(
                who, posted.person_id, posted.answer, posted.reason, via_link=True
            )
        except DomainError as exc:
            db.session.rollback()
            return render_answers(
                who,
                action=action,
                error=exc.message,
                error_person=posted_person,
                kept_reason=request.form.get("reason", ""),
            )
        db.session.commit()
        flash(_("Your answer has been saved.") if changed else _("Your answer was already saved."))
        return redirect(action + "#answers", code=303)
    return render_answers(who, action=action)


@bp.route("/mine/<any(performance, event, session):kind>/<int:subject_id>/<key>", methods=["POST"])
@login_required
def signed_in(kind: str, subject_id: int, key: str):
    """The buttons on an event page, for a signed-in participant or caregiver: answers for
    the user's own register person and their dependants expected there; back to the page."""
    subject = _subject(kind, subject_id, key)
    back_to = request.args.get("back")
    if subject is None and is_safe_next(back_to):
        # Moved (or called off) since the page was opened: the page as it is now, and why
        # nothing was saved, rather than a bare "not found".
        flash(
            _(
                "This event was moved or removed after you opened the page, so your answer"
                " was not saved. Check the page as it is now and answer again."
            ),
            "error",
        )
        return redirect(back_to, code=303)
    if subject is None:
        abort(404)
    person = db.session.get(Person, current_user.person_id) if current_user.person_id else None
    if person is None:
        abort(404)
    who = services.answerer(person, subject)
    if not who.people:
        abort(404)
    back = url_for(subject.page_endpoint, **subject.page_args) + "#" + pages.anchor(subject)

    def apply() -> bool:
        posted = forms.read_posted()
        _reply, changed = services.record_answer(
            who, posted.person_id, posted.answer, posted.reason, user=current_user
        )
        return changed

    return editing.act(
        apply,
        flash_message=lambda changed: (
            _("Your answer has been saved.") if changed else _("Your answer was already saved."),
            "message",
        ),
        redirect_to=back,
    )


def _subject(kind: str, subject_id: int, key: str) -> subjects.Subject | None:
    try:
        start = datetime.strptime(key, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return subjects.load(kind, subject_id, start)


def _subject_or_404(kind: str, subject_id: int, key: str) -> subjects.Subject:
    subject = _subject(kind, subject_id, key)
    if subject is None:
        abort(404)
    return subject


@bp.route("/page/<any(performance, event, session):kind>/<int:subject_id>/<key>")
@login_required
def subject_page(kind: str, subject_id: int, key: str):
    """The page of what a reply is about (the clash list links here); that page applies its
    own access rules."""
    subject = _subject_or_404(kind, subject_id, key)
    return redirect(url_for(subject.page_endpoint, **subject.page_args), code=303)
