"""Adding and editing a performance (with the clash check: a clash is shown with the people
booked in both, and saved only with a reason), and the after-show report. Organisers manage the
programmes they are responsible for (rules.py), admins everything."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app.core import editing, notify
from app.core.errors import DomainError, EditConflict
from app.core.security import form_page, mark_personal
from app.extensions import db
from app.people.models import Person
from app.performances import bp, queries, rules, services
from app.performances.forms import AfterShowForm, PerformanceForm
from app.performances.models import Performance
from app.performances.views._common import conflict, managed, viewer_people


def _form_class(performance):
    return PerformanceForm.with_pool(queries.booking_pool(performance))


def _form_options(performance=None) -> dict:
    programmes = queries.managed_programmes(current_user)
    if performance is not None and performance.programme not in programmes:
        programmes.append(performance.programme)
    return {"programmes": programmes, "troupes": queries.troupes(), "venues": queries.venues()}


def _save(form, performance: Performance | None):
    """Validate and save; a response, or None to show the form again."""
    if not form.is_submitted():
        return None
    valid = form.validate()
    data = form.service_values()  # adds its own errors for unreadable times
    if not valid or data is None:
        return None
    try:
        result = services.save_performance(
            performance,
            data,
            version=form.version.data,
            actor=current_user,
            override_reason=form.override_reason.data,
        )
    except services.ClashError as error:
        db.session.rollback()
        form.clashes = error.clashes
        return None
    except (EditConflict, StaleDataError):
        db.session.rollback()
        raise EditConflict(performance) from None
    except DomainError as error:
        db.session.rollback()
        form.add_error(error.field, error.message)
        return None
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise EditConflict(performance) from None
    flash(_("Performance saved."), "success")
    if result.overridden:
        flash(
            _(
                "Saved despite %(count)d clashes; the reason is recorded.",
                count=len(result.overridden),
            ),
            "warning",
        )
    for warning in result.warnings:
        flash(str(warning), "warning")
    return redirect(url_for(".detail", performance_id=result.performance.id), 303)


def _clash_names(clashes) -> dict[int, str]:
    """Names of the people booked in both, for each clash's list: only those the user may
    see named (rules.shows_name); the others are counted. One query."""
    ids = {pid for c in clashes for pid in c.person_ids}
    if not ids:
        return {}
    own = viewer_people()
    people = db.session.scalars(sa.select(Person).where(Person.id.in_(ids)))
    return {p.id: p.name for p in people if rules.shows_name(current_user, p, own)}


def _form_page(form, performance, status=None, **context):
    clashes = getattr(form, "clashes", None) or []
    names = _clash_names(clashes)

    def clash_people(clash) -> tuple[list[str], int]:
        """(the names shown, sorted; how many more are not named)."""
        shown = sorted(names[pid] for pid in clash.person_ids if pid in names)
        return shown, len(clash.person_ids) - len(shown)

    return editing.render(
        "performances/form.html",
        form,
        status=status if status is not None else (422 if clashes or form.has_errors else 200),
        performance=performance,
        clashes=clashes,
        clash_people=clash_people,
        has_problems=bool(clashes) or form.has_errors,
        **context,
    )


@form_page(bp, "/new", "organiser")
def create():
    mark_personal()
    options = _form_options()
    if not options["programmes"]:
        flash(_("Add a programme you are responsible for first."), "info")
        return redirect(url_for(".programmes"), 303)
    form_class = _form_class(None)
    if request.method == "GET":
        form = form_class(data={"is_public": True, "status": "planned"}, **options)
        return _form_page(form, None)
    form = form_class(**options)
    response = _save(form, None)
    return response or _form_page(form, None)


@form_page(bp, "/<int:performance_id>/edit", "organiser")
def edit(performance_id: int):
    mark_personal()
    performance = managed(performance_id)
    options = _form_options(performance)
    form_class = _form_class(performance)
    if request.method == "GET":
        form = form_class(data=PerformanceForm.data_from(performance), **options)
        notify.offer(form, "performance", performance_id)
        return _form_page(form, performance)
    form = form_class(**options)
    notify.offer(form, "performance", performance_id)
    try:
        response = _save(form, performance)
    except EditConflict:
        db.session.rollback()
        current = managed(performance_id)
        saved = form_class(formdata=None, data=PerformanceForm.data_from(current), **options)
        conflict(form, saved, not_values=("reschedule_reason", "override_reason"))
        return _form_page(form, current, status=409)
    return response or _form_page(form, performance)


@form_page(bp, "/<int:performance_id>/report", "organiser")
def report(performance_id: int):
    """The after-show report on its own short form (issue 12 item 14), version-checked."""
    mark_personal()
    performance = managed(performance_id)
    if request.method == "GET":
        form = AfterShowForm(data=AfterShowForm.data_from(performance))
        return editing.render("performances/report_form.html", form, performance=performance)
    form = AfterShowForm()
    response = editing.save(
        form,
        lambda: services.record_after_show(
            performance, form.service_values(), version=form.version.data, actor=current_user
        ),
        saved_form=editing.saved_form_of(AfterShowForm, lambda: managed(performance_id)),
        flash_message=_("After-show report saved."),
        redirect_to=url_for(".detail", performance_id=performance_id),
    )
    if response is not None:
        return response
    return editing.render(
        "performances/report_form.html", form, performance=managed(performance_id)
    )
