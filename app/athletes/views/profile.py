"""Athlete pages under /athletes/: the list, pipeline and coach dashboard, the profile, and
the forms to create athletes, move them along the pipeline, classify and screen them.

Every page shows personal data (mark_personal). An athlete the user may not see answers 404
(rules.can_view); one they may see but not change answers 403 on the forms."""

from __future__ import annotations

import base64
import binascii

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.athletes import bp, exports, imports, queries, rules, services
from app.athletes.enums import Stage
from app.athletes.forms import (
    AssessmentForm,
    AthleteFilterForm,
    AthleteForm,
    ClassificationForm,
    ConfirmImportForm,
    ImportForm,
    MeasureEditForm,
    MeasureForm,
    SportForm,
    StageForm,
    assessment_form,
)
from app.athletes.models import AssessmentMeasure, AthleteProfile, Classification
from app.core import audit, clock, editing, spreadsheets
from app.core.auth import get_or_404, login_required, role_required
from app.core.errors import DomainError, EditConflict
from app.core.exports import send_table
from app.core.params import whole_number
from app.core.reference import town_choices
from app.core.security import form_view, mark_personal
from app.extensions import db


def _visible(athlete: AthleteProfile) -> bool:
    return rules.can_view(current_user, athlete)


def _load(athlete_id: int, *, edit: bool = False) -> AthleteProfile:
    athlete = get_or_404(AthleteProfile, athlete_id, visible=_visible)
    if edit and not rules.can_edit(current_user, athlete):
        abort(403)
    return athlete


def _render(template: str, form, status: int | None = None, **context):
    if status is None:
        status = 422 if form.has_errors else 200
    return (
        render_template(template, form=form, page_has_errors=form.has_errors, **context),
        status,
    )


def _filter_form() -> AthleteFilterForm:
    form = AthleteFilterForm(
        request.args,
        # Filtering by disability category would tell a non-admin each athlete's category.
        by_category=current_user.is_admin,
        sports=queries.sports(include_inactive=True),
        coaches=queries.coaches(),
        towns=town_choices(db.session),
    )
    form.validate()
    return form


@bp.before_request
def _personal():
    mark_personal()


# Lists ---------------------------------------------------------------------------------


@bp.route("/")
@role_required("coach", "home_staff")
def index():
    form = _filter_form()
    filters = form.filters()
    page = queries.search_athletes(
        filters,
        current_user,
        page=whole_number(request.args.get("page"), low=1, high=100_000) or 1,
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "athletes/index.html",
        form=form,
        page=page,
        page_args=filters.args(),
        can_create=current_user.has_any_role("coach", "home_staff"),
    )


def _pipeline_rows(filters):
    """[(sport, [count per stage])] for the sports with athletes, and the stages."""
    counts = queries.pipeline_counts(filters, current_user)
    sports = [
        s
        for s in queries.sports(include_inactive=True)
        if any((s.id, stage) in counts for stage in Stage)
    ]
    stages = list(Stage)
    rows = [(sport, [counts.get((sport.id, stage), 0) for stage in stages]) for sport in sports]
    return rows, stages


@bp.route("/pipeline")
@role_required("coach", "home_staff")
def pipeline():
    form = _filter_form()
    filters = form.filters()
    rows, stages = _pipeline_rows(filters)
    return render_template(
        "athletes/pipeline.html", form=form, active=filters, rows=rows, stages=stages
    )


@bp.route("/export.<any(csv, xlsx):fmt>")
@role_required("coach", "home_staff")
def export(fmt: str):
    """The filtered athlete list (every page) as a spreadsheet; the export is audit-logged."""
    filters = _filter_form().filters()
    athletes = list(
        db.session.scalars(
            queries.athletes_query(filters, current_user).options(
                selectinload(AthleteProfile.sports)
            )
        )
    )
    audit.record(
        "export",
        "athlete",
        None,
        ["name", "name_pinyin", "town_id"],
        details={"format": fmt, "rows": len(athletes), "filters": filters.args()},
    )
    db.session.commit()
    name = f"athletes-{clock.today().isoformat()}"
    return send_table(exports.athlete_rows(athletes), fmt, name, _("Athletes"))


@bp.route("/pipeline.<any(csv, xlsx):fmt>")
@role_required("coach", "home_staff")
def pipeline_export(fmt: str):
    filters = _filter_form().filters()
    rows, stages = _pipeline_rows(filters)
    name = f"pipeline-{clock.today().isoformat()}"
    return send_table(exports.pipeline_rows(rows, stages), fmt, name, _("Reserve pipeline"))


