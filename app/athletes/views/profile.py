"""An athlete's profile page (the category view audit-logged), adding an athlete (or proposing
a home member as a talent), editing one, and moving them along the pipeline."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.athletes import bp, queries, rules, services
from app.athletes.forms import AthleteForm, StageForm
from app.athletes.views._common import load
from app.core import audit, clock, editing
from app.core.auth import login_required
from app.core.security import form_page
from app.extensions import db


@bp.route("/<int:athlete_id>")
@login_required
def detail(athlete_id: int):
    athlete = queries.athlete_for_detail(athlete_id)
    if athlete is None or not rules.can_view(current_user, athlete):
        abort(404)
    today = clock.today()
    series = queries.measurement_series(athlete)
    person = athlete.person
    show_category = rules.can_see_category(current_user, athlete)
    page = render_template(
        "athletes/detail.html",
        show_category=show_category,
        athlete=athlete,
        person=person,
        today=today,
        series=series,
        measure_charts=[s.chart() for s in series],
        can_edit=rules.can_edit(current_user, athlete),
    )
    # The page shows the disability category (sensitive): the view is audit-logged.
    if show_category and person.disability_category is not None:
        audit.record(
            "view_sensitive",
            "person",
            person.id,
            ["disability_category"],
            details={"athlete_id": athlete.id},
        )
        db.session.commit()
    return page


# Create and edit -----------------------------------------------------------------------


@form_page(bp, "/new", "coach", "home_staff")
def create():
    """Coaches and admins add an athlete; home staff propose a member as a talent (always
    at the stage "identified", with them as the source contact). The people register is
    admin-only: others give the person's register number and date of birth instead."""
    lookup = not current_user.is_admin
    form = AthleteForm(
        people=None if lookup else queries.people_without_profile(),
        lookup=lookup,
        sports=queries.sports(),
        coaches=queries.coaches(),
    )
    response = editing.save(
        form,
        lambda: services.create_athlete(actor=current_user, **form.service_values()),
        # No name in a flash: flashes travel in the client-readable session cookie.
        flash_message=_("The athlete has been added."),
        redirect_to=lambda athlete: url_for("athletes.detail", athlete_id=athlete.id),
    )
    if response is not None:
        return response
    return editing.render("athletes/form.html", form, athlete=None)


@form_page(bp, "/<int:athlete_id>/edit", "coach")
def edit(athlete_id: int):
    athlete = load(athlete_id, edit=True)
    options = {"sports": queries.sports(), "coaches": queries.coaches()}
    if request.method == "GET":
        form = AthleteForm(data=AthleteForm.data_from(athlete), **options)
        return editing.render("athletes/form.html", form, athlete=athlete)
    form = AthleteForm(**options)
    response = editing.save(
        form,
        lambda: services.update_athlete(
            athlete, version=form.version.data, actor=current_user, **form.service_values()
        ),
        # The conflict table from every field of the form (core.editing.conflict_rows).
        saved_form=editing.saved_form_of(AthleteForm, lambda: load(athlete_id), **options),
        flash_message=_("Your changes have been saved."),
        redirect_to=url_for("athletes.detail", athlete_id=athlete_id),
    )
    if response is not None:
        return response
    return editing.render("athletes/form.html", form, athlete=load(athlete_id))


@form_page(bp, "/<int:athlete_id>/stage", "coach")
def stage(athlete_id: int):
    athlete = load(athlete_id, edit=True)
    if request.method == "GET":
        form = StageForm(
            current=athlete.stage, data={"changed_on": clock.today(), "version": athlete.version}
        )
        return editing.render("athletes/stage.html", form, athlete=athlete)
    form = StageForm(current=athlete.stage)
    response = editing.save(
        form,
        lambda: services.change_stage(
            athlete,
            **form.data_of("to_stage", "changed_on", "reason", "version"),
            actor=current_user,
        ),
        # No name in a flash: flashes travel in the client-readable session cookie.
        flash_message=lambda change: _(
            "The athlete is now at the stage %(stage)s.", stage=change.to_stage.label
        ),
        redirect_to=url_for("athletes.detail", athlete_id=athlete_id),
    )
    if response is not None:
        return response
    current = load(athlete_id)
    if form.status_code == 409:
        # The stage may have moved on: offer the moves from where the athlete is now, and
        # the version saving again is decided on.
        form.to_stage.choices = StageForm(formdata=None, current=current.stage).to_stage.choices
        form.version.data = current.version
    return editing.render("athletes/stage.html", form, athlete=current)
