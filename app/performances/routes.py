"""Touring performance pages under /performances/: the agenda (by date, or a month table) with
filters, each performance's page, create and edit with the clash check, photos, programmes,
troupes, a person's bookings and the statistics with their exports.

Permissions are in rules.py: organisers manage the programmes they are responsible for,
admins everything; staff see every performance; performers and their caregivers see their own
bookings; the public sees public confirmed or done performances, names only with consent."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from itertools import groupby

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.enums import Role
from app.accounts.models import User, UserRole
from app.core import audit, charts, clock, confirm, editing, params
from app.core.auth import get_or_404, login_required, public, role_required
from app.core.errors import DomainError, EditConflict
from app.core.exports import send_table
from app.core.params import whole_number
from app.core.reference import town_choices
from app.core.security import form_view, mark_personal
from app.extensions import db, limiter
from app.people.models import Person
from app.performances import bp, photos, queries, rules, services, stats
from app.performances.enums import PerformanceStatus, Setting
from app.performances.forms import (
    AfterShowForm,
    MemberForm,
    PerformanceForm,
    PhotoForm,
    ProgrammeForm,
    RemoveMemberForm,
    TroupeForm,
)
from app.performances.models import (
    Performance,
    PerformancePhoto,
    Programme,
    Troupe,
    TroupeMember,
)
from app.replies import pages as reply_pages


@bp.app_template_filter("performance_time")
def performance_time(value) -> str:
    """HH:mm in the configured zone (Beijing time)."""
    return format_datetime(value, "HH:mm") if value else ""


@bp.app_template_filter("performance_list")
def performance_list(labels) -> str:
    """Labels listed as the reader's language does ("A、B和C" / "A, B and C")."""
    return charts.spoken_list([str(label) for label in labels])


def _render(template: str, form, status: int | None = None, **context):
    if status is None:
        status = 422 if form.has_errors else 200
    return (
        render_template(template, form=form, page_has_errors=form.has_errors, **context),
        status,
    )


def _int_arg(name: str) -> int | None:
    return whole_number(request.args.get(name, "").strip())


def _enum_arg(name: str, enum_cls):
    value = request.args.get(name, "")
    return enum_cls(value) if value in {m.value for m in enum_cls} else None


def _own() -> frozenset[int]:
    return rules.viewer_person_ids(current_user)


# Agenda ------------------------------------------------------------------------------------


# The month view's range: the months before and after stay valid dates.
FIRST_MONTH, LAST_MONTH = date(1900, 1, 1), date(2100, 12, 1)


def _month_arg() -> date:
    """``?month=YYYY-MM`` clamped to 1900-01..2100-12; anything else is this month."""
    text = request.args.get("month", "")
    try:
        if not text.isascii() or len(text) > 7:
            raise ValueError
        year, month = (int(part) for part in text.split("-"))
        first = date(year, month, 1)
    except ValueError:
        today = clock.today()
        return date(today.year, today.month, 1)
    return min(max(first, FIRST_MONTH), LAST_MONTH)


