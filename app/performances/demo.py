"""Demo data of the performances domain: the "Five Ones" and "Six Into" programmes, the
district's arts troupe with performers from the people register (some sunshine-home members,
some athletes), the report's 59 touring performances of 2017–2021 (workshops and village
auditoriums most) with beneficiaries adding up to exactly 4,586 person-times, and planned and
confirmed performances in the coming months — one with a deliberate, overridden clash.

Every performance is saved through the service, so the clash check runs: a historical
performance that would clash with demo bookings of other kinds (home activities, competition
events) moves to the next free day. Idempotent: programmes and troupes match by name,
members by person, performances by title."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

import sqlalchemy as sa

from app.accounts.enums import Role
from app.core import clock
from app.people.models import Person
from app.performances import services
from app.performances.enums import AccessNeed, BookingRole, PerformanceStatus, Setting, TroupeRole
from app.performances.models import Performance, Programme, Troupe, TroupeMember
from app.venues.enums import VenueKind
from app.venues.models import Venue

FIVE_ONES = "文化助残“五个一”工程"
SIX_INTO = "特殊文艺“六进”活动"
TROUPE = "区残疾人艺术团"
HISTORIC_COUNT = 59
HISTORIC_BENEFICIARIES = 4586
YEARS = (2017, 2018, 2019, 2020, 2021)
PER_YEAR = (12, 12, 12, 12, 11)

# Venue kind -> the setting a performance there counts under.
SETTING_OF_KIND = {
    VenueKind.WORK_THERAPY_WORKSHOP: Setting.WORK_THERAPY_WORKSHOP,
    VenueKind.CULTURAL_AUDITORIUM: Setting.VILLAGE,
    VenueKind.SCHOOL: Setting.SCHOOL,
    VenueKind.COMMUNITY_CENTRE: Setting.COMMUNITY,
    VenueKind.ENTERPRISE: Setting.ENTERPRISE,
    VenueKind.GOVERNMENT_INSTITUTION: Setting.GOVERNMENT_INSTITUTION,
    VenueKind.SUNSHINE_HOME: Setting.FAMILY_HOME,
    VenueKind.OTHER: Setting.OTHER,
}
# How often each kind of venue is visited (workshops and auditoriums most).
KIND_WEIGHTS = {
    VenueKind.WORK_THERAPY_WORKSHOP: 8,
    VenueKind.CULTURAL_AUDITORIUM: 7,
    VenueKind.SCHOOL: 3,
    VenueKind.COMMUNITY_CENTRE: 3,
    VenueKind.ENTERPRISE: 2,
    VenueKind.GOVERNMENT_INSTITUTION: 1,
    VenueKind.SUNSHINE_HOME: 2,
    VenueKind.OTHER: 1,
}
PIECES = (
    "手语歌《感恩的心》",
    "舞蹈《千手观音》",
    "器乐合奏《茉莉花》",
    "诗朗诵《我的梦》",
    "越剧选段",
)


def beneficiary_counts(rng: random.Random) -> list[int]:
    """59 plausible audiences (person-times) adding up to exactly 4,586."""
    counts = [rng.randint(45, 110) for _ in range(HISTORIC_COUNT)]
    diff = HISTORIC_BENEFICIARIES - sum(counts)
    index = 0
    while diff:
        step = 1 if diff > 0 else -1
        if counts[index % HISTORIC_COUNT] + step >= 20:
            counts[index % HISTORIC_COUNT] += step
            diff -= step
        index += 1
    return counts


def _programme(session, name, first, last, description, organisers) -> Programme:
    programme = session.scalar(sa.select(Programme).where(Programme.name == name))
    if programme is None:
        programme = services.create_programme(
            {
                "name": name,
                "first_year": first,
                "last_year": last,
                "description": description,
                "organiser_ids": [u.id for u in organisers],
            }
        )
    return programme


def _performers(people: list[Person], preferred_person_ids) -> list[tuple[Person, TroupeRole]]:
    """Troupe members: the preferred people (home members and athletes, chosen by
    app.demo) first, then other adults of the register."""
    current = [
        p for p in people if not p.is_archived and not p.is_minor() and p.disability_category
    ]
    chosen: list[Person] = []
    by_id = {p.id: p for p in current}
    for pid in preferred_person_ids:
        if pid in by_id and by_id[pid] not in chosen:
            chosen.append(by_id[pid])
    for person in current:
        if len(chosen) >= 8:
            break
        if person not in chosen:
            chosen.append(person)
    roles = [TroupeRole.LEADER] + [TroupeRole.PERFORMER] * (len(chosen) - 1)
    helpers = [p for p in people if not p.is_archived and not p.is_minor() and p not in chosen]
    members = list(zip(chosen, roles, strict=True))
    if helpers:
        members.append((helpers[0], TroupeRole.INTERPRETER))
    if len(helpers) > 1:
        members.append((helpers[1], TroupeRole.CAREGIVER))
    return members


def _troupe(session, members) -> Troupe:
    troupe = session.scalar(sa.select(Troupe).where(Troupe.name == TROUPE))
    if troupe is None:
        troupe = services.create_troupe(
            {"name": TROUPE, "notes": "区残联艺术团，承担“五个一”工程与“六进”巡演。"}
        )
    have = {m.person_id for m in troupe.members}
    for person, role in members:
        if person.id not in have:
            troupe.members.append(TroupeMember(person_id=person.id, role=role))
    session.flush()
    return troupe


def _save(data: dict, *, actor=None, override_reason="", tries: int = 1):
    """Save through the service; on a clash move a day later (up to ``tries`` days)."""
    for _attempt in range(tries):
        try:
            with_savepoint = services.db.session.begin_nested()
            result = services.save_performance(
                None, dict(data), actor=actor, override_reason=override_reason
            )
            with_savepoint.commit()
            return result.performance
        except services.ClashError:
            with_savepoint.rollback()
            data["starts_at"] += timedelta(days=1)
            data["ends_at"] += timedelta(days=1)
    return None


def load_performances(session, towns, people, users, preferred_person_ids=()) -> None:
    """Called by app.demo.load_demo after homes, with the people to cast first in the troupe
    (three home members and two athletes: performances do not import those domains)."""
    organiser, admin = users.get("organiser"), users.get("admin")
    organisers = [u for u in (organiser, admin) if u is not None and u.has_any_role(Role.ORGANISER)]
    if not organisers or not people:
        return
    five = _programme(
        session,
        FIVE_ONES,
        2017,
        2021,
        "文化助残“五个一”工程：一台节目、一支队伍、一批作品、一个阵地、一套机制。",
        organisers,
    )
    six = _programme(
        session,
        SIX_INTO,
        2017,
        None,
        "特殊文艺进社区、进学校、进企业、进农村、进机关、进家庭。",
        organisers,
    )
    members = _performers(people, preferred_person_ids)
    troupe = _troupe(session, members)
    existing = set(session.scalars(sa.select(Performance.title)))
    venues = list(
        session.scalars(sa.select(Venue).where(Venue.is_archived.is_(False)).order_by(Venue.id))
    )
    if not venues:
        return
    _historic(session, five, six, troupe, members, venues, existing, organiser)
    _upcoming(session, six, troupe, members, venues, existing, organiser)
    session.flush()


def _historic(session, five, six, troupe, members, venues, existing, actor) -> None:
    rng = random.Random(59)  # noqa: S311  (demo data, same every time)
    weighted = [v for v in venues for _ in range(KIND_WEIGHTS.get(v.kind, 1))]
    counts = beneficiary_counts(rng)
    performers = [p for p, role in members if role in (TroupeRole.PERFORMER, TroupeRole.LEADER)]
    number = 0
    for year, per_year in zip(YEARS, PER_YEAR, strict=True):
        for k in range(per_year):
            number += 1
            title = f"“六进”巡演第{number}场"
            venue = weighted[rng.randrange(len(weighted))]
            if title in existing:
                continue
            day = date(year, 1 + k, 1) + timedelta(days=rng.randrange(8, 26))
            if day.weekday() >= 5:
                day -= timedelta(days=2)
            hour = rng.choice((9, 14))
            beneficiaries = counts[number - 1]
            booked = rng.sample(performers, k=min(4, len(performers)))
            data = {
                "title": title,
                "programme_id": (five if number % 3 == 0 else six).id,
                "troupe_id": troupe.id,
                "setting": SETTING_OF_KIND.get(venue.kind, Setting.OTHER),
                "venue_id": venue.id,
                "starts_at": clock.local_instant(day, time(hour)),
                "ends_at": clock.local_instant(day, time(hour + 2)),
                "status": PerformanceStatus.DONE,
                "is_public": True,
                "needs": [AccessNeed.ACCESSIBLE_SEATING],
                "audience": beneficiaries + rng.randint(5, 30),
                "audience_disabled": round(beneficiaries * 0.6),
                "beneficiaries": beneficiaries,
                "report": f"演出{PIECES[number % len(PIECES)]}等节目，现场反响热烈。",
                "people": [
                    {"person_id": p.id, "role": BookingRole.PERFORMER, "uses_wheelchair": False}
                    for p in booked
                ],
            }
            _save(data, actor=actor, tries=10)


def _upcoming(session, six, troupe, members, venues, existing, actor) -> None:
    """Planned and confirmed performances after 2026-11-29, one with an overridden clash."""
    by_kind = {}
    for venue in venues:
        by_kind.setdefault(venue.kind, []).append(venue)

    def venue_of(kind, index=0):
        found = by_kind.get(kind) or venues
        return found[index % len(found)]

    performers = [p for p, role in members if role in (TroupeRole.PERFORMER, TroupeRole.LEADER)]
    interpreter = next((p for p, role in members if role is TroupeRole.INTERPRETER), None)
    caregiver = next((p for p, role in members if role is TroupeRole.CAREGIVER), None)

    def booking(person, role, chair=False):
        return {"person_id": person.id, "role": role, "uses_wheelchair": chair}

    base = [booking(p, BookingRole.PERFORMER) for p in performers[:3]]
    support = [booking(interpreter, BookingRole.INTERPRETER)] if interpreter else []
    plans = [
        # (title, day, hour, venue, status, public, needs, people)
        (
            "2026 岁末“六进”巡演·进社区",
            date(2026, 12, 12),
            14,
            venue_of(VenueKind.COMMUNITY_CENTRE),
            PerformanceStatus.CONFIRMED,
            True,
            [AccessNeed.SIGN_LANGUAGE, AccessNeed.HEARING_LOOP],
            base + support,
        ),
        (
            "2026 岁末“六进”巡演·进校园",
            date(2026, 12, 18),
            9,
            venue_of(VenueKind.SCHOOL),
            PerformanceStatus.CONFIRMED,
            True,
            [AccessNeed.SIGN_LANGUAGE],
            base + support,
        ),
        (
            "元旦慰问演出·进工疗站",
            date(2026, 12, 30),
            14,
            venue_of(VenueKind.WORK_THERAPY_WORKSHOP),
            PerformanceStatus.PLANNED,
            True,
            [],
            base,
        ),
        (
            "新春“六进”巡演·进农村（万竹村）",
            date(2027, 1, 16),
            14,
            venue_of(VenueKind.CULTURAL_AUDITORIUM, 2),
            PerformanceStatus.PLANNED,
            True,
            [AccessNeed.SIGN_LANGUAGE],
            [booking(performers[0], BookingRole.PERFORMER, chair=True)]
            + [booking(p, BookingRole.PERFORMER) for p in performers[1:3]],
        ),
        (
            "新春“六进”巡演·进企业",
            date(2027, 2, 20),
            10,
            venue_of(VenueKind.ENTERPRISE),
            PerformanceStatus.PLANNED,
            False,
            [],
            base + ([booking(caregiver, BookingRole.CAREGIVER)] if caregiver else []),
        ),
    ]
    for title, day, hour, venue, status, public, needs, booked in plans:
        if title in existing:
            continue
        _save(
            {
                "title": title,
                "programme_id": six.id,
                "troupe_id": troupe.id,
                "setting": SETTING_OF_KIND.get(venue.kind, Setting.OTHER),
                "venue_id": venue.id,
                "starts_at": clock.local_instant(day, time(hour)),
                "ends_at": clock.local_instant(day, time(hour + 2)),
                "status": status,
                "is_public": public,
                "needs": needs,
                "people": booked,
            },
            actor=actor,
            tries=7,
        )
    # The deliberate clash: the interpreter of the school show is also wanted at the
    # federation's open day the same morning; the organiser overrides with a reason.
    title = "国际残疾人日开放日·手语节目"
    if title not in existing and interpreter is not None:
        _save(
            {
                "title": title,
                "programme_id": six.id,
                "troupe_id": troupe.id,
                "setting": Setting.GOVERNMENT_INSTITUTION,
                "venue_id": venue_of(VenueKind.GOVERNMENT_INSTITUTION).id,
                "starts_at": clock.local_instant(date(2026, 12, 18), time(10)),
                "ends_at": clock.local_instant(date(2026, 12, 18), time(11)),
                "status": PerformanceStatus.CONFIRMED,
                "is_public": True,
                "needs": [AccessNeed.SIGN_LANGUAGE],
                "people": [booking(interpreter, BookingRole.INTERPRETER)]
                + [booking(p, BookingRole.PERFORMER) for p in performers[3:5]],
            },
            actor=actor,
            override_reason="手语翻译在校园场开场后由志愿者接送至区残联，校园场后半段由学校手语老师接替。",
        )
    # A postponement with its history: the workshop show moves a week later.
    postponed = session.scalar(
        sa.select(Performance).where(Performance.title == "元旦慰问演出·进工疗站")
    )
    if postponed is not None and not postponed.reschedules:
        data = {
            "title": postponed.title,
            "programme_id": postponed.programme_id,
            "troupe_id": postponed.troupe_id,
            "setting": postponed.setting,
            "venue_id": postponed.venue_id,
            "starts_at": postponed.starts_at + timedelta(days=7),
            "ends_at": postponed.ends_at + timedelta(days=7),
            "status": PerformanceStatus.POSTPONED,
            "is_public": postponed.is_public,
            "needs": list(postponed.need_set),
            "people": [
                booking(p.person, p.role, p.uses_wheelchair)
                for p in postponed.people
                if p.person is not None
            ],
            "reschedule_reason": "工疗站年末盘点，推迟一周。",
        }
        try:
            with_savepoint = services.db.session.begin_nested()
            services.save_performance(postponed, data, version=postponed.version, actor=actor)
            with_savepoint.commit()
        except services.ClashError:
            with_savepoint.rollback()
