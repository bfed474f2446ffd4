"""The athlete list, the reserve pipeline (counts per sport and stage), their spreadsheet
downloads (audit-logged), the coach's dashboard, and a participant's way to their own page."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.athletes import bp, exports, queries
from app.athletes.enums import Stage
from app.athletes.models import AthleteProfile
from app.athletes.views._common import filter_form, filters_html
from app.core import audit, clock
from app.core.auth import login_required, role_required
from app.core.exports import send_table
from app.core.params import page_number
from app.extensions import db


@bp.route("/")
@role_required("coach", "home_staff")
def index():
    form = filter_form()
    filters = form.filters()
    page = queries.search_athletes(
        filters,
        current_user,
        page=page_number(high=100_000),
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template(
        "athletes/index.html",
        filters_html=filters_html(form),
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
    form = filter_form()
    filters = form.filters()
    rows, stages = _pipeline_rows(filters)
    return render_template(
        "athletes/pipeline.html",
        filters_html=filters_html(form),
        active=filters,
        rows=rows,
        stages=stages,
    )


@bp.route("/export.<any(csv, xlsx):fmt>")
@role_required("coach", "home_staff")
def export(fmt: str):
    """The filtered athlete list (every page) as a spreadsheet; the export is audit-logged."""
    filters = filter_form().filters()
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
    filters = filter_form().filters()
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