def _month_weeks(first: date) -> list[list[date | None]]:
    return [
        [day if day.month == first.month else None for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]


@bp.get("/")
@public
def index():
    view = "month" if request.args.get("view") == "month" else "agenda"
    # The month view has no from/to fields: its month decides.
    span = params.Period(None, None) if view == "month" else params.period(request.args)
    staff = rules.is_staff(current_user)
    filters = queries.AgendaFilters(
        programme_id=_int_arg("programme"),
        troupe_id=_int_arg("troupe") if staff else None,
        venue_id=_int_arg("venue"),
        town_id=_int_arg("town"),
        setting=_enum_arg("setting", Setting),
        status=_enum_arg("status", PerformanceStatus),
        date_from=span.first,
        date_to=span.last,
        organiser_id=current_user.id if staff and request.args.get("mine") == "1" else None,
    )
    month = None
    if view == "month":
        month = _month_arg()
        filters.date_from = month
        filters.date_to = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    elif filters.date_from is None and filters.date_to is None:
        filters.date_from = clock.today()
    own = _own()
    performances, more = queries.agenda(filters, current_user, own)
    if staff or own:
        mark_personal()
    days = [(day, list(items)) for day, items in groupby(performances, key=lambda p: p.held_on)]
    by_day = dict(days)
    context = {
        "view": view,
        "days": days,
        "by_day": by_day,
        "more": more,
        "filters": filters,
        "args": request.args,
        "errors": span.errors,
        "period": span,
        "staff": staff,
        "programmes": queries.programmes(),
        "troupes": queries.troupes() if staff else [],
        "venues": queries.venues(),
        "towns": town_choices(db.session),
        "settings": list(Setting),
        "statuses": list(PerformanceStatus),
        "month": month,
        "weeks": _month_weeks(month) if month else [],
        "can_create": rules.can_create_programme(current_user),
        "page_has_errors": bool(span.errors),
    }
    if month:
        prev_month = (month - timedelta(days=1)).replace(day=1)
        next_month = (month + timedelta(days=32)).replace(day=1)
        context.update(prev_month=prev_month, next_month=next_month)
    return render_template("performances/index.html", **context), 422 if span.errors else 200


@bp.get("/<int:performance_id>")
@public
def detail(performance_id: int, photo_form=None, status: int = 200):
    performance = queries.performance_for_page(performance_id)
    own = _own()
    if performance is None or not rules.can_view(current_user, performance, own):
        abort(404)
    staff = rules.is_staff(current_user)
    booked = bool(own & performance.person_ids)
    if staff or booked:
        mark_personal()
    manages = rules.can_manage_performance(current_user, performance)
    photo_form = photo_form or (PhotoForm() if manages else None)
    return (
        render_template(
            "performances/detail.html",
            performance=performance,
            staff=staff,
            manages=manages,
            shows_photos=staff or booked,
            # Free text (reasons, the after-show report, notes) may name people: only those
            # who manage the performance and the people booked (and their caregivers).
            shows_free_text=manages or booked,
            now=clock.now(),
            shows_name=lambda person: rules.shows_name(current_user, person, own),
            warnings=services.performance_warnings(performance) if staff or manages else [],
            photo_form=photo_form,
            page_has_errors=bool(photo_form is not None and photo_form.has_errors),
            reply_panel=reply_pages.panel("performance", performance.id, performance.starts_at),
            reply_tally=reply_pages.tally(
                "performance", performance.id, performance.starts_at, performance.person_ids
            )
            if staff
            else None,
        ),
        status,
    )


# Create and edit ---------------------------------------------------------------------------


def _managed(performance_id: int) -> Performance:
    performance = queries.performance_for_page(performance_id)
    if performance is None:
        abort(404)
    if not rules.can_manage_performance(current_user, performance):
        abort(404)  # not theirs: the same answer as a performance that does not exist
    return performance


def _form_class(performance):
    return PerformanceForm.with_pool(queries.booking_pool(performance))


def _form_options(performance=None) -> dict:
    programmes = queries.managed_programmes(current_user)
    if performance is not None and performance.programme not in programmes:
        programmes.append(performance.programme)
    return {"programmes": programmes, "troupes": queries.troupes(), "venues": queries.venues()}


def _conflict(form, saved_form, not_values=()) -> None:
    """After a stale save (core.editing): the panel built from every field of the form,
    many-valued ones included, against the same form filled from the record as saved now;
    the form carries the saved version, so saving again is a deliberate overwrite. Fields in
    ``not_values`` (reasons for this save) are not the record's: never listed."""
    for name in not_values:
        saved_form[name].data = form[name].data
    editing.mark_conflict(form, saved_form)


def _committed(form, save):
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
    own = _own()
    people = db.session.scalars(sa.select(Person).where(Person.id.in_(ids)))
    return {p.id: p.name for p in people if rules.shows_name(current_user, p, own)}


def _form_page(form, performance, status=None, **context):
    clashes = getattr(form, "clashes", None) or []
    names = _clash_names(clashes)

    def clash_people(clash) -> tuple[list[str], int]:
        """(the names shown, sorted; how many more are not named)."""
        shown = sorted(names[pid] for pid in clash.person_ids if pid in names)
        return shown, len(clash.person_ids) - len(shown)

    return _render(
        "performances/form.html",
        form,
        status=status if status is not None else (422 if clashes or form.has_errors else 200),
        performance=performance,
        clashes=clashes,
        clash_people=clash_people,
        has_problems=bool(clashes) or form.has_errors,
        **context,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required("organiser")
@form_view
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


@bp.route("/<int:performance_id>/edit", methods=["GET", "POST"])
@role_required("organiser")
@form_view
def edit(performance_id: int):
    mark_personal()
    performance = _managed(performance_id)
    options = _form_options(performance)
    form_class = _form_class(performance)
    if request.method == "GET":
        form = form_class(data=PerformanceForm.data_from(performance), **options)
        return _form_page(form, performance)
    form = form_class(**options)
    try:
        response = _save(form, performance)
    except EditConflict:
        db.session.rollback()
        current = _managed(performance_id)
        saved = form_class(formdata=None, data=PerformanceForm.data_from(current), **options)
        _conflict(form, saved, not_values=("reschedule_reason", "override_reason"))
        return _form_page(form, current, status=409)
    return response or _form_page(form, performance)


@bp.route("/<int:performance_id>/report", methods=["GET", "POST"])
@role_required("organiser")
@form_view
def report(performance_id: int):
    """The after-show report on its own short form (issue 12 item 14), version-checked."""
    mark_personal()
    performance = _managed(performance_id)
    if request.method == "GET":
        form = AfterShowForm(data=AfterShowForm.data_from(performance))
        return editing.render("performances/report_form.html", form, performance=performance)
    form = AfterShowForm()
    response = editing.save(
        form,
        lambda: services.record_after_show(
            performance, form.service_values(), version=form.version.data, actor=current_user
        ),
        saved_form=lambda: AfterShowForm(
            formdata=None, data=AfterShowForm.data_from(_managed(performance_id))
        ),
        flash_message=_("After-show report saved."),
        redirect_to=url_for(".detail", performance_id=performance_id),
    )
    if response is not None:
        return response
    return editing.render(
        "performances/report_form.html", form, performance=_managed(performance_id)
    )


# Photos ------------------------------------------------------------------------------------


def _photo_upload_limit() -> str:
    return current_app.config["RATELIMIT_PHOTO_UPLOAD"]


def _photo_uploader() -> str:
    return f"photo-upload:{current_user.get_id()}"


@bp.post("/<int:performance_id>/photos")
@role_required("organiser")
@form_view
@limiter.limit(_photo_upload_limit, key_func=_photo_uploader, scope="photo-upload")
def add_photo(performance_id: int):
    performance = _managed(performance_id)
    form = PhotoForm()
    if form.validate_on_submit() and _committed(
        form,
        lambda: photos.add_photo(
            performance, form.photo.data.read(), form.alt_text.data, actor=current_user
        ),
    ):
        flash(_("Photo added."), "success")
        return redirect(url_for(".detail", performance_id=performance.id, _anchor="photos"), 303)
    return detail(performance_id, photo_form=form, status=422)


@bp.post("/photos/<int:photo_id>/delete")
@role_required("organiser")
def delete_photo(photo_id: int):
    photo = get_or_404(PerformancePhoto, photo_id)
    performance = _managed(photo.performance_id)
    page = confirm.ask(
        _("Remove this photo of %(title)s?", title=performance.title),
        consequence=_(
            "The photo is deleted for good. Its description was: %(alt)s", alt=photo.alt_text
        ),
        confirm_label=_("Yes, remove the photo"),
        cancel_url=url_for(".detail", performance_id=performance.id, _anchor="photos"),
    )
    if page is not None:
        return page
    try:
        photos.delete_photo(photo, actor=current_user)
        db.session.commit()
    except StaleDataError:
        # Removed by someone else at the same moment: it is gone either way.
        db.session.rollback()
    flash(_("Photo removed."), "success")
    return redirect(url_for(".detail", performance_id=performance.id, _anchor="photos"), 303)


@bp.get("/photos/<int:photo_id>")
@login_required
def photo(photo_id: int):
    """The image, for staff and the people booked (and their caregivers) only."""
    item = get_or_404(PerformancePhoto, photo_id)
    if not (
        rules.is_staff(current_user) or _own() & queries.booked_person_ids(item.performance_id)
    ):
        abort(404)
    path = photos.photo_path(item)
    if not path.is_file():
        abort(404)
    mark_personal()
    response = send_file(path, mimetype=item.content_type, max_age=0)
    response.headers["Cache-Control"] = "no-store"
    return response


# Programmes --------------------------------------------------------------------------------


def _organiser_choices() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole)
            .where(UserRole.role.in_([Role.ORGANISER, Role.ADMIN]), User.is_active_account)
            .distinct()
            .order_by(User.display_name, User.id)
        )
    )


