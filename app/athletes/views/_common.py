"""What the athlete pages share: loading an athlete the user may see (404) or change (403),
the form page's status, the list filters, and marking every page personal."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from app.athletes import bp, queries, rules
from app.athletes.forms import AthleteFilterForm
from app.athletes.models import AthleteProfile
from app.core.auth import get_or_404
from app.core.reference import town_choices
from app.core.security import mark_personal
from app.extensions import db


def visible(athlete: AthleteProfile) -> bool:
    return rules.can_view(current_user, athlete)


def load(athlete_id: int, *, edit: bool = False) -> AthleteProfile:
    athlete = get_or_404(AthleteProfile, athlete_id, visible=visible)
    if edit and not rules.can_edit(current_user, athlete):
        abort(403)
    return athlete


def render(template: str, form, status: int | None = None, **context):
    if status is None:
        status = 422 if form.has_errors else 200
    return (
        render_template(template, form=form, page_has_errors=form.has_errors, **context),
        status,
    )


def filter_form() -> AthleteFilterForm:
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
