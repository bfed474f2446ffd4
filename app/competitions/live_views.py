"""Competition-day pages (issue 17) on the competitions blueprint: publishing an event's
results, an entry's protest note, and the public live results.

- ``POST /competitions/events/<id>/publish``: the manager of the event's competition (or an
  admin) makes the event's results official; with an open protest the first POST answers a
  confirmation page (app/core/confirm). Others get 403.
- ``/competitions/entries/<id>/protest``: those who may record the entry lodge, change or
  withdraw its protest while the results are provisional (version-checked, audited).
- ``GET /competitions/<id>/live``: the public live results; ``GET …/live/results`` is the
  results region alone, which app/static/js/live.js fetches with If-None-Match and swaps in.
  Both answer 304 from the validator's one query when nothing changed (app/competitions/live).
"""

from __future__ import annotations

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from app.competitions import bp, live, official, queries, rules
from app.competitions.official_forms import ProtestForm
from app.competitions.views._common import load_event, recorded_entry
from app.core import confirm, editing
from app.core.auth import public, role_required
from app.core.security import form_page, mark_personal

POLL_SECONDS = 20


@bp.post("/events/<int:event_id>/publish")
@role_required("coach")
def publish_results(event_id: int):
    """Publish the event's results as official: the competition's manager or an admin."""
    event = load_event(event_id)
    if not rules.can_manage(current_user, event.competition):
        abort(403)
    back = url_for(".results", event_id=event.id)
    protests = official.open_protests(event)
    if protests and not event.results_published:
        page = confirm.ask(
            _("Publish the results of %(event)s with open protests?", event=event.name),
            consequence=" ".join(
                (
                    ngettext(
                        "%(num)d entry has an open protest.",
                        "%(num)d entries have an open protest.",
                        len(protests),
                    ),
                    _(
                        "Once published the results are official: protests can no longer be "
                        "lodged, and a change needs a reason."
                    ),
                )
            ),
            confirm_label=_("Yes, publish the results"),
            cancel_url=back,
        )
        if page is not None:
            return page
    return editing.act(
        lambda: official.publish_results(event, actor=current_user),
        flash_message=_("The results are published: they are official now."),
        redirect_to=back,
        refused="info",
    )


@form_page(bp, "/entries/<int:entry_id>/protest", "coach")
def protest(entry_id: int):
    """An entry's protest note: whoever may record the entry, while its results are
    provisional. Empty withdraws the protest."""
    entry = recorded_entry(entry_id)
    event = entry.event
    mark_personal()
    context = {
        "entry": entry,
        "event": event,
        "closed": event.results_published
        or official.is_official(entry.result)
        or (entry.result is None and not entry.protest_note),
        "no_result": entry.result is None,
        "name_of": rules.namer(current_user, event.competition),
    }
    form = editing.edit_form(ProtestForm, entry)
    response = editing.save(
        form,
        lambda: official.set_protest(
            entry, form.protest_note.data, version=form.version.data, actor=current_user
        ),
        saved_form=editing.saved_form_of(ProtestForm, lambda: queries.entry_for_page(entry_id)),
        flash_message=_("Protest saved."),
        redirect_to=url_for(".results", event_id=event.id),
    )
    return response or editing.render("competitions/protest.html", form, **context)


def _etag(competition_id: int) -> tuple[str | None, bool]:
    """The validator of what this reader sees (language, every name or not), without the
    representation: the page and its region add theirs, so the page can hand the script the
    region's tag without a second query."""
    staff = rules.sees_all_names(current_user)
    tag = live.validator(competition_id, str(get_locale()), "staff" if staff else "public")
    return tag, staff


def _conditional(tag: str) -> Response | None:
    """304 when the reader has this version already."""
    if request.if_none_match.contains_weak(tag) or request.if_none_match.star_tag:
        return _cached(Response(status=304), tag)
    return None


def _cached(response, tag: str):
    response.set_etag(tag)
    # Caches may keep it but must ask again each time (the ETag makes that cheap).
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


def _live(competition_id: int, template: str, representation: str):
    base, staff = _etag(competition_id)
    if base is None:
        abort(404)
    if staff:
        mark_personal()  # every name: never kept by a shared cache
    tag = f"{base}-{representation}"
    answer = _conditional(tag)
    if answer is not None:
        return answer
    results = live.build(competition_id, sees_all=staff)
    if results is None:  # deleted between the two queries
        abort(404)
    body = render_template(
        template,
        live=results,
        competition=results.competition,
        region_etag=f"{base}-region",
        poll_seconds=current_app.config.get("LIVE_POLL_SECONDS", POLL_SECONDS),
    )
    return _cached(Response(body, mimetype="text/html"), tag)


@bp.get("/<int:competition_id>/live")
@public
def live_results(competition_id: int):
    """The competition's live results, by event, for a phone."""
    return _live(competition_id, "competitions/live.html", "page")


@bp.get("/<int:competition_id>/live/results")
@public
def live_results_region(competition_id: int):
    """The results region of the live page alone (for live.js)."""
    return _live(competition_id, "competitions/_live_region.html", "region")