@bp.get("/programmes")
@public
def programmes():
    items = queries.programmes()
    counts = dict(
        db.session.execute(
            sa.select(Performance.programme_id, sa.func.count(Performance.id))
            .where(Performance.status == PerformanceStatus.DONE)
            .group_by(Performance.programme_id)
        ).all()
    )
    return render_template(
        "performances/programmes.html",
        programmes=items,
        counts=counts,
        staff=rules.is_staff(current_user),
        can_manage=lambda p: rules.can_manage_programme(current_user, p),
        can_create=rules.can_create_programme(current_user),
    )


@bp.route("/programmes/new", methods=["GET", "POST"])
@role_required("organiser")
@form_view
def create_programme():
    form = ProgrammeForm(organisers=_organiser_choices())
    if request.method == "GET" and not current_user.is_admin:
        form.organiser_ids.data = [current_user.id]
    if form.validate_on_submit():
        data = form.service_values()
        if not current_user.is_admin and current_user.id not in data["organiser_ids"]:
            data["organiser_ids"].append(current_user.id)
        if _committed(form, lambda: services.create_programme(data, actor=current_user)):
            flash(_("Programme added."), "success")
            return redirect(url_for(".programmes"), 303)
    return _render("performances/programme_form.html", form, programme=None)


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@role_required("organiser")
@form_view
def edit_programme(programme_id: int):
    programme = get_or_404(Programme, programme_id)
    if not rules.can_manage_programme(current_user, programme):
        abort(404)  # not theirs: the same answer as a programme that does not exist
    options = {"organisers": _organiser_choices()}
    if request.method == "GET":
        form = ProgrammeForm(data=ProgrammeForm.data_from(programme), **options)
        return _render("performances/programme_form.html", form, programme=programme)
    form = ProgrammeForm(**options)
    if form.validate_on_submit():
        try:
            saved = _committed(
                form,
                lambda: services.update_programme(
                    programme, form.service_values(), version=form.version.data, actor=current_user
                ),
            )
        except EditConflict:
            current = get_or_404(Programme, programme_id)
            _conflict(
                form, ProgrammeForm(formdata=None, data=ProgrammeForm.data_from(current), **options)
            )
            return _render("performances/programme_form.html", form, status=409, programme=current)
        if saved:
            flash(_("Programme saved."), "success")
            return redirect(url_for(".programmes"), 303)
    return _render("performances/programme_form.html", form, programme=programme)


