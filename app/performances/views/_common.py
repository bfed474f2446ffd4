"""What the performance pages share: template filters, reading filter arguments, the viewer's
own people, loading a performance they manage, and the conflict panel of the performance form.
Form pages render with core.editing.render."""

from __future__ import annotations

from flask import abort, request
from flask_babel import format_datetime
from flask_login import current_user

from app.core import charts, editing
from app.core.params import whole_number
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
