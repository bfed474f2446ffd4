"""Pages of the people register under /people/. Until later issues link coaches, staff and
organisers to people, only admins see the register.

Every page here shows personal data (mark_personal: no caching). Certificate numbers appear
masked, except on people.certificate, the admin's audit-logged "show" page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core import clock, editing
from app.core.auth import get_or_404, role_required
from app.core.errors import DomainError
from app.core.reference import town_choices
from app.core.security import form_page, mark_personal
from app.extensions import db
from app.people import bp, services
from app.people import certificate as cert
from app.people.enums import ConsentKind, DisabilityCategory
from app.people.forms import (
    ConsentForm,
    EditPersonForm,
    NewPersonForm,
    SearchForm,
    WithdrawConsentForm,
)
from app.people.models import Consent, Person
from app.people.queries import PeopleFilter, dependants_of, person_for_detail, search_people


def can_see(person: Person) -> bool:
    """Who may open a person's record: admins, for now."""
    return bool(current_user.is_authenticated and current_user.has_any_role("admin"))


def _load(person_id: int) -> Person:
    return get_or_404(Person, person_id, visible=can_see)


def _fill_choices(form) -> None:
    form.town_id.choices = [("", _("Choose a town or sub-district")), *town_choices(db.session)]


def _echo_certificate(form) -> None:
    """Show a number the user typed back to them in groups (never as one unbroken string)."""
    if form.certificate_number.data:
        form.certificate_number.data = cert.grouped(form.certificate_number.data)


def _form_data(person: Person) -> dict:
    return {
        "name": person.name,
        "name_pinyin": person.name_pinyin,
        "gender": person.gender.value if person.gender else None,
        "birth_on": person.birth_on,
        "town_id": str(person.town_id) if person.town_id else "",
        "phone": person.phone,
        "email": person.email,
        "wechat_openid": person.wechat_openid,
        "address": person.address,
        "disability_category": person.disability_category.value
        if person.disability_category
        else "",
        "disability_grade": person.disability_grade.value if person.disability_grade else "",
        "guardian_name": person.guardian_name,
        "guardian_relation": person.guardian_relation.value if person.guardian_relation else "",
        "guardian_phone": person.guardian_phone,
        "guardian_person_id": person.guardian_person_id,
        "notes": person.notes,
        "version": person.version,
    }


def _chosen(field) -> str | None:
    """A filter's value when it is one of its choices; anything else means no filter."""
    value = field.data if isinstance(field.data, str) else ""
    return value if value and value in {str(v) for v, _label in field.choices} else None


@bp.route("/")
@role_required("admin")
def index():
    mark_personal()
    form = SearchForm(formdata=request.args)
    form.town.choices = [("", _("All towns and sub-districts")), *town_choices(db.session)]
    form.validate()
    town, category, archived = (_chosen(f) for f in (form.town, form.category, form.archived))
    filters = PeopleFilter(
        text="" if form.q.errors else (form.q.data or ""),
        town_id=int(town) if town else None,
        category=DisabilityCategory(category) if category else None,
        archived=archived or "current",
    )
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), 100_000)
    pagination = search_people(filters, page)
    services.record_list_view(pagination.items)
    args = {
        key: value
        for key, value in (
            ("q", filters.text),
            ("town", filters.town_id),
            ("category", filters.category.value if filters.category else None),
            ("archived", filters.archived if filters.archived != "current" else None),
        )
        if value
    }
    page_html = render_template(
        "people/index.html",
        form=form,
        pagination=pagination,
        filter_args=args,
        filtered=bool(args),
    )
    db.session.commit()  # the audit row of this view, after rendering (nothing read twice)
    return page_html


@form_page(bp, "/new", "admin")
def new():
    mark_personal()
    form = editing.new_form(
        NewPersonForm,
        {
            "consent_given_on": clock.today(),
            "consent_notice_version": services.CURRENT_NOTICE_VERSION,
        },
    )
    _fill_choices(form)
    response = editing.save(
        form,
        lambda: services.create_person(
            form.person_data(),
            certificate_number=form.certificate_number.data,
            consent=form.consent_data(),
            can_see=can_see,
        ),
        # No name in the flash: flashed messages travel in the (client-readable) session cookie.
        flash_message=_("The person has been added to the register."),
        redirect_to=lambda person: url_for("people.detail", person_id=person.id),
    )
    return response or _form_page(form, person=None)


def _form_page(form, person):
    _echo_certificate(form)
    return editing.render(
        "people/form.html",
        form,
        person=person,
        duplicate=getattr(form.domain_error, "existing", None),
    )


@bp.route("/<int:person_id>")
@role_required("admin")
def detail(person_id: int):
    mark_personal()
    person = person_for_detail(person_id)
    if person is None or not can_see(person):
        abort(404)
    services.record_view(person)
    page = render_template(
        "people/detail.html",
        person=person,
        dependants=dependants_of(person),
        today=clock.today(),
    )
    # Commit the audit row after rendering so the page reads nothing twice.
    db.session.commit()
    return page


