"""Competition pages under /competitions/: the medal table (public), each competition's
events, results and medallists (public, names only with publication consent), and the forms
to create and edit competitions and events, add and withdraw entries and record an event's
results at the venue.

Permissions: a coach creates competitions (and manages those they create; an admin picks the
managing coach); whoever manages a competition (its manager, or an admin) edits it and adds
and edits events and entries; a coach records results of, and withdraws, entries of athletes
they coach; admins everything. Every edit form carries the record's version: a stale one
answers 409 with both values and the input kept."""

from __future__ import annotations

import base64
import binascii
from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.athletes import queries as athlete_queries
from app.athletes import rules as athlete_rules
from app.athletes.models import AthleteProfile
from app.competitions import (
    bp,
    imports,
    queries,
    replies,
    results_screen,
    rules,
    services,
    standings,
)
from app.competitions.enums import EntryStatus, Level, Medal, ResultStatus
from app.competitions.forms import (
    CompetitionForm,
    ConfirmImportForm,
    EntryEditForm,
    EntryForm,
    EventForm,
    ImportForm,
    ResultsForm,
    WithdrawEntryForm,
)
from app.competitions.models import Competition, CompetitionEvent, Entry
from app.core import charts, editing, notify, spreadsheets
from app.core.auth import get_or_404, public, role_required
from app.core.errors import DomainError, EditConflict
from app.core.security import form_view, mark_personal
from app.extensions import db
from app.people.models import Person
from app.venues.queries import venue_choices


def _render(template: str, form, status: int | None = None, **context):
    if status is None:
        status = 422 if form.has_errors else 200
    return (
        render_template(template, form=form, page_has_errors=form.has_errors, **context),
        status,
    )


def _year_arg(name: str) -> int | None:
    text = request.args.get(name, "").strip()
    # isascii: "²⁰²¹".isdigit() is true but int() refuses it.
    if text.isascii() and text.isdigit() and len(text) == 4:
        return int(text)
    return None


MEDALLISTS_SHOWN = 50
RECENT_SHOWN = 30


@bp.get("/")
@public
def index():
    first, last = _year_arg("from_year"), _year_arg("to_year")
    level = request.args.get("level", "")
    level = Level(level) if level in {lv.value for lv in Level} else None
    by_total = request.args.get("rank_by") == "total"
    delegations = queries.delegations()
    delegation = request.args.get("delegation", "")
    delegation = delegation if delegation in delegations else ""
    sports = athlete_queries.sports()
    sport = request.args.get("sport", "")
    sport_id = next((s.id for s in sports if s.code == sport), None)
    filters = standings.MedalFilters(
        date_from=date(first, 1, 1) if first else None,
        date_to=date(last, 12, 31) if last else None,
        level=level,
        sport_id=sport_id,
        delegation=delegation or None,
    )
    table = standings.medal_table(filters)
    # The ranking is computed over every medallist (grouped in the database); the page
    # shows the leading MEDALLISTS_SHOWN so its size does not grow with the register.
    medallists = standings.athlete_rows(filters, by_total=by_total)[:MEDALLISTS_SHOWN]
    people = {
        athlete_id: person
        for athlete_id, person in db.session.execute(
            sa.select(AthleteProfile.id, Person)
            .join(Person, Person.id == AthleteProfile.person_id)
            .where(AthleteProfile.id.in_([row.athlete_id for row in medallists]))
            .options(selectinload(Person.consents))
        )
    }
    names, linked = {}, set()
    for row in medallists:
        person = people[row.athlete_id]
        names[row.athlete_id] = (
            person.name
            if rules.sees_all_names(current_user) or person.has_publication_consent
            else _("an athlete")
        )
        if (
            person.has_publication_consent
            or current_user.is_authenticated
            and current_user.is_admin
        ):
            linked.add(row.athlete_id)
    summary = standings.medal_summary(table)
    return render_template(
        "competitions/index.html",
        table=table,
        chart=charts.medals("medal-chart", _("Medals by year"), summary, table.by_year()),
        summary=summary,
        medallists=medallists,
        names=names,
        linked=linked,
        by_total=by_total,
        args={
            "from_year": first or "",
            "to_year": last or "",
            "level": level or "",
            "delegation": delegation,
            "sport": sport if sport_id else "",
        },
        levels=list(Level),
        delegations=delegations,
        sports=sports,
        competitions=queries.competitions(limit=RECENT_SHOWN),
    )


