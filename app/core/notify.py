"""The seam between the domains and app/notices (which sits at the top and reads every
domain): a domain's edit route asks how many people a change would tell and may keep this
save quiet, without importing the notices package.

- ``affected_count(kind, id)``: the number of people who would be told about a change to
  that record now (app/notices registers the counter at start-up; 0 without it);
- ``keep_quiet(session)``: the organiser unticked "tell the people affected" (a typo fix):
  the notices hook writes nothing for this transaction;
- ``forget_person(session, person_id, former_name)``: app/privacy anonymised a person; the
  notices about them sent to someone else (their caregiver) lose their name (app/notices
  registers the forgetter at start-up).
"""

from __future__ import annotations

from collections.abc import Callable

QUIET = "notices_quiet"

_counter: Callable[[str, int], int] | None = None
_forgetter: Callable[[object, int, str], int] | None = None


def register_counter(counter: Callable[[str, int], int]) -> None:
    global _counter
    _counter = counter


def affected_count(kind: str, subject_id: int | None) -> int:
    if _counter is None or subject_id is None:
        return 0
    return _counter(kind, subject_id)


def register_forgetter(forgetter: Callable[[object, int, str], int]) -> None:
    global _forgetter
    _forgetter = forgetter


def forget_person(session, person_id: int, former_name: str) -> int:
    """Remove an anonymised person's former name from what others were told about them."""
    if _forgetter is None:
        return 0
    return _forgetter(session, person_id, former_name)


def keep_quiet(session) -> None:
    session.info[QUIET] = True


def is_quiet(session) -> bool:
    return bool(session.info.get(QUIET))


def tell_field():
    """The edit forms' checkbox "tell the N people affected" (ticked by default; the label
    with the number is set by ``offer``)."""
    from flask_babel import lazy_gettext as _l
    from wtforms import BooleanField

    return BooleanField(_l("Tell the people affected about this change"), default=True)


def offer(form, kind: str, subject_id: int) -> None:
    """Put the number of people a save would tell in the checkbox's label, and keep this
    request's save quiet when the organiser unticked it (a typo fix)."""
    from flask_babel import ngettext

    from app.extensions import db

    count = affected_count(kind, subject_id)
    form.tell_people.label.text = ngettext(
        "Tell the %(num)d person affected about this change",
        "Tell the %(num)d people affected about this change",
        count,
    )
    if form.is_submitted() and not form.tell_people.data:
        keep_quiet(db.session)
