"""Reference data (admins): the sports, and the screening templates (measurements per sport)
with editing a measurement and taking it out of (or back into) its template."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.athletes import bp, queries, services
from app.athletes.forms import MeasureEditForm, MeasureForm, SportForm
from app.athletes.models import AssessmentMeasure
from app.core import editing
from app.core.auth import get_or_404, role_required
from app.core.errors import DomainError, EditConflict
from app.core.security import form_page
from app.extensions import db


@form_page(bp, "/sports", "admin")
def sports():
    """The list of sports, and the form to add one."""
    form = SportForm()
    response = editing.save(
        form,
        lambda: services.create_sport(
            **form.data_of("name", "name_en", "class_hint"), actor=current_user
        ),
        flash_message=lambda sport: _(
            "%(sport)s has been added to the sports.", sport=sport.display_name
        ),
        redirect_to=url_for("athletes.sports"),
    )
    return response or editing.render(
        "athletes/sports.html", form, sports=queries.sports(include_inactive=True)
    )


@form_page(bp, "/measures", "admin")
def measures():
    """The screening templates (measurements per sport), and the form to add one."""
    all_sports = queries.sports(include_inactive=True)
    form = MeasureForm(sports=all_sports)
    response = editing.save(
        form,
        lambda: services.create_measure(actor=current_user, **form.service_values()),
        flash_message=lambda measure: _(
            "%(measure)s has been added to the template.", measure=measure.display_name
        ),
        redirect_to=url_for("athletes.measures"),
    )
    return response or editing.render(
        "athletes/measures.html", form, templates=queries.templates(all_sports)
    )


@form_page(bp, "/measures/<int:measure_id>/edit", "admin")
def measure_edit(measure_id: int):
    measure = get_or_404(AssessmentMeasure, measure_id)
    form = editing.edit_form(MeasureEditForm, measure)
    response = editing.save(
        form,
        lambda: services.update_measure(
            measure, version=form.version.data, actor=current_user, **form.service_values()
        ),
        saved_form=editing.saved_form_of(
            MeasureEditForm, lambda: db.session.get(AssessmentMeasure, measure_id)
        ),
        flash_message=_("The measurement has been saved."),
        redirect_to=url_for("athletes.measures"),
    )
    if response is not None:
        return response
    return editing.render(
        "athletes/measure_edit.html", form, measure=db.session.get(AssessmentMeasure, measure_id)
    )


@bp.route("/measures/<int:measure_id>/active", methods=["POST"])
@role_required("admin")
def measure_active(measure_id: int):
    measure = get_or_404(AssessmentMeasure, measure_id)
    active = request.form.get("active") == "1"
    try:
        services.set_measure_active(measure, active, actor=current_user)
    except EditConflict:
        db.session.rollback()
        flash(
            _(
                "Someone else changed this measurement at the same time. Check it below and "
                "try again."
            ),
            "error",
        )
        return redirect(url_for("athletes.measures"), code=303)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for("athletes.measures"), code=303)
    db.session.commit()
    if active:
        flash(_("%(measure)s is in the template again.", measure=measure.display_name), "success")
    else:
        flash(
            _(
                "%(measure)s has been taken out of the template. Values already recorded are kept.",
                measure=measure.display_name,
            ),
            "success",
        )
    return redirect(url_for("athletes.measures"), code=303)
