"""An athlete's sport classes (add or edit one, version-checked) and screening assessments
(with the template of the chosen sport, every value checked at once)."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.athletes import bp, queries, rules, services
from app.athletes.forms import AssessmentForm, ClassificationForm, assessment_form
from app.athletes.models import Classification
from app.athletes.views._common import load
from app.core import clock, editing
from app.core.errors import DomainError
from app.core.security import form_page
from app.extensions import db


@bp.route("/<int:athlete_id>/classifications/new", methods=["GET", "POST"])
@form_page(bp, "/<int:athlete_id>/classifications/<int:classification_id>", "coach")
def classification(athlete_id: int, classification_id: int | None = None):
    athlete = load(athlete_id, edit=True)
    existing = None
    if classification_id is not None:
        existing = db.session.get(Classification, classification_id)
        if existing is None or existing.athlete_id != athlete.id:
            abort(404)
    sports = [
        s
        for s in queries.sports(include_inactive=True)
        if s.is_active or (existing and s.id == existing.sport_id)
    ]
    context = {"athlete": athlete, "classification": existing, "sports": sports}
    if request.method == "GET":
        data = (
            ClassificationForm.data_from(existing)
            if existing
            else {"sport_id": str(athlete.primary_sport_id)}
        )
        form = ClassificationForm(data=data, sports=sports)
        return editing.render("athletes/classification.html", form, **context)
    form = ClassificationForm(sports=sports)
    response = editing.save(
        form,
        lambda: services.save_classification(
            athlete,
            classification=existing,
            version=form.version.data,
            actor=current_user,
            **form.service_values(),
        ),
        # The conflict table from every field of the form, the review date included.
        saved_form=editing.saved_form_of(
            ClassificationForm,
            lambda: db.session.get(Classification, classification_id),
            sports=sports,
        ),
        flash_message=_("The sport class has been saved."),
        redirect_to=url_for("athletes.detail", athlete_id=athlete_id, _anchor="classes"),
    )
    if response is not None:
        return response
    if existing is not None:
        context["classification"] = db.session.get(Classification, classification_id)
    return editing.render("athletes/classification.html", form, **context)


@form_page(bp, "/<int:athlete_id>/assessments/new", "coach")
def assessment(athlete_id: int):
    """Record a screening with the template of the chosen sport (the main sport unless
    ``?sport=`` names another of the athlete's sports)."""
    athlete = load(athlete_id, edit=True)
    sport = next(
        (s for s in athlete.sports if str(s.id) == request.args.get("sport")), athlete.primary_sport
    )
    measures = services.template_measures(sport.id)
    if request.method == "GET":
        form = assessment_form(measures, data={"assessed_on": clock.today()})
        return editing.render("athletes/assessment.html", form, athlete=athlete, sport=sport)
    form: AssessmentForm = assessment_form(measures)
    ok = form.validate_on_submit()
    # Check every measured value now, so all mistakes are shown at once.
    for measure in measures:
        box = getattr(form, f"value_{measure.id}")
        try:
            rules.parse_measure_value(measure, box.data)
        except DomainError as error:
            form.add_error(box.name, error.message)
            ok = False
    if ok:
        response = editing.save(
            form,
            lambda: services.record_assessment(
                athlete,
                sport_id=sport.id,
                **form.data_of("assessed_on", "rating", "recommendation", "notes"),
                values=form.values(),
                assessor=current_user,
            ),
            validate=False,
            flash_message=_("The assessment has been saved."),
            redirect_to=url_for("athletes.detail", athlete_id=athlete_id, _anchor="assessments"),
        )
        if response:
            return response
    return editing.render("athletes/assessment.html", form, athlete=athlete, sport=sport)