# Troupes -----------------------------------------------------------------------------------


@bp.get("/troupes")
@role_required("organiser")
def troupes():
    items = queries.troupes()
    sizes = dict(
        db.session.execute(
            sa.select(TroupeMember.troupe_id, sa.func.count(TroupeMember.id)).group_by(
                TroupeMember.troupe_id
            )
        ).all()
    )
    return render_template("performances/troupes.html", troupes=items, sizes=sizes)


def _troupe(troupe_id: int) -> Troupe:
    troupe = queries.troupe_for_page(troupe_id)
    if troupe is None:
        abort(404)
    return troupe


@bp.get("/troupes/<int:troupe_id>")
@role_required("organiser")
def troupe(troupe_id: int, member_form=None, status: int = 200):
    mark_personal()
    item = _troupe(troupe_id)
    form = member_form or MemberForm()
    organised = queries.booked_in_programmes_of(current_user, [m.person_id for m in item.members])
    return (
        render_template(
            "performances/troupe.html",
            troupe=item,
            # Link a member's bookings page only where the user may open it.
            links_bookings=lambda m: rules.can_view_bookings_of(current_user, m.person, organised),
            member_form=form,
            remove_form=RemoveMemberForm(),
            page_has_errors=form.has_errors,
        ),
        status,
    )