@bp.get("/<int:competition_id>")
@public
def detail(competition_id: int):
    competition = queries.competition_for_detail(competition_id)
    if competition is None:
        abort(404)
    tally = standings.medal_table(standings.MedalFilters(competition_id=competition.id)).totals
    return render_template(
        "competitions/detail.html",
        competition=competition,
        tally=tally,
        name_of=lambda athlete: rules.athlete_name(athlete, current_user),
        manages=rules.can_manage(current_user, competition),
        staff=rules.sees_all_names(current_user),
        can_record=lambda entry: rules.can_record(current_user, entry, competition),
        reply_panels=replies.event_panels(competition),
    )


def _athlete_visible(athlete) -> bool:
    """Public when the athlete consented to publication; otherwise those who may see the
    athlete's profile (app/athletes/rules.can_view)."""
    return athlete.person.has_publication_consent or athlete_rules.can_view(current_user, athlete)


@bp.get("/athletes/<int:athlete_id>")
@public
def athlete(athlete_id: int):
    profile = get_or_404(
        AthleteProfile,
        athlete_id,
        visible=_athlete_visible,
        options=(
            joinedload(AthleteProfile.person).selectinload(Person.consents),
            selectinload(AthleteProfile.coaches),
        ),
    )
    tally = standings.medal_table(standings.MedalFilters(athlete_id=profile.id)).totals
    staff = rules.sees_all_names(current_user)
    if staff:
        mark_personal()
    return render_template(
        "competitions/athlete.html",
        athlete=profile,
        tally=tally,
        rows=queries.career_results(profile.id, with_support=staff),
        staff=staff,
    )


def _managed(competition_id: int) -> Competition:
    competition = get_or_404(Competition, competition_id)
    if not rules.can_manage(current_user, competition):
        abort(403)
    return competition


def _competition_options(competition: Competition | None = None) -> dict:
    """The form's choices: active sports, current venues (plus the saved one), and for an
    admin the coaches who may manage the competition."""
    return {
        "sports": athlete_queries.sports(),
        "venues": venue_choices(include=competition.venue_id if competition else None),
        "managers": queries.manager_choices() if current_user.is_admin else None,
    }


@bp.route("/new", methods=["GET", "POST"])
@role_required("coach")
@form_view
def create():
    form = CompetitionForm(**_competition_options())
    if form.validate_on_submit():
        data = form.service_values()
        if not current_user.is_admin:
            # A coach who adds a competition manages it.
            data["manager_id"] = current_user.id
        try:
            competition = services.create_competition(data, actor=current_user)
        except DomainError as error:
            db.session.rollback()
            form.add_error(error.field, error.message)
        else:
            db.session.commit()
            flash(_("Competition added."), "success")
            return redirect(url_for(".detail", competition_id=competition.id), 303)
    return _render("competitions/form.html", form, competition=None)


