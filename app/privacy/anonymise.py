"""Erasure (PIPL art. 47): ``anonymise_person`` removes what identifies a person and what
reveals their impairment, and keeps what the federation's history and the term report count.

Replaced or removed: name (a pseudonym "匿名人员 <id>" / "Anonymised person <id>" stays, so
results and rosters still read), pinyin, phone, e-mail, the WeChat binding (openid), address,
the birth date (1 January of the birth year remains, so age groups still count), the
certificate number, disability category and grade, guardian details, notes; free text about them elsewhere (consents' guardian names, an
athlete's notes, assessment notes, sport classifications, leaving notes, absence reasons,
the reasons of their replies to invitations, their name in the notices their caregiver
got about them (re-worded while waiting, cleared once sent), their own waiting notices
(withheld),
typed names on bookings and entries; an absence keeps only that it was one); a linked account
is deactivated, renamed and unlinked.

Kept: the person's row and id (archived), gender and town, every membership, attendance mark,
booking, entry, result and medal (person-times, members served and the medal ledger stay true),
and the audit trail, to which the act itself is added with its reason.

Photos of performances they were booked in are not altered (a photo shows a performance, not
a record about the person); an admin removes one on the performance page if asked.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core import audit, clock, notify
from app.core.errors import DomainError
from app.extensions import db
from app.people.models import Person

PSEUDONYM = "匿名人员 {id}"


def _t(name: str) -> sa.Table:
    return db.metadata.tables[name]


def anonymise_person(person: Person, *, reason: str, actor) -> list[str]:
    """Anonymise ``person`` (flush, no commit); answers what was erased, for the audit row."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Give the reason for the erasure."), field="reason")
    if person.name == PSEUDONYM.format(id=person.id):
        raise DomainError(_l("This person has already been anonymised."))
    erased = ["name", "name_pinyin", "phone", "email", "address", "birth_on", "notes"]
    if person.wechat_openid:
        erased.append("wechat_openid")
    if person.certificate_hash:
        erased.append("certificate_number")
    if person.disability_category or person.disability_grade:
        erased.append("disability")
    if person.guardian_name or person.guardian_phone or person.guardian_person_id:
        erased.append("guardian")
    former_name = person.name
    person.name = PSEUDONYM.format(id=person.id)
    person.name_pinyin = ""
    person.phone = ""
    person.email = ""
    person.wechat_openid = ""
    person.address = ""
    person.birth_on = date(person.birth_on.year, 1, 1)
    person.notes = ""
    person.certificate_number = None
    person.certificate_masked = ""
    person.certificate_hash = None
    person.disability_category = None
    person.disability_grade = None
    person.guardian_name = ""
    person.guardian_phone = ""
    person.guardian_relation = None
    person.guardian_person_id = None
    if not person.is_archived:
        person.is_archived = True
        person.archived_at = clock.now()
    erased += _elsewhere(person.id)
    db.session.flush()
    # The notices about them sent to their caregiver named them (app/notices).
    if notify.forget_person(db.session, person.id, former_name):
        erased.append("notices_about")
    audit.record(
        "anonymise", "person", person.id, erased, actor=actor, details={"reason": reason[:500]}
    )
    return erased


def _update(table: str, where, erased: list[str], label: str, **values) -> None:
    t = _t(table)
    result = db.session.execute(t.update().where(where(t)).values(**values))
    if result.rowcount:
        erased.append(label)


def _clear(table: str, column: str, label: str, erased: list[str], rows) -> None:
    """Empty the text ``column`` of ``table`` in the rows ``rows(t)`` where it is set."""
    _update(table, lambda t: rows(t) & (t.c[column] != ""), erased, label, **{column: ""})


def _impairment(person_id: int, erased: list[str]) -> None:
    """Remove the athlete's sport classes and empty their assessment notes: both reveal the
    impairment."""
    athletes = sa.select(_t("athlete_profiles").c.id).where(
        _t("athlete_profiles").c.person_id == person_id
    )
    classifications = _t("athlete_classifications")
    if db.session.execute(
        classifications.delete().where(classifications.c.athlete_id.in_(athletes))
    ).rowcount:
        erased.append("classifications")
    _clear(
        "assessments", "notes", "assessment_notes", erased, lambda t: t.c.athlete_id.in_(athletes)
    )


def _elsewhere(person_id: int) -> list[str]:
    erased: list[str] = []

    def theirs(t):
        return t.c.person_id == person_id

    _update("consents", theirs, erased, "consents", guardian_name="")
    _clear("athlete_profiles", "notes", "athlete_notes", erased, theirs)
    _impairment(person_id, erased)
    _clear("memberships", "left_note", "leaving_notes", erased, theirs)
    # "Ill" is health information: every absence keeps only that it was one ("other").
    _update(
        "attendance",
        lambda t: theirs(t) & t.c.absence_reason.is_not(None) & (t.c.absence_reason != "other"),
        erased,
        "absence_reasons",
        absence_reason="other",
    )
    # An answer's reason ("clinic visit") may be health information: it goes, the answer stays
    # (the organiser's tally still counts it).
    _clear("replies", "reason", "reply_reasons", erased, theirs)
    # The notices they got keep who was told what kind of change, when and how; their address
    # and the words (names, places) go, and those still waiting are not sent.
    _update(
        "notices",
        lambda t: theirs(t) & (t.c.status == "queued"),
        erased,
        "notices_withheld",
        status="skipped",
        skip_reason="erased",
    )
    _update(
        "notices",
        theirs,
        erased,
        "notices",
        address="",
        title="",
        body_text="",
        body_html="",
        facts={},
    )
    for table in ("performance_people", "entry_support"):
        _clear(table, "name", table, erased, theirs)
    users = _t("users")
    accounts = list(db.session.scalars(sa.select(users.c.id).where(users.c.person_id == person_id)))
    for user_id in accounts:
        db.session.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(
                person_id=None,
                username=f"anonymised-{user_id}",
                display_name=PSEUDONYM.format(id=person_id),
                is_active_account=False,
                session_version=users.c.session_version + 1,
                version=users.c.version + 1,
            )
        )
        erased.append("account")
    return erased


def erase_athlete_sensitive(person: Person) -> list[str]:
    """When the last collection consent is withdrawn: the sport classes and assessment notes
    reveal the impairment, so they go with the register's sensitive fields."""
    erased: list[str] = []
    _impairment(person.id, erased)
    return erased