@bp.route("/dashboard")
@role_required("coach")
def dashboard():
    today = clock.today()
    athletes = queries.my_athletes(current_user)
    by_stage = [(stage, [a for a in athletes if a.stage is stage]) for stage in Stage]
    return render_template(
        "athletes/dashboard.html",
        by_stage=by_stage,
        athlete_count=len(athletes),
        reviews=queries.reviews_due(current_user, today),
        latest=queries.latest_assessments(current_user),
        overdue=queries.not_assessed_since(current_user, today),
        today=today,
        due_days=queries.ASSESSMENT_DUE_DAYS,
    )


@bp.route("/me")
@login_required
def mine():
    """A participant's own athlete page."""
    athlete_id = None
    if current_user.person_id is not None:
        athlete_id = db.session.scalar(
            db.select(AthleteProfile.id).where(AthleteProfile.person_id == current_user.person_id)
        )
    if athlete_id is None:
        abort(404)
    return redirect(url_for("athletes.detail", athlete_id=athlete_id))


# The profile ---------------------------------------------------------------------------


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


@bp.route("/new", methods=["GET", "POST"])
@role_required("coach", "home_staff")
@form_view
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
    return _render("athletes/form.html", form, athlete=None)


@bp.route("/<int:athlete_id>/edit", methods=["GET", "POST"])
@role_required("coach")
@form_view
def edit(athlete_id: int):
    athlete = _load(athlete_id, edit=True)
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
        saved_form=lambda: AthleteForm(
            formdata=None, data=AthleteForm.data_from(_load(athlete_id)), **options
        ),
        flash_message=_("Your changes have been saved."),
        redirect_to=url_for("athletes.detail", athlete_id=athlete_id),
    )
    if response is not None:
        return response
    return editing.render("athletes/form.html", form, athlete=_load(athlete_id))


@bp.route("/<int:athlete_id>/stage", methods=["GET", "POST"])
@role_required("coach")
@form_view
def stage(athlete_id: int):
    athlete = _load(athlete_id, edit=True)
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
            to_stage=form.to_stage.data,
            changed_on=form.changed_on.data,
            reason=form.reason.data,
            version=form.version.data,
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
    current = _load(athlete_id)
    if form.status_code == 409:
        # The stage may have moved on: offer the moves from where the athlete is now, and
        # the version saving again is decided on.
        form.to_stage.choices = StageForm(formdata=None, current=current.stage).to_stage.choices
        form.version.data = current.version
    return editing.render("athletes/stage.html", form, athlete=current)