@form_page(bp, "/<int:person_id>/edit", "admin")
def edit(person_id: int):
    mark_personal()
    person = _load(person_id)
    if request.method == "GET":
        # The form shows category, grade and notes: log the view like the detail page.
        services.record_view(person)
        db.session.commit()
        form = EditPersonForm(data=_form_data(person))
        _fill_choices(form)
        return _form_page(form, person)
    form = EditPersonForm()
    _fill_choices(form)

    def saved_form():
        current = _load(person_id)
        saved = EditPersonForm(formdata=None, data=_form_data(current))
        _fill_choices(saved)
        # The saved number is never in a form: an empty box means "keep it" on both sides.
        for each in (form, saved):
            each.certificate_number.recorded = current.certificate_masked or ""
        return saved

    response = editing.save(
        form,
        lambda: services.update_person(
            person,
            form.person_data(),
            expected_version=form.version.data,
            **form.data_of("certificate_number", "remove_certificate"),
            can_see=can_see,
        ),
        saved_form=saved_form,
        flash_message=lambda changed: (
            (_("The changes have been saved."), "success")
            if changed
            else (_("Nothing was changed."), "info")
        ),
        redirect_to=url_for("people.detail", person_id=person_id),
    )
    return response or _form_page(form, person)


@bp.route("/<int:person_id>/archive", methods=["GET", "POST"])
@role_required("admin")
def archive(person_id: int):
    mark_personal()
    person = _load(person_id)
    if request.method == "POST":
        return editing.act(
            lambda: services.archive_person(person),
            flash_message=_("The record has been archived."),
            redirect_to=url_for("people.detail", person_id=person.id),
        )
    return render_template("people/archive.html", person=person)


@bp.route("/<int:person_id>/restore", methods=["POST"])
@role_required("admin")
def restore(person_id: int):
    person = _load(person_id)
    return editing.act(
        lambda: services.restore_person(person),
        flash_message=_("The record has been restored to the register."),
        redirect_to=url_for("people.detail", person_id=person.id),
    )


@form_page(bp, "/<int:person_id>/consents/new", "admin")
def consent_new(person_id: int):
    mark_personal()
    person = _load(person_id)
    form = editing.new_form(
        ConsentForm,
        {
            "given_on": clock.today(),
            "notice_version": services.CURRENT_NOTICE_VERSION,
            "guardian_name": person.guardian_name,
            "given_by": "guardian" if person.is_minor() else None,
        },
    )
    response = editing.save(
        form,
        lambda: services.record_consent(
            person,
            **form.data_of("kind", "given_on", "given_by"),
            guardian_name=form.guardian_name.data or "",
            notice_version=form.notice_version.data,
        ),
        flash_message=_("The consent has been recorded."),
        redirect_to=url_for("people.detail", person_id=person.id),
    )
    return response or editing.render("people/consent_form.html", form, person=person)


@form_page(bp, "/<int:person_id>/consents/<int:consent_id>/withdraw", "admin")
def consent_withdraw(person_id: int, consent_id: int):
    mark_personal()
    person = _load(person_id)
    consent = db.session.get(Consent, consent_id)
    if consent is None or consent.person_id != person.id or consent.withdrawn_on is not None:
        abort(404)
    form = editing.new_form(WithdrawConsentForm, {"withdrawn_on": clock.today()})

    def withdrawn(erased) -> str:
        if erased:  # after the "recorded" message
            flash(_("The disability, certificate and health details have been erased."), "success")
        return url_for("people.detail", person_id=person.id)

    response = editing.save(
        form,
        lambda: services.withdraw_consent(consent, withdrawn_on=form.withdrawn_on.data),
        flash_message=_("The withdrawal of consent has been recorded."),
        redirect_to=withdrawn,
    )
    if response:
        return response
    # Withdrawing the last collection consent erases the sensitive fields (services).
    erases = consent.kind == ConsentKind.COLLECTION and not any(
        c.id != consent.id for c in person.active_consents(ConsentKind.COLLECTION)
    )
    return editing.render(
        "people/consent_withdraw.html", form, person=person, consent=consent, erases=erases
    )


@bp.route("/<int:person_id>/certificate", methods=["GET", "POST"])
@role_required("admin")
def certificate(person_id: int):
    """The one page that shows a full certificate number: to an admin, after pressing
    "Show the full number"; each showing is audit-logged. The number is in the POST
    response only (never in a URL, a redirect or the session)."""
    mark_personal()
    person = _load(person_id)
    number = None
    if request.method == "POST":
        try:
            number = services.reveal_certificate(person)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
            return redirect(url_for("people.certificate", person_id=person.id), code=303)
        db.session.commit()
    return render_template("people/certificate.html", person=person, number=number)