@bp.route("/<int:competition_id>/edit", methods=["GET", "POST"])
@role_required("coach")
@form_view
def edit(competition_id: int):
    """Edit a competition: those who manage it. A stale version (or another process saving
    between the check and the UPDATE) answers 409 with the input kept and every field that
    differs listed, sports included (core.editing)."""
    competition = _managed(competition_id)
    options = _competition_options(competition)
    if request.method == "GET":
        form = CompetitionForm(data=CompetitionForm.data_from(competition), **options)
        return editing.render("competitions/form.html", form, competition=competition)
    form = CompetitionForm(**options)

    def apply():
        data = form.service_values()
        data.setdefault("manager_id", competition.manager_id)
        return services.update_competition(
            competition, data, version=form.version.data, actor=current_user
        )

    saved: dict = {}

    def saved_form() -> CompetitionForm:
        saved["competition"] = current = _managed(competition_id)
        built = CompetitionForm(formdata=None, data=CompetitionForm.data_from(current), **options)
        del built.opened_sport_ids  # bookkeeping, not a value to compare
        return built

    response = editing.save(
        form,
        apply,
        saved_form=saved_form,
        flash_message=_("Competition saved."),
        redirect_to=url_for(".detail", competition_id=competition_id),
    )
    if response:
        return response
    if "competition" in saved:
        _keep_their_sports(form, saved["competition"])
    return editing.render("competitions/form.html", form, competition=competition)


def _keep_their_sports(form: CompetitionForm, current: Competition) -> None:
    """After a conflict: when the user left the sports as they were and someone else changed
    them, the form takes the saved sports (its panel row says so), so saving again does not
    revert them. The form's opened sports move on with its version."""
    theirs = {s.id for s in current.sports}
    opened, mine = form.opened_sports(), set(form.sport_ids.data or ())
    if opened is not None and mine == opened and theirs != opened:
        form.sport_ids.data = sorted(theirs)
        label = str(form.sport_ids.label.text)
        form.conflict_rows = [
            (
                row_label,
                _(
                    "%(value)s (you had not changed this field: the saved value is kept)",
                    value=row_saved,
                )
                if row_label == label
                else row_mine,
                row_saved,
            )
            for row_label, row_mine, row_saved in form.conflict_rows or ()
        ]
    form.opened_sport_ids.data = ",".join(str(i) for i in sorted(theirs))