@bp.route("/<int:athlete_id>/classifications/new", methods=["GET", "POST"])
@bp.route("/<int:athlete_id>/classifications/<int:classification_id>", methods=["GET", "POST"])
@role_required("coach")
@form_view
def classification(athlete_id: int, classification_id: int | None = None):
    athlete = _load(athlete_id, edit=True)
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
        saved_form=lambda: ClassificationForm(
            formdata=None,
            data=ClassificationForm.data_from(db.session.get(Classification, classification_id)),
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


@bp.route("/<int:athlete_id>/assessments/new", methods=["GET", "POST"])
@role_required("coach")
@form_view
def assessment(athlete_id: int):
    """Record a screening with the template of the chosen sport (the main sport unless
    ``?sport=`` names another of the athlete's sports)."""
    athlete = _load(athlete_id, edit=True)
    sport = next(
        (s for s in athlete.sports if str(s.id) == request.args.get("sport")), athlete.primary_sport
    )
    measures = services.template_measures(sport.id)
    if request.method == "GET":
        form = assessment_form(measures, data={"assessed_on": clock.today()})
        return _render("athletes/assessment.html", form, athlete=athlete, sport=sport)
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
        try:
            services.record_assessment(
                athlete,
                sport_id=sport.id,
                assessed_on=form.assessed_on.data,
                rating=form.rating.data,
                recommendation=form.recommendation.data,
                values=form.values(),
                notes=form.notes.data,
                assessor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            form.add_error(error.field, error.message)
        else:
            db.session.commit()
            flash(_("The assessment has been saved."), "success")
            return redirect(
                url_for("athletes.detail", athlete_id=athlete_id, _anchor="assessments"), code=303
            )
    return _render("athletes/assessment.html", form, athlete=athlete, sport=sport)


# Reference data (admins) ---------------------------------------------------------------


@bp.route("/sports", methods=["GET", "POST"])
@role_required("admin")
@form_view
def sports():
    """The list of sports, and the form to add one."""
    form = SportForm()
    if form.validate_on_submit():
        try:
            sport = services.create_sport(
                name=form.name.data,
                name_en=form.name_en.data,
                class_hint=form.class_hint.data,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            form.add_error(error.field, error.message)
        else:
            db.session.commit()
            flash(_("%(sport)s has been added to the sports.", sport=sport.display_name), "success")
            return redirect(url_for("athletes.sports"), code=303)
    return _render("athletes/sports.html", form, sports=queries.sports(include_inactive=True))


@bp.route("/measures", methods=["GET", "POST"])
@role_required("admin")
@form_view
def measures():
    """The screening templates (measurements per sport), and the form to add one."""
    all_sports = queries.sports(include_inactive=True)
    form = MeasureForm(sports=all_sports)
    if form.validate_on_submit():
        try:
            measure = services.create_measure(
                sport_id=form.sport_id.data or None,
                name=form.name.data,
                name_en=form.name_en.data,
                unit=form.unit.data,
                min_value=form.min_value.number,
                max_value=form.max_value.number,
                lower_is_better=form.lower_is_better.data,
                actor=current_user,
            )
        except DomainError as error:
            db.session.rollback()
            form.add_error(error.field, error.message)
        else:
            db.session.commit()
            flash(
                _("%(measure)s has been added to the template.", measure=measure.display_name),
                "success",
            )
            return redirect(url_for("athletes.measures"), code=303)
    return _render("athletes/measures.html", form, templates=queries.templates(all_sports))


@bp.route("/measures/<int:measure_id>/edit", methods=["GET", "POST"])
@role_required("admin")
@form_view
def measure_edit(measure_id: int):
    measure = get_or_404(AssessmentMeasure, measure_id)
    if request.method == "GET":
        form = MeasureEditForm(data=MeasureEditForm.data_from(measure))
        return editing.render("athletes/measure_edit.html", form, measure=measure)
    form = MeasureEditForm()
    response = editing.save(
        form,
        lambda: services.update_measure(
            measure, version=form.version.data, actor=current_user, **form.service_values()
        ),
        saved_form=lambda: MeasureEditForm(
            formdata=None,
            data=MeasureEditForm.data_from(db.session.get(AssessmentMeasure, measure_id)),
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


# Import of screening results -----------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
@role_required("coach")
@form_view
def import_screenings():
    """Upload a spreadsheet → a preview of every row with its errors → confirm (all valid
    rows, or nothing unless every row is valid). Nothing is written before the confirmation.
    The preview carries the file itself (base64, at most spreadsheets.MAX_BYTES) and the
    confirmation checks it again from scratch."""
    upload, confirm = ImportForm(), ConfirmImportForm()
    rows = None
    if request.method == "POST" and "payload" in request.form:
        if confirm.validate_on_submit():
            try:
                data = base64.b64decode(confirm.payload.data or "", validate=True)
                rows = imports.check_rows(data, current_user)
                saved = imports.save_rows(
                    rows, all_or_nothing=confirm.mode.data == "all", user=current_user
                )
            except (binascii.Error, ValueError):
                confirm.add_error(None, _("The preview could not be read. Send the file again."))
                rows = None
            except DomainError as error:
                db.session.rollback()
                confirm.add_error(error.field if error.field == "mode" else None, error.message)
            else:
                db.session.commit()
                message = ngettext(
                    "%(num)d screening has been saved.",
                    "%(num)d screenings have been saved.",
                    saved,
                )
                skipped = sum(1 for row in rows if row.ok and row.stored is not None)
                if skipped:
                    message += " " + ngettext(
                        "%(num)d row was already stored and skipped.",
                        "%(num)d rows were already stored and skipped.",
                        skipped,
                    )
                flash(message, "success")
                return redirect(url_for("athletes.dashboard"), code=303)
        elif confirm.payload.data:
            try:
                rows = imports.check_rows(
                    base64.b64decode(confirm.payload.data, validate=True), current_user
                )
            except (binascii.Error, ValueError, DomainError):
                rows = None
        form = confirm
    elif upload.validate_on_submit():
        data = upload.file.data.read(spreadsheets.MAX_BYTES + 1)
        try:
            rows = imports.check_rows(data, current_user)
        except DomainError as error:
            upload.add_error("file", error.message)
        else:
            confirm.payload.data = base64.b64encode(data).decode("ascii")
            confirm.mode.data = "valid"
        form = upload
    else:
        form = upload
    return _render(
        "athletes/import.html",
        form,
        upload=upload,
        confirm=confirm,
        rows=rows,
        templates=queries.templates(queries.sports()),
        columns=imports.COLUMNS,
    )
