"""Who hears what, and what about: the subject of a notice and the people it affects.

Subjects (``kind``):

- ``performance``: its performers and support people (PerformancePerson with a register id);
- ``competition_event``: the athletes of its entries not withdrawn and their support people;
- ``activity`` (a sunshine home's weekly activity, or one session of it): the home's current
  members and the staff of the home who have a register record.

Every affected person with a caregiver (``Person.guardian_person_id``) also tells that
caregiver, once, about all their dependants. ``affected`` answers in a fixed number of
queries whatever the number of people (the bench queues 2,000 in a bounded number)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import User
from app.athletes.models import AthleteProfile
from app.calendars.sources import absolute_url
from app.competitions.enums import EntryStatus
from app.competitions.models import CompetitionEvent, Entry, EntrySupport, entry_members
from app.core import clock
from app.homes.models import Activity, ActivityException, Home, HomeStaff, Membership
from app.homes.queries import active_on
from app.homes.recurrence import occurrence_at
from app.people.enums import ConsentKind
from app.people.models import Consent, Person, consent_counts
from app.performances.enums import PerformanceStatus
from app.performances.models import Performance, PerformancePerson
from app.venues.models import Venue

KINDS = ("performance", "competition_event", "activity")


@dataclass
class Subject:
    """What a notice is about, as it stands now."""

    kind: str
    id: int
    title: str
    starts_at: datetime | None
    ends_at: datetime | None
    venue: str
    address: str
    cancelled: bool
    contact: str
    url: str
    series: bool = False  # a whole weekly activity rather than one session
    # A home session's original start: what names the occurrence (app/replies' links).
    original_start: datetime | None = None


def _venue(session, venue_id):
    if venue_id is None:
        return "", ""
    venue = session.get(Venue, venue_id)
    return (venue.name, venue.address) if venue is not None else ("", "")


# The subject of each kind from its loaded rows; ``venue(venue_id)`` answers (name, address).
# load_subject (one change) and the reminders (many occurrences, rows loaded in bulk) share them.


def performance_subject(p, venue, contact) -> Subject:
    name, address = venue(p.venue_id)
    return Subject(
        "performance", p.id, p.title, p.starts_at, p.ends_at, name, address,
        PerformanceStatus(p.status) == PerformanceStatus.CANCELLED, contact,
        absolute_url("performances.detail", performance_id=p.id),
    )  # fmt: skip


def event_subject(e, competition, venue, contact) -> Subject:
    name, address = venue(e.venue_id or competition.venue_id)
    return Subject(
        "competition_event", e.id, f"{competition.name} · {e.name}", e.starts_at, e.ends_at,
        name, address, False, contact,
        absolute_url("competitions.detail", competition_id=e.competition_id),
    )  # fmt: skip


def activity_subject(a, home, occurrence, occ, venue, contact) -> Subject:
    """A weekly activity (``occurrence`` None: the whole series) or one session of it.
    ``occ``: the session as app/homes/recurrence.occurrence_at computes it (its exception
    applied), so the notice's time and place are the session page's; None for the series or
    a start the rule no longer gives."""
    if occ is not None:
        starts, ends, venue_id = occ.start, occ.end, occ.venue_id
        cancelled = occ.cancelled or bool(a.is_archived)
    else:
        starts = occurrence or a.starts_at
        ends = starts + timedelta(minutes=a.duration_minutes)
        venue_id = home.venue_id if a.uses_home_venue else a.venue_id
        cancelled = bool(a.is_archived)
    name, address = venue(venue_id)
    return Subject(
        "activity", a.id, f"{home.name} · {a.title}", starts, ends, name or home.name,
        address or home.address, cancelled, home.contact or contact,
        absolute_url("homes.activity", activity_id=a.id), series=occurrence is None,
        original_start=occurrence,
    )  # fmt: skip


def load_subject(session, kind: str, subject_id: int, occurrence: datetime | None, contact=""):
    """The subject as it stands now, or None when it is gone."""

    def venue(venue_id):
        return _venue(session, venue_id)

    if kind == "performance":
        p = session.get(Performance, subject_id)
        return None if p is None else performance_subject(p, venue, contact)
    if kind == "competition_event":
        e = session.get(CompetitionEvent, subject_id)
        return None if e is None else event_subject(e, e.competition, venue, contact)
    if kind == "activity":
        a = session.get(Activity, subject_id)
        if a is None:
            return None
        home = session.get(Home, a.home_id)
        occ = None
        if occurrence is not None:
            exceptions = session.scalars(
                sa.select(ActivityException).where(
                    ActivityException.activity_id == a.id,
                    ActivityException.original_start == occurrence,
                )
            ).all()
            occ = occurrence_at(a, occurrence, exceptions)
        return activity_subject(a, home, occurrence, occ, venue, contact)
    raise ValueError(kind)


def expected_at(session, kind: str, subject_ids) -> dict[int, set[int]]:
    """{subject id: register ids of the people expected at it} for performances (performers
    and support people) and competition events (athletes and support people of the entries
    not withdrawn): one query for any number of subjects (the reminders ask for a day's)."""
    ids = list(subject_ids)
    if kind == "performance":
        rows = session.execute(
            sa.select(PerformancePerson.performance_id, PerformancePerson.person_id).where(
                PerformancePerson.performance_id.in_(ids),
                PerformancePerson.person_id.is_not(None),
            )
        )
    elif kind == "competition_event":
        live = sa.and_(Entry.event_id.in_(ids), Entry.status != EntryStatus.WITHDRAWN)
        athletes = (
            sa.select(Entry.event_id, AthleteProfile.person_id)
            .join(entry_members, entry_members.c.athlete_id == AthleteProfile.id)
            .join(Entry, Entry.id == entry_members.c.entry_id)
            .where(live)
        )
        support = (
            sa.select(Entry.event_id, EntrySupport.person_id)
            .join(Entry, Entry.id == EntrySupport.entry_id)
            .where(live, EntrySupport.person_id.is_not(None))
        )
        rows = session.execute(sa.union(athletes, support))
    else:
        raise ValueError(kind)
    expected: dict[int, set[int]] = {}
    for subject_id, person_id in rows:
        expected.setdefault(subject_id, set()).add(person_id)
    return expected


def members_on(session, home_ids, day) -> dict[int, set[int]]:
    """{home id: register ids of its members on ``day``}: one query."""
    members: dict[int, set[int]] = {}
    for home_id, person_id in session.execute(
        sa.select(Membership.home_id, Membership.person_id).where(
            Membership.home_id.in_(list(home_ids)), active_on(day)
        )
    ):
        members.setdefault(home_id, set()).add(person_id)
    return members


def _direct(session, kind: str, subject_id: int) -> set[int]:
    """Register ids of the people expected at the subject (one or two queries); a home's
    activity tells its staff too."""
    if kind in ("performance", "competition_event"):
        return expected_at(session, kind, [subject_id]).get(subject_id, set())
    if kind == "activity":
        home_id = sa.select(Activity.home_id).where(Activity.id == subject_id).scalar_subquery()
        members = sa.select(Membership.person_id).where(
            Membership.home_id == home_id, active_on(clock.today())
        )
        staff = (
            sa.select(User.person_id)
            .join(HomeStaff, HomeStaff.user_id == User.id)
            .where(HomeStaff.home_id == home_id, User.person_id.is_not(None))
        )
        return set(session.scalars(sa.union(members, staff)))
    raise ValueError(kind)


def affected(session, kind: str, subject_id: int, only: set[int] | None = None):
    """{recipient person id: sorted ids of the people they are told about} — themselves,
    and for a caregiver each dependant affected. ``only`` limits the affected people (a new
    booking tells the people booked, not the whole cast)."""
    direct = _direct(session, kind, subject_id)
    if only is not None:
        direct &= only
    told: dict[int, set[int]] = {pid: {pid} for pid in direct}
    if direct:
        for pid, guardian_id in session.execute(
            sa.select(Person.id, Person.guardian_person_id).where(
                Person.id.in_(direct), Person.guardian_person_id.is_not(None)
            )
        ):
            told.setdefault(guardian_id, set()).add(pid)
    return {pid: sorted(about) for pid, about in told.items()}


@dataclass(frozen=True)
class Recipient:
    id: int
    name: str
    email: str
    phone: str
    has_contact_consent: bool
    wechat_openid: str = ""


def load_people(session, ids) -> tuple[dict[int, Recipient], dict[int, str]]:
    """The people (not archived) as plain rows with whether they may be contacted
    (people.models.consent_counts, Person.has_contact_consent's rule), and each one's language (their account's, else Chinese): three queries of
    plain columns, no ORM objects (2,000 people told at once stay fast)."""
    if not ids:
        return {}, {}
    ids = list(ids)
    today = clock.today()
    givers: dict[int, list] = {}
    for pid, given_by in session.execute(
        sa.select(Consent.person_id, Consent.given_by).where(
            Consent.person_id.in_(ids), Consent.active_of(ConsentKind.CONTACT)
        )
    ):
        givers.setdefault(pid, []).append(given_by)
    people = {}
    for pid, name, email, phone, birth_on, openid in session.execute(
        sa.select(
            Person.id, Person.name, Person.email, Person.phone, Person.birth_on,
            Person.wechat_openid,
        ).where(Person.id.in_(ids), Person.is_archived.is_(False))
    ):  # fmt: skip
        ok = consent_counts(birth_on, givers.get(pid, ()), today)
        people[pid] = Recipient(pid, name, email or "", phone or "", ok, openid or "")
    languages = {
        pid: (lang.value if hasattr(lang, "value") else str(lang))
        for pid, lang in session.execute(
            sa.select(User.person_id, User.language).where(User.person_id.in_(ids))
        )
    }
    return people, languages


def count_told(session, kind: str, subject_id: int) -> int:
    """How many people a change to the subject would tell now (those with contact consent
    and at least one channel): the number the edit forms show."""
    told = affected(session, kind, subject_id)
    people, _ = load_people(session, list(told))
    from app.notices.outbox import person_channels

    return sum(1 for p in people.values() if p.has_contact_consent and person_channels(p))
