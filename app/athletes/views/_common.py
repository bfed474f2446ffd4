"""What the athlete pages share: loading an athlete the user may see (404) or change (403),
the list filters, and marking every page personal. Form pages render with
core.editing.render."""

from __future__ import annotations

from flask import abort, request
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


def filter_form() -> AthleteFilterForm:
    form = AthleteFilterForm(
        request.args,
        # Filtering by disability category would tell a non-admin each athlete's category.
        by_category=current_user.is_admin,
        sports=queries.sport_choices(),
        coaches=queries.coach_choices(),
        towns=town_choices(db.session),
    )
    form.validate()
    return form


@bp.before_request
def _personal():
    mark_personal()