@bp.route("/troupes/new", methods=["GET", "POST"])
@role_required("organiser")
@form_view
def create_troupe():
    form = TroupeForm()
    if form.validate_on_submit():
        item = _committed(
            form,
            lambda: services.create_troupe(
                {"name": form.name.data, "notes": form.notes.data}, actor=current_user
            ),
        )
        if item:
            flash(_("Troupe added."), "success")
            return redirect(url_for(".troupe", troupe_id=item.id), 303)
    return _render("performances/troupe_form.html", form, troupe=None)


@bp.route("/troupes/<int:troupe_id>/edit", methods=["GET", "POST"])
@role_required("organiser")
@form_view
def edit_troupe(troupe_id: int):
    item = _troupe(troupe_id)
    if request.method == "GET":
        form = TroupeForm(data=TroupeForm.data_from(item))
        return _render("performances/troupe_form.html", form, troupe=item)
    form = TroupeForm()
    if form.validate_on_submit():
        try:
            saved = _committed(
                form,
                lambda: services.update_troupe(
                    item,
                    {"name": form.name.data, "notes": form.notes.data},
                    version=form.version.data,
                    actor=current_user,
                ),
            )
        except EditConflict:
            current = _troupe(troupe_id)
            _conflict(form, TroupeForm(formdata=None, data=TroupeForm.data_from(current)))
            return _render("performances/troupe_form.html", form, status=409, troupe=current)
        if saved:
            flash(_("Troupe saved."), "success")
            return redirect(url_for(".troupe", troupe_id=item.id), 303)
    return _render("performances/troupe_form.html", form, troupe=item)


@bp.post("/troupes/<int:troupe_id>/members")
@role_required("organiser")
@form_view
def add_member(troupe_id: int):
    item = _troupe(troupe_id)
    form = MemberForm()
    # core.editing.save keeps a failed look-up's audit row (DomainError.keep) after the
    # rollback, so the ration counts it.
    response = editing.save(
        form,
        lambda: services.add_member(
            item,
            person_id=form.person_id.data,
            birth_on=form.birth_on.data,
            role=form.role.data,
            actor=current_user,
        ),
        flash_message=_("Member added."),
        redirect_to=url_for(".troupe", troupe_id=item.id),
    )
    if response is not None:
        return response
    if form.status_code == 409:
        form.status_code = 422  # no version: another save in between, try again
    return troupe(troupe_id, member_form=form, status=form.status_code)


@bp.post("/troupes/<int:troupe_id>/members/<int:member_id>/remove")
@role_required("organiser")
def remove_member(troupe_id: int, member_id: int):
    item = _troupe(troupe_id)
    member = next((m for m in item.members if m.id == member_id), None)
    if member is None:
        abort(404)
    page = confirm.ask(
        _("Remove %(name)s from %(troupe)s?", name=member.person.name, troupe=item.name),
        consequence=_(
            "They are no longer offered for the troupe's performances. Performances they are "
            "already booked for keep them."
        ),
        confirm_label=_("Yes, remove"),
        cancel_url=url_for(".troupe", troupe_id=item.id),
    )
    if page is not None:
        return page
    try:
        services.remove_member(item, member_id, actor=current_user)
        db.session.commit()
    except (EditConflict, StaleDataError):
        db.session.rollback()
        flash(_("Someone else changed the troupe at the same moment: check it and try again."))
        return redirect(url_for(".troupe", troupe_id=troupe_id), 303)
    except DomainError:
        db.session.rollback()
        abort(404)
    flash(_("Member removed."), "success")
    return redirect(url_for(".troupe", troupe_id=item.id), 303)


# Bookings ----------------------------------------------------------------------------------


@bp.get("/mine")
@login_required
def mine():
    """The bookings of the signed-in user's person and of the people they care for."""
    mark_personal()
    own = _own()
    people = (
        list(db.session.scalars(sa.select(Person).where(Person.id.in_(own)).order_by(Person.id)))
        if own
        else []
    )
    return render_template(
        "performances/bookings.html",
        heading=_("My performance bookings"),
        people=people,
        bookings=queries.bookings_of(own),
        has_person=current_user.person_id is not None,
    )


