"""Entries of an event: adding one (the athletes who fit offered first), its page, editing it,
its classification warnings and withdrawing it. Whoever manages the competition, and a coach
of an athlete of the entry; every edit is version-checked (409 with both values)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.competitions import bp, queries, rules, services
from app.competitions.enums import EntryStatus
from app.competitions.forms import EntryEditForm, EntryForm, WithdrawEntryForm
from app.competitions.models import Entry
from app.competitions.views._common import load_entry, load_event, recorded_entry
from app.core import editing
from app.core.auth import role_required
from app.core.errors import EditConflict
from app.core.security import form_page, mark_personal
from app.extensions import db


@form_page(bp, "/events/<int:event_id>/entries/new", "coach")
def new_entry(event_id: int):
    event = load_event(event_id)
    manages = rules.can_manage(current_user, event.competition)
    athletes = queries.enterable_athletes(current_user, manages)
    if not athletes and not manages:
        abort(403)
    form = EntryForm(athletes=athletes, one=not event.is_team)
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
            **form.data_of("athlete_ids", "team_name", "status"),
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
        name_of=rules.namer(current_user, event.competition),
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
        "one": not entry.event.is_team,
    }
    if formdata:
        return EntryEditForm(**kwargs)
    return EntryEditForm(formdata=None, data=EntryEditForm.data_from(entry), **kwargs)


@form_page(bp, "/entries/<int:entry_id>/edit", "coach")
def edit_entry(entry_id: int):
    """Edit an entry (athletes, team name, status, support person): whoever may record it. A
    stale version answers 409 with the input kept and every field that differs listed."""
    found = recorded_entry(entry_id)
    event = found.event
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
            **form.data_of("athlete_ids", "team_name", "status"),
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
    entry = load_entry(entry_id)
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
        name_of=rules.namer(current_user, event.competition),
    )


@form_page(bp, "/entries/<int:entry_id>/withdraw", "coach")
def withdraw_entry(entry_id: int):
    """Withdraw an entry: those who manage the competition, and a coach of an athlete of the
    entry. The page carries the entry's version: if someone changed the entry meanwhile the
    answer is 409 with both statuses, and withdrawing again is one more click."""
    entry = load_entry(entry_id)
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
                entry = load_entry(entry_id)
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
    return editing.render(
        "competitions/withdraw.html",
        form,
        status=status,
        entry=entry,
        event=event,
        name_of=rules.namer(current_user, event.competition),
        conflict_rows=conflict_rows,
    )
