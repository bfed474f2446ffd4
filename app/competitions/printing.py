"""Printed competition documents (issue 17): the start list of an event and the whole programme
(before the start), certificates and the medal ceremony sheet (award documents). Pages of the
site printed on A4 by the browser with app/static/css/print.css (no PDF library); the page
header and footer of the start lists come from ``print_css`` below, in the page's language.

Staff documents: those who manage the competition (its coach, or an admin) see and print
them; other coaches get 403, other roles 403, anonymous visitors the sign-in page. They name
every athlete, publication consent or not (officials need the names; a certificate is the
athlete's own, printed for them), so they are never cached (``mark_personal``)."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.competitions import bp, printouts, rules
from app.competitions.models import Competition
from app.core.auth import get_or_404, public, role_required
from app.core.printing import PRINT_LANGUAGES, css_string, page_of
from app.core.security import mark_personal


def _managed(found, competition_of):
    """What a printout query found: 404 when it found nothing, 403 unless the user manages
    ``competition_of(found)``; never cached (it names every athlete)."""
    if found is None:
        abort(404)
    if not rules.can_manage(current_user, competition_of(found)):
        abort(403)
    mark_personal()
    return found


def federation() -> str:
    """The federation's name as documents print it."""
    return _("District Disabled Persons' Federation")


@bp.get("/<int:competition_id>/programme")
@role_required("coach")
def programme(competition_id: int):
    """The competition's programme: every event's start list, each event from a new page."""
    competition, start_lists = _managed(printouts.programme(competition_id), lambda f: f[0])
    return render_template(
        "competitions/print/programme.html",
        competition=competition,
        start_lists=start_lists,
    )


@bp.get("/events/<int:event_id>/start-list")
@role_required("coach")
def start_list(event_id: int):
    found = _managed(printouts.start_list(event_id), lambda f: f.event.competition)
    return render_template(
        "competitions/print/start_list.html",
        competition=found.event.competition,
        start_list=found,
    )


@bp.get("/events/<int:event_id>/certificates")
@role_required("coach")
def certificates(event_id: int):
    """Every certificate of the event, one A4 landscape page each; ``?medallists=1``: the
    medallists' only."""
    medallists_only = request.args.get("medallists") == "1"
    found = printouts.event_certificates(event_id, medallists_only=medallists_only)
    event, made = _managed(found, lambda f: f[0].competition)
    return _certificates(event, None, made, medallists_only)


@bp.get("/entries/<int:entry_id>/certificate")
@role_required("coach")
def entry_certificate(entry_id: int):
    """The certificate of one entry (one page per athlete of a team)."""
    entry, made = _managed(printouts.entry_certificates(entry_id), lambda f: f[0].event.competition)
    return _certificates(entry.event, entry, made, False)


def _certificates(event, entry, made, medallists_only: bool):
    """The certificates page: an event's (``entry`` None) or one entry's."""
    return render_template(
        "competitions/print/certificates.html",
        event=event,
        entry=entry,
        certificates=made,
        medallists_only=medallists_only,
        federation=federation(),
    )


@bp.get("/events/<int:event_id>/ceremony")
@role_required("coach")
def ceremony(event_id: int):
    """The medal ceremony sheet: who stands where, in the order the medals are presented."""
    event, steps = _managed(printouts.ceremony(event_id), lambda f: f[0].competition)
    return render_template(
        "competitions/print/ceremony.html",
        competition=event.competition,
        event=event,
        steps=steps,
        provisional=any(e.result.is_provisional for step in steps for e in step.entries),
    )


@bp.get("/<int:competition_id>/print.css")
@public
def print_css(competition_id: int):
    """The page header and footer of a competition's printed start lists and ceremony sheets
    (CSS margin boxes): the federation's name, the competition's name and "page N of M" in
    the language given. Public: it says only what the competition's public page says."""
    lang = request.args.get("lang", "")
    if lang not in PRINT_LANGUAGES:
        abort(404)
    competition = get_or_404(Competition, competition_id)
    with force_locale(lang):
        css = render_template(
            "competitions/print/print.css",
            federation=css_string(federation()),
            competition=css_string(competition.name),
            page_of=page_of(),
        )
    response = Response(css, content_type="text/css; charset=utf-8")
    # The competition's name can change: the browser asks again each time.
    response.headers["Cache-Control"] = "no-cache"
    return response