@bp.get("/people/<int:person_id>")
@login_required
def bookings(person_id: int):
    organised = queries.booked_in_programmes_of(current_user, [person_id])
    person = get_or_404(
        Person,
        person_id,
        visible=lambda p: rules.can_view_bookings_of(current_user, p, organised),
    )
    mark_personal()
    audit.record("view", "person", person.id, ["performance_bookings"])
    db.session.commit()
    return render_template(
        "performances/bookings.html",
        heading=_("Performance bookings of %(name)s", name=person.name),
        people=[person],
        bookings=queries.bookings_of([person.id]),
        has_person=True,
    )


# Statistics --------------------------------------------------------------------------------


def statistics_sections(result: stats.Statistics) -> list[tuple]:
    """(key, heading, chart with its table) for each grouping; no chart when nothing was
    held. The bars show one measure; the table all four."""
    t = result.totals
    header = [
        _("Performances held"),
        _("Beneficiaries (person-times)"),
        _("Audience"),
        _("Of which people with disabilities"),
    ]
    sections = []
    for key, heading, rows, measure, title, intro in (
        (
            "setting",
            _("By setting"),
            result.by_setting,
            "beneficiaries",
            _("Beneficiaries (person-times) by setting"),
            _("Beneficiaries of performances held, by setting; the numbers are in the table."),
        ),
        (
            "town",
            _("By town"),
            result.by_town,
            "beneficiaries",
            _("Beneficiaries (person-times) by town"),
            _("Beneficiaries of performances held, by town; the numbers are in the table."),
        ),
        (
            "programme",
            _("By programme"),
            result.by_programme,
            "performances",
            _("Performances held by programme"),
            _("Performances held, by programme; the numbers are in the table."),
        ),
        (
            "month",
            _("By month"),
            result.by_month,
            "performances",
            _("Performances held by month"),
            _("Performances held, by month; the numbers are in the table."),
        ),
    ):
        table = charts.Table(
            id=f"table-{key}",
            caption=_("Performances held: %(group)s", group=heading),
            header=[heading, *header],
            rows=[
                [r.label, r.performances, r.beneficiaries, r.audience, r.audience_disabled]
                for r in rows
            ],
            total=[_("Total"), t.performances, t.beneficiaries, t.audience, t.audience_disabled],
        )
        summary = charts.sentences(intro, stats.most_sentence(key, measure, rows))
        chart = charts.hbars(
            f"chart-{key}", title, summary, stats.chart_items(rows, measure), table=table
        )
        sections.append((key, heading, chart))
    return sections


@bp.get("/statistics")
@public
def statistics():
    span = params.statistics_period(request.args)
    result = stats.statistics(span.first, span.last)
    sections = statistics_sections(result)
    return (
        render_template(
            "performances/statistics.html",
            result=result,
            sections=sections,
            period=span,
            errors=span.errors,
            page_has_errors=bool(span.errors),
        ),
        422 if span.errors else 200,
    )


def statistics_rows(result: stats.Statistics) -> list[list]:
    header = [
        _("Group"),
        # What the group's row is: a setting, town, programme or month (never a person).
        _("Setting, town, programme or month"),
        _("Performances held"),
        _("Beneficiaries (person-times)"),
        _("Audience"),
        _("Of which people with disabilities"),
    ]
    rows = [header]
    t = result.totals
    rows.append([_("Total"), "", t.performances, t.beneficiaries, t.audience, t.audience_disabled])
    for group, items in (
        (_("Setting"), result.by_setting),
        (_("Town"), result.by_town),
        (_("Programme"), result.by_programme),
        (_("Month"), result.by_month),
    ):
        for r in items:
            rows.append(
                [group, r.label, r.performances, r.beneficiaries, r.audience, r.audience_disabled]
            )
    return rows


@bp.get("/statistics.<any(csv, xlsx):fmt>")
@public
def statistics_export(fmt: str):
    span = params.statistics_period(request.args)
    if not span.ok:
        abort(400)
    date_from, date_to = span.first, span.last
    rows = statistics_rows(stats.statistics(date_from, date_to))
    if current_user.is_authenticated:
        audit.record(
            "export",
            "performance_statistics",
            None,
            [],
            details={"format": fmt, "from": date_from.isoformat(), "to": date_to.isoformat()},
        )
        db.session.commit()
    name = f"performances-{date_from.isoformat()}-{date_to.isoformat()}"
    return send_table(rows, fmt, name, _("Performances"))