@bp.route("/<int:competition_id>/events/new", methods=["GET", "POST"])
@role_required("coach")
@form_view
def new_event(competition_id: int):
    competition = _managed(competition_id)
    form = EventForm(sports=athlete_queries.sports(), venues=venue_choices())
    schedule = None
    if form.validate_on_submit():
        schedule = form.schedule()
    if schedule is not None:
        try:
            services.add_event(competition, form.service_values(schedule), actor=current_user)
        except DomainError as error:
            db.session.rollback()
            form.add_error(error.field, error.message)
        else:
            db.session.commit()
            flash(_("Event added."), "success")
            return redirect(url_for(".detail", competition_id=competition.id), 303)
    return _render("competitions/event_form.html", form, competition=competition, event=None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@role_required("coach")
@form_view
def edit_event(event_id: int):
    """Change an event (name, sport, class, team or not, schedule, venue): those who manage
    the competition. A stale version answers 409 with both values and the input kept."""
    event = _event(event_id)
    competition = event.competition
    if not rules.can_manage(current_user, competition):
        abort(403)
    options = {"sports": athlete_queries.sports(), "venues": venue_choices(include=event.venue_id)}
    if request.method == "GET":
        form = EventForm(data=EventForm.data_from(event), **options)
        notify.offer(form, "competition_event", event_id)
        return editing.render(
            "competitions/event_form.html", form, competition=competition, event=event
        )
    form = EventForm(**options)
    notify.offer(form, "competition_event", event_id)
    schedule = form.schedule() if form.validate_on_submit() else None
    response = None
    if schedule is not None:
        response = editing.save(
            form,
            lambda: services.update_event(
                event,
                form.service_values(schedule),
                # A missing version is a stale one (never "overwrite").
                version=form.version.data or 0,
                actor=current_user,
            ),
            saved_form=lambda: EventForm(
                formdata=None, data=EventForm.data_from(_event(event_id)), **options
            ),
            flash_message=_("Event saved."),
            redirect_to=url_for(".detail", competition_id=competition.id),
            validate=False,
        )
    return response or editing.render(
        "competitions/event_form.html", form, competition=competition, event=event
    )


def _event(event_id: int) -> CompetitionEvent:
    event = queries.event_for_results(event_id)
    if event is None:
        abort(404)
    return event


@bp.route("/events/<int:event_id>/entries/new", methods=["GET", "POST"])
@role_required("coach")
@form_view
def new_entry(event_id: int):
    event = _event(event_id)
    manages = rules.can_manage(current_user, event.competition)
    athletes = queries.enterable_athletes(current_user, manages)
    if not athletes and not manages:
        abort(403)
    form = EntryForm(athletes=athletes)
    show_all = request.args.get("all") == "1"

    def added(result) -> str:
        entry, warnings = result
        if warnings:
            # The details (athlete numbers, classification status) go on a page, not in a
            # flash: flashed messages travel in the client-readable session cookie.
            flash(_("Check the classification warnings for this entry."), "warning")
            return url_for(".entry_warnings", entry_id=entry.id)
        return url_for(".detail", competition_id=event.competition_id)

    response = editing.save(
        form,
        lambda: services.create_entry(
            event,
            athlete_ids=form.athlete_ids.data,
            team_name=form.team_name.data,
            status=form.status.data,
            support=form.support(),
            actor=current_user,
        ),
        flash_message=_("Entry added."),
        redirect_to=added,
    )
    if response:
        return response
    return _entry_page(form, event, athletes, show_all, entry=None)


def _entry_page(form: EntryForm, event, athletes, show_all: bool, entry=None):
    """The new-entry or entry edit page: the athletes who fit offered first (``show_all``: every
    one), with the form's status."""
    fitting = _offer_fitting(form, event, athletes, show_all)
    return editing.render(
        "competitions/entry_form.html",
        form,
        event=event,
        entry=entry,
        show_all=show_all,
        fitting=fitting,
    )


def _offer_fitting(form: EntryForm, event, athletes, show_all: bool) -> int:
    """Offer the athletes who fit the event (rules.fits_event), plus any already ticked; all
    of them with ``show_all``. Every enterable athlete stays a valid choice when posted.
    Returns how many fit."""
    codes = queries.class_codes(event.sport_id, [a.id for a in athletes])
    fit = {a.id for a in athletes if rules.fits_event(event, a, codes.get(a.id))}
    if not show_all and fit:  # none fit: every athlete is offered, the page says why
        ticked = set(form.athlete_ids.data or ())
        form.athlete_ids.choices = [
            (value, label) for value, label in form.athlete_ids.choices if value in fit | ticked
        ]
    return len(fit)


def _entry(entry_id: int) -> Entry:
    entry = db.session.get(Entry, entry_id, populate_existing=True)
    if entry is None:
        abort(404)
    return entry


@bp.get("/entries/<int:entry_id>")
@role_required("coach")
def entry(entry_id: int):
    """An entry: its athletes, status, result and support people (staff only: support people
    are named, never with their register details)."""
    found = queries.entry_for_page(entry_id)
    if found is None:
        abort(404)
    mark_personal()
    event = found.event
    return render_template(
        "competitions/entry.html",
        entry=found,
        event=event,
        can_edit=rules.can_record(current_user, found, event.competition),
        name_of=lambda athlete: rules.athlete_name(athlete, current_user),
    )


def _entry_athletes_offered(entry: Entry) -> list:
    """The athletes the user may put in the entry: those they may enter, and the entry's own."""
    manages = rules.can_manage(current_user, entry.event.competition)
    athletes = {a.id: a for a in queries.enterable_athletes(current_user, manages)}
    for athlete in entry.athletes:
        athletes.setdefault(athlete.id, athlete)
    return list(athletes.values())


def _entry_edit_form(entry: Entry, formdata=True, athletes=None) -> EntryEditForm:
    first = entry.support[0] if entry.support else None
    kwargs = {
        "athletes": athletes if athletes is not None else _entry_athletes_offered(entry),
        "saved_person_id": first.person_id if first else None,
        "with_start": rules.can_manage(current_user, entry.event.competition),
    }
    if formdata:
        return EntryEditForm(**kwargs)
    return EntryEditForm(formdata=None, data=EntryEditForm.data_from(entry), **kwargs)


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@role_required("coach")
@form_view
def edit_entry(entry_id: int):
    """Edit an entry (athletes, team name, status, support person): whoever may record it. A
    stale version answers 409 with the input kept and every field that differs listed."""
    found = queries.entry_for_page(entry_id)
    if found is None:
        abort(404)
    event = found.event
    if not rules.can_record(current_user, found, event.competition):
        abort(403)
    show_all = request.args.get("all") == "1"
    athletes = _entry_athletes_offered(found)
    if request.method == "GET":
        form = _entry_edit_form(found, formdata=False, athletes=athletes)
        return _entry_page(form, event, athletes, show_all, entry=found)
    form = _entry_edit_form(found, athletes=athletes)
    others = [
        {"role": row.role.value, "person_id": row.person_id, "name": row.name}
        for row in found.support[1:]
    ]
    response = editing.save(
        form,
        lambda: services.update_entry(
            found,
            athlete_ids=form.athlete_ids.data,
            team_name=form.team_name.data,
            status=form.status.data,
            support=form.support() + others,
            start=form.start(),
            version=form.version.data,
            actor=current_user,
        ),
        saved_form=lambda: _entry_edit_form(queries.entry_for_page(entry_id), formdata=False),
        flash_message=_("Entry saved."),
        redirect_to=url_for(".entry", entry_id=entry_id),
    )
    if response:
        return response
    return _entry_page(form, event, athletes, show_all, entry=found)


@bp.get("/entries/<int:entry_id>/warnings")
@role_required("coach")
def entry_warnings(entry_id: int):
    """The entry's classification warnings, worked out again from the register (so they are
    current and never stored in the session): for those who may record the entry."""
    entry = _entry(entry_id)
    event = entry.event
    if not rules.can_record(current_user, entry, event.competition):
        abort(404)
    mark_personal()
    warnings = services.classification_warnings(event, list(entry.athletes))
    return render_template(
        "competitions/entry_warnings.html",
        entry=entry,
        event=event,
        warnings=warnings,
        name_of=lambda athlete: rules.athlete_name(athlete, current_user),
    )


@bp.route("/entries/<int:entry_id>/withdraw", methods=["GET", "POST"])
@role_required("coach")
@form_view
def withdraw_entry(entry_id: int):
    """Withdraw an entry: those who manage the competition, and a coach of an athlete of the
    entry. The page carries the entry's version: if someone changed the entry meanwhile the
    answer is 409 with both statuses, and withdrawing again is one more click."""
    entry = _entry(entry_id)
    event = entry.event
    if not rules.can_record(current_user, entry, event.competition):
        abort(403)
    form = WithdrawEntryForm(data={"version": entry.version} if request.method == "GET" else None)
    status, conflict_rows = 200, None
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.set_entry_status(
                    entry, EntryStatus.WITHDRAWN, version=form.version.data or 0, actor=current_user
                )
            except EditConflict:
                db.session.rollback()
                entry = _entry(entry_id)
                form.version.data = entry.version
                form.add_error(None, _("Someone else changed this entry after you opened it."))
                status = 409
                conflict_rows = [
                    (_("Entry status"), EntryStatus.WITHDRAWN.label, entry.status.label)
                ]
            else:
                db.session.commit()
                flash(_("Entry withdrawn."), "success")
                return redirect(url_for(".detail", competition_id=event.competition_id), 303)
        else:
            status = 422
    return _render(
        "competitions/withdraw.html",
        form,
        status=status,
        entry=entry,
        event=event,
        name_of=lambda athlete: rules.athlete_name(athlete, current_user),
        conflict_rows=conflict_rows,
    )


@bp.route("/events/<int:event_id>/results", methods=["GET", "POST"])
@role_required("coach")
@form_view
def results(event_id: int):
    """Every entry of the event on one screen; the rows the user may record are editable and
    saved together (app/competitions/results_screen.py: what counts as a change, every
    problem at once, the 409 with every field that differs)."""
    event = _event(event_id)
    editable = {e.id for e in event.entries if rules.can_record(current_user, e, event.competition)}
    if not editable:
        abort(403)
    form = ResultsForm()
    if request.method == "POST" and form.validate_on_submit():
        outcome = results_screen.submit(event, editable, request.form, actor=current_user)
        if outcome.status == 200:
            if outcome.saved:
                flash(_("Results saved."), "success")
            else:
                flash(_("Nothing was changed, so nothing was saved."), "info")
            return redirect(url_for(".results", event_id=event.id), 303)
        if outcome.status == 409:
            form.add_error(
                None,
                _(
                    "Someone else saved some of these results after you opened the page. "
                    "Check both versions below, then save again to keep yours."
                ),
            )
        event, rows, summary, status = outcome.event, outcome.rows, outcome.summary, outcome.status
    else:
        rows = {e.id: results_screen.saved_row(e) for e in event.entries if e.id in editable}
        summary, status = [], (422 if request.method == "POST" else 200)
    return _render(
        "competitions/results.html",
        form,
        status=status,
        event=event,
        rows=rows,
        summary=summary,
        name_of=lambda athlete: rules.athlete_name(athlete, current_user),
        statuses=list(ResultStatus),
        medals=list(Medal),
        **results_screen.page_context(event, request.form, summary, current_user),
    )


@bp.route("/import", methods=["GET", "POST"])
@role_required("coach")
@form_view
def import_results():
    """Upload a spreadsheet → a preview of every row with its errors → confirm, which saves
    every row or nothing. The preview carries the file (base64, at most spreadsheets.MAX_BYTES);
    the confirmation checks it again from scratch."""
    upload, confirm = ImportForm(), ConfirmImportForm()
    rows, form = None, upload
    if request.method == "POST" and "payload" in request.form:
        form = confirm
        if confirm.validate_on_submit():
            try:
                data = base64.b64decode(confirm.payload.data or "", validate=True)
                rows = imports.check_rows(data, current_user)
                saved = imports.save_rows(rows, user=current_user)
            except (binascii.Error, ValueError):
                db.session.rollback()
                confirm.add_error(None, _("The preview could not be read. Send the file again."))
                rows = None
            except DomainError as error:
                db.session.rollback()
                confirm.add_error(None, error.message)
                confirm.status_code = error.status_code  # 409 when a result moved on
                imports.keep_lookup(rows)  # the refused look-ups stay counted and audited
            except (IntegrityError, StaleDataError):
                # Another save of the same results went first (issue 13 item 10): not a 500.
                db.session.rollback()
                confirm.add_error(
                    None,
                    _(
                        "Someone else saved some of these results at the same time. Nothing "
                        "was saved: send the file again to see the results as they are now."
                    ),
                )
                confirm.status_code = 409
                imports.keep_lookup(rows)
            else:
                db.session.commit()
                imports.keep_lookup(rows)
                flash(_("Results saved: %(count)d entries.", count=saved), "success")
                return redirect(url_for(".index"), code=303)
    elif upload.validate_on_submit():
        data = upload.file.data.read(spreadsheets.MAX_BYTES + 1)
        try:
            rows = imports.check_rows(data, current_user)
        except DomainError as error:
            upload.add_error("file", error.message)
        else:
            imports.keep_lookup(rows)
            confirm.payload.data = base64.b64encode(data).decode("ascii")
    return _render(
        "competitions/import.html",
        form,
        status=form.status_code,
        upload=upload,
        confirm=confirm,
        rows=rows,
        columns=imports.COLUMNS,
        limit=imports.FAILED_LOOKUPS_PER_DAY,
    )
