"""What the performance pages share: template filters, the form page's status, reading
filter arguments, the viewer's own people, loading a performance they manage, and the commit
step with its conflict panel."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import format_datetime
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app.core import charts, editing
from app.core.errors import DomainError, EditConflict
from app.core.params import whole_number
from app.extensions import db
from app.performances import bp, queries, rules
from app.performances.models import Performance


@bp.app_template_filter("performance_time")
def performance_time(value) -> str:
    """HH:mm in the configured zone (Beijing time)."""
    return format_datetime(value, "HH:mm") if value else ""


@bp.app_template_filter("performance_list")
def performance_list(labels) -> str:
    """Labels listed as the reader's language does ("A、B和C" / "A, B and C")."""
    return charts.spoken_list([str(label) for label in labels])


def render(template: str, form, status: int | None = None, **context):
    if status is None:
        status = 422 if form.has_errors else 200
    return (
        render_template(template, form=form, page_has_errors=form.has_errors, **context),
        status,
    )


def int_arg(name: str) -> int | None:
    return whole_number(request.args.get(name, "").strip())


def enum_arg(name: str, enum_cls):
    value = request.args.get(name, "")
    return enum_cls(value) if value in {m.value for m in enum_cls} else None


def viewer_people() -> frozenset[int]:
    return rules.viewer_person_ids(current_user)


def managed(performance_id: int) -> Performance:
    performance = queries.performance_for_page(performance_id)
    if performance is None:
        abort(404)
    if not rules.can_manage_performance(current_user, performance):
        abort(404)  # not theirs: the same answer as a performance that does not exist
    return performance


def conflict(form, saved_form, not_values=()) -> None:
    """After a stale save (core.editing): the panel built from every field of the form,
    many-valued ones included, against the same form filled from the record as saved now;
    the form carries the saved version, so saving again is a deliberate overwrite. Fields in
    ``not_values`` (reasons for this save) are not the record's: never listed."""
    for name in not_values:
        saved_form[name].data = form[name].data
    editing.mark_conflict(form, saved_form)


def committed(form, save):
    """Run ``save`` (a service call) and commit: its answer, or None after a rollback with the
    broken rule on the form. A stale edit (EditConflict, or StaleDataError from another
    process's UPDATE in between) is rolled back and raised as EditConflict."""
    try:
        result = save()
        db.session.flush()
    except (EditConflict, StaleDataError):
        db.session.rollback()
        if getattr(form, "version", None) is not None:
            raise EditConflict(None) from None
        # A form without a version (a member, a photo): the other save stands, say so.
        form.add_error(None, editing.CONFLICT_MESSAGE)
        return None
    except DomainError as error:
        db.session.rollback()
        form.add_error(error.field, error.message)
        return None
    db.session.commit()
    return result
