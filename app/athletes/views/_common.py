"""What the athlete pages share: loading an athlete the user may see (404) or change (403),
the list filters, and marking every page personal. Form pages render with
core.editing.render."""

from __future__ import annotations

from flask import abort, get_template_attribute, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from app.athletes import bp, queries, rules
from app.athletes.forms import AthleteFilterForm
from app.athletes.models import AthleteProfile
from app.core import choices
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


# endpoint -> the filter form's heading and button
FILTER_WORDS = {
    "athletes.index": (_l("Find athletes"), _l("Show athletes")),
    "athletes.pipeline": (_l("Count only"), _l("Show counts")),
}


def filters_html(form: AthleteFilterForm) -> Markup:
    """The filter form of the page, rendered. Unfiltered (no query string: a coach opening
    the list) it is the same for every reader of one language until a town, a sport or a
    coach changes, and admins' has one select more: each worker renders it once per
    reference data version (``core.choices.kept``) instead of at every request, where it was
    a quarter of the list page's work (docs/benchmarks.md)."""
    endpoint = request.endpoint
    heading, button = FILTER_WORDS[endpoint]
    macro = get_template_attribute("athletes/_filters.html", "filters")

    def render() -> Markup:
        return macro(form, endpoint, str(heading), str(button))

    if request.args:
        return render()
    shape = "with-category" if form.category is not None else "plain"
    return choices.kept(f"filters-html:{endpoint}:{shape}", render)


@bp.before_request
def _personal():
    mark_personal()
