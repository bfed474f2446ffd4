"""A competition's page (events, results and medallists; names only with publication
consent), adding and editing a competition (version-checked, sports included), and its events.

Permissions: a coach creates competitions (and manages those they create; an admin picks the
managing coach); whoever manages a competition (its manager, or an admin) edits it and adds
and edits its events."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.athletes import queries as athlete_queries
from app.competitions import bp, queries, replies, rules, services, standings
from app.competitions.forms import CompetitionForm, EventForm
from app.competitions.models import Competition
from app.competitions.views._common import found, load_event, managed
from app.core import editing, notify
from app.core.auth import public
from app.core.charts import spoken_list
from app.core.security import form_page
from app.venues.queries import venue_choices


@bp.get("/<int:competition_id>")
@public
def detail(competition_id: int):
    competition = found(queries.competition_for_detail(competition_id))
    tally = standings.medal_table(standings.MedalFilters(competition_id=competition.id)).totals
    return render_template(
        "competitions/detail.html",
        competition=competition,
        tally=tally,
        name_of=rules.namer(current_user, competition),
        manages=rules.can_manage(current_user, competition),
        staff=rules.sees_all_names(current_user),
        can_record=lambda entry: rules.can_record(current_user, entry, competition),
        reply_panels=replies.event_panels(competition),
    )


def _competition_options(competition: Competition | None = None) -> dict:
    """The form's choices: active sports, current venues (plus the saved one), and for an
    admin the coaches who may manage the competition."""
    return {
        "sports": athlete_queries.sports(),
        "venues": venue_choices(include=competition.venue_id if competition else None),
        "managers": queries.manager_choices() if current_user.is_admin else None,
    }


@form_page(bp, "/new", "coach")
def create():
    form = CompetitionForm(**_competition_options())

    def apply():
        data = form.service_values()
        if not current_user.is_admin:
            # A coach who adds a competition manages it.
            data["manager_id"] = current_user.id
        return services.create_competition(data, actor=current_user)

    response = editing.save(
        form,
        apply,
        flash_message=_("Competition added."),
        redirect_to=lambda competition: url_for(".detail", competition_id=competition.id),
    )
    return response or editing.render("competitions/form.html", form, competition=None)


@form_page(bp, "/<int:competition_id>/edit", "coach")
def edit(competition_id: int):
    """Edit a competition: those who manage it. A stale version (or another process saving
    between the check and the UPDATE) answers 409 with the input kept and every field that
    differs listed, sports included (core.editing)."""
    competition = managed(competition_id)
    options = _competition_options(competition)
    form = editing.edit_form(CompetitionForm, competition, **options)

    def apply():
        data = form.service_values()
        data.setdefault("manager_id", competition.manager_id)
        return services.update_competition(
            competition, data, version=form.version.data, actor=current_user
        )

    saved: dict = {}

    def saved_form() -> CompetitionForm:
        saved["competition"] = current = managed(competition_id)
        built = CompetitionForm(formdata=None, data=CompetitionForm.data_from(current), **options)
        del built.opened_sport_ids  # bookkeeping, not a value to compare
        return built

    response = editing.save(
        form,
        apply,
        saved_form=saved_form,
        flash_message=_saved_message,
        redirect_to=url_for(".detail", competition_id=competition_id),
    )
    if response:
        return response
    if "competition" in saved:
        _keep_their_sports(form, saved["competition"])
    return editing.render("competitions/form.html", form, competition=competition)


def _keep_their_sports(form: CompetitionForm, current: Competition) -> None:
    """After a conflict: when the user left the sports as they were and someone else changed
    them, the form takes the saved sports (its panel row says so), so saving again does not
    revert them. The form's opened sports move on with its version."""
    theirs = {s.id for s in current.sports}
    opened, mine = form.opened_sports(), set(form.sport_ids.data or ())
    if opened is not None and mine == opened and theirs != opened:
        form.sport_ids.data = sorted(theirs)
        label = str(form.sport_ids.label.text)
        form.conflict_rows = [
            (
                row_label,
                _(
                    "%(value)s (you had not changed this field: the saved value is kept)",
                    value=row_saved,
                )
                if row_label == label
                else row_mine,
                row_saved,
            )
            for row_label, row_mine, row_saved in form.conflict_rows or ()
        ]
    form.opened_sport_ids.data = ",".join(str(i) for i in sorted(theirs))


@form_page(bp, "/<int:competition_id>/events/new", "coach")
def new_event(competition_id: int):
    competition = managed(competition_id)
    form = EventForm(sports=athlete_queries.sports(), venues=venue_choices())
    if form.validate_on_submit() and (schedule := form.schedule()) is not None:
        response = editing.save(
            form,
            lambda: services.add_event(
                competition, form.service_values(schedule), actor=current_user
            ),
            validate=False,
            flash_message=_("Event added."),
            redirect_to=url_for(".detail", competition_id=competition.id),
        )
        if response:
            return response
    return editing.render("competitions/event_form.html", form, competition=competition, event=None)


@form_page(bp, "/events/<int:event_id>/edit", "coach")
def edit_event(event_id: int):
    """Change an event (name, sport, class, team or not, schedule, venue): those who manage
    the competition. A stale version answers 409 with both values and the input kept."""
    event = load_event(event_id)
    competition = event.competition
    if not rules.can_manage(current_user, competition):
        abort(403)
    options = {"sports": athlete_queries.sports(), "venues": venue_choices(include=event.venue_id)}
    if request.method == "GET":
        form = EventForm(data=EventForm.data_from(event), **options)
        notify.offer(form, "competition_event", event_id)
        return editing.render(
            "competitions/event_form.html", form, competition=competition, event=event
        )
    form = EventForm(**options)
    notify.offer(form, "competition_event", event_id)
    schedule = form.schedule() if form.validate_on_submit() else None
    response = None
    if schedule is not None:
        response = editing.save(
            form,
            lambda: services.update_event(
                event,
                form.service_values(schedule),
                # A missing version is a stale one (never "overwrite").
                version=form.version.data or 0,
                actor=current_user,
            ),
            saved_form=editing.saved_form_of(EventForm, lambda: load_event(event_id), **options),
            flash_message=_("Event saved."),
            redirect_to=url_for(".detail", competition_id=competition.id),
            validate=False,
        )
    return response or editing.render(
        "competitions/event_form.html", form, competition=competition, event=event
    )


def _saved_message(competition: Competition):
    """ "Saved", and when its dates moved away from some of its events, which to move (an
    event's own edit refuses a day outside the competition's; the competition's may move)."""
    outside = services.events_outside_its_days(competition)
    if not outside:
        return _("Competition saved.")
    return (
        ngettext(
            "Competition saved. %(num)d event is not on the competition's days now (%(names)s):"
            " change its day.",
            "Competition saved. %(num)d events are not on the competition's days now"
            " (%(names)s): change their days.",
            len(outside),
            names=spoken_list([e.name for e in outside]),
        ),
        "warning",
    )
