"""Demo data of the homes domain.

Twelve homes, one in each town and sub-district, opened 2017–2021, together serving exactly
578 members over 2017-01-01 – 2021-12-31 (the source report's figure: distinct people with a
membership overlapping that period), plus a few who joined later. Members are synthetic
people of the register, inserted in bulk so that tests and the browser crawl load fast; the
participant account's person and a few athletes are members too. Every home runs weekly
activities (every kind appears) from March 2026 into 2027, with the National Day and New
Year's Day sessions cancelled and one outing moved; the main activity of each home has
roll-call history since October 2026 (a few thousand rows), with two members who need a call.
Idempotent: nothing is added when the homes exist."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

import sqlalchemy as sa

from app.core import clock
from app.homes import recurrence
from app.homes.enums import (
    AbsenceReason,
    ActivityKind,
    AttendanceStatus,
    ExceptionKind,
    HomeKind,
    LeftReason,
    Service,
)
from app.homes.models import (
    Activity,
    ActivityException,
    Attendance,
    Home,
    HomeService,
    HomeStaff,
    Membership,
    MembershipService,
)
from app.people import services as people_services
from app.people.enums import (
    ConsentGivenBy,
    ConsentKind,
    DisabilityCategory,
    DisabilityGrade,
    Gender,
)
from app.people.models import Consent, Person
from app.venues.enums import VenueKind
from app.venues.models import Venue

PERIOD = (date(2017, 1, 1), date(2021, 12, 31))
MEMBERS_IN_PERIOD = 578
LATER_MEMBERS = 30
DEMO_TODAY = date(2026, 11, 29)
SERIES_FIRST_DAY = date(2026, 3, 2)
SERIES_LAST_DAY = date(2027, 6, 30)
ROLL_CALL_FROM = date(2026, 10, 1)
PREFIX = "示例·"
SURNAMES = "张王李赵陈刘杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "明芳伟静磊丽强敏军燕洋艳勇娟杰霞涛萍超婷晨阳思远雨桐浩然欣怡宇航佳琪一鸣晓东海燕建华秀英国庆文博"

# (town, home name, kind, existing venue name or None, opened on, capacity)
HOMES = (
    (
        "锦屏街道",
        "锦屏街道阳光家园",
        HomeKind.SUNSHINE_HOME,
        "锦屏街道阳光家园",
        date(2017, 3, 1),
        60,
    ),
    ("岳林街道", "岳林街道阳光家园", HomeKind.SUNSHINE_HOME, None, date(2017, 6, 15), 55),
    (
        "江口街道",
        "江口街道阳光家园",
        HomeKind.SUNSHINE_HOME,
        "江口街道阳光家园",
        date(2017, 9, 1),
        50,
    ),
    ("西坞街道", "西坞街道工疗站", HomeKind.WORK_THERAPY, "西坞街道工疗站", date(2018, 1, 8), 50),
    ("萧王庙街道", "萧王庙街道阳光家园", HomeKind.SUNSHINE_HOME, None, date(2018, 5, 2), 45),
    ("方桥街道", "方桥街道工疗站", HomeKind.WORK_THERAPY, None, date(2018, 10, 8), 45),
    ("溪口镇", "溪口镇阳光家园", HomeKind.SUNSHINE_HOME, None, date(2019, 3, 1), 55),
    ("莼湖镇", "莼湖镇工疗站", HomeKind.WORK_THERAPY, None, date(2019, 7, 1), 45),
    ("裘村镇", "裘村镇阳光家园", HomeKind.SUNSHINE_HOME, None, date(2020, 1, 6), 40),
    ("大堰镇", "大堰镇阳光家园", HomeKind.SUNSHINE_HOME, None, date(2020, 9, 1), 35),
    ("松岙镇", "松岙镇阳光家园", HomeKind.SUNSHINE_HOME, None, date(2021, 3, 1), 35),
    (
        "尚田镇",
        "尚田镇阳光工疗车间",
        HomeKind.WORK_THERAPY,
        "尚田镇阳光工疗车间",
        date(2021, 6, 1),
        40,
    ),
)
KINDS = list(ActivityKind)
TITLES = {
    ActivityKind.REHAB_EXERCISE: "康复训练",
    ActivityKind.RECREATION: "文娱活动",
    ActivityKind.CRAFT_WORK: "手工与辅助性就业",
    ActivityKind.COUNSELLING: "心理辅导",
    ActivityKind.PEER_SUPPORT: "同伴支持小组",
    ActivityKind.SPORTS: "趣味体育",
    ActivityKind.CULTURE: "书画与合唱",
    ActivityKind.OUTING: "社区外出",
}


def load_homes(session, towns, people, users, athlete_person_ids=()) -> None:
    """Called by app.demo.load_demo after competitions, with the person ids of the first
    athletes (by profile id; homes do not import the athletes domain)."""
    if session.scalar(sa.select(sa.func.count(Home.id))):
        return
    rng = random.Random(578)  # noqa: S311  (demo data, not security: same demo every time)
    by_town = {t.name: t for t in towns}
    homes = _homes(session, by_town, users)
    _members(session, rng, homes, people, users, athlete_person_ids)
    activities = _activities(session, homes, people, users)
    _exceptions(session, activities)
    _attendance(session, rng, homes, activities, users)
    session.flush()


def _homes(session, by_town, users) -> list[Home]:
    """The homes use the demo's sunshine-home and workshop venues; elsewhere the town's
    community centre or another venue of the town hosts them (no venue is added)."""
    preference = [
        VenueKind.SUNSHINE_HOME,
        VenueKind.WORK_THERAPY_WORKSHOP,
        VenueKind.COMMUNITY_CENTRE,
        VenueKind.CULTURAL_AUDITORIUM,
        VenueKind.SCHOOL,
        VenueKind.ENTERPRISE,
        VenueKind.SPORTS_VENUE,
        VenueKind.GOVERNMENT_INSTITUTION,
        VenueKind.OTHER,
    ]
    all_venues = list(session.scalars(sa.select(Venue).order_by(Venue.id)))
    venues = {v.name: v for v in all_venues}
    homes = []
    for index, (town_name, name, kind, venue_name, opened_on, capacity) in enumerate(HOMES):
        town = by_town[town_name]
        venue = venues.get(venue_name or name)
        if venue is None:
            in_town = [v for v in all_venues if v.town_id == town.id and not v.is_archived]
            in_town.sort(key=lambda v: preference.index(v.kind))
            venue = in_town[0] if in_town else None
        home = Home(
            name=name,
            kind=kind,
            town_id=town.id,
            address=venue.address if venue else f"{town_name}示例路 {index + 10} 号",
            venue_id=venue.id if venue else None,
            operator=f"{town_name}残疾人联合会（民办公助）",
            capacity=capacity,
            opened_on=opened_on,
            contact=f"示例联系人 0574-8800 {1000 + index:04d}",
        )
        services = (
            [Service.SHELTERED_EMPLOYMENT, Service.REHAB_RECREATION]
            if kind == HomeKind.WORK_THERAPY
            else list(Service)
        )
        home.service_rows = [HomeService(service=s) for s in services]
        session.add(home)
        homes.append(home)
    session.flush()
    staff = users.get("staff")
    if staff is not None:
        for home in homes[:2]:
            session.add(HomeStaff(home_id=home.id, user_id=staff.id))
    return homes


def _random_day(rng, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _members(session, rng, homes, people, users, athlete_person_ids) -> None:
    """578 distinct people in the period: the participant's person, three athletes and
    synthetic people; plus LATER_MEMBERS synthetic people who joined after 2021."""
    participant = users.get("participant")
    special: list[int] = []
    if participant is not None and participant.person_id:
        special.append(participant.person_id)
    special += [pid for pid in athlete_person_ids[:6] if pid not in special][:3]
    synthetic = MEMBERS_IN_PERIOD - len(special) + LATER_MEMBERS
    person_ids = special + _bulk_people(session, rng, homes, synthetic)
    weights = [h.capacity for h in homes]
    memberships = []
    for n, person_id in enumerate(person_ids):
        home = homes[0] if n == 0 and special else rng.choices(homes, weights)[0]
        later = n >= MEMBERS_IN_PERIOD
        if later:
            joined = _random_day(rng, date(2022, 3, 1), date(2026, 9, 30))
        elif n == 0 and special:
            joined = date(2020, 5, 6)
        else:
            joined = _random_day(rng, home.opened_on, PERIOD[1])
        left = reason = None
        if not later and n >= len(special) and rng.random() < 0.14:
            left = _random_day(rng, joined, date(2025, 12, 31))
            reason = rng.choice(list(LeftReason))
        services = (
            [Service.DAY_CARE, Service.REHAB_RECREATION]
            if home.kind == HomeKind.SUNSHINE_HOME and rng.random() < 0.6
            else [rng.choice([s.service for s in home.service_rows])]
        )
        memberships.append((person_id, home.id, joined, left, reason, services))
    ids = session.scalars(
        sa.insert(Membership).returning(Membership.id, sort_by_parameter_order=True),
        [
            {
                "person_id": p,
                "home_id": h,
                "joined_on": j,
                "left_on": lo,
                "left_reason": r,
                "left_note": "",
            }
            for p, h, j, lo, r, _s in memberships
        ],
    ).all()
    session.execute(
        sa.insert(MembershipService),
        [
            {"membership_id": mid, "service": s}
            for mid, (*_rest, services) in zip(ids, memberships, strict=True)
            for s in services
        ],
    )


def _bulk_people(session, rng, homes, count: int) -> list[int]:
    rows = []
    for n in range(count):
        home = homes[n % len(homes)]
        plain = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        rows.append(
            {
                "name": PREFIX + plain,
                # As the people register stores it: the roll-call and lists sort by pinyin.
                "name_pinyin": people_services.pinyin_for(plain),
                "gender": Gender.MALE if n % 2 else Gender.FEMALE,
                "birth_on": date(rng.randint(1960, 2003), rng.randint(1, 12), rng.randint(1, 28)),
                "town_id": home.town_id,
                "phone": "",
                "address": "",
                "disability_category": rng.choice(
                    [
                        DisabilityCategory.INTELLECTUAL,
                        DisabilityCategory.INTELLECTUAL,
                        DisabilityCategory.MENTAL,
                        DisabilityCategory.PHYSICAL,
                    ]
                ),
                "disability_grade": rng.choice(
                    [DisabilityGrade.GRADE_3, DisabilityGrade.GRADE_4, DisabilityGrade.GRADE_2]
                ),
                "certificate_masked": "",
                "guardian_name": "",
                "guardian_phone": "",
                "notes": "",
                "is_archived": False,
            }
        )
    ids = list(
        session.scalars(
            sa.insert(Person).returning(Person.id, sort_by_parameter_order=True), rows
        ).all()
    )
    session.execute(
        sa.insert(Consent),
        [
            {
                "person_id": pid,
                "kind": ConsentKind.COLLECTION,
                "given_on": date(2021, 12, 1),
                "given_by": ConsentGivenBy.SELF,
                "guardian_name": "",
                "notice_version": "2021-01",
            }
            for pid in ids
        ],
    )
    return ids


def _activities(session, homes, people, users) -> list[tuple[Activity, bool]]:
    """(activity, has roll-call history)."""
    # A leader is one of the home's staff with a person record (what the form offers).
    staff = users.get("staff")
    staff_person = getattr(staff, "person_id", None)
    staffed = (
        set(session.scalars(sa.select(HomeStaff.home_id).where(HomeStaff.user_id == staff.id)))
        if staff_person
        else set()
    )
    out = []
    for i, home in enumerate(homes):
        main_kind = KINDS[i % len(KINDS)]
        plan = [
            (TITLES[main_kind], main_kind, [i % 5], time(9, 0), time(11, 0), True, 1, True),
            (
                TITLES[KINDS[(i + 3) % len(KINDS)]],
                KINDS[(i + 3) % len(KINDS)],
                sorted({(i + 2) % 5, (i + 4) % 5}),
                time(14, 0),
                time(15, 30),
                False,
                1,
                False,
            ),
        ]
        if i % 2 == 0:
            plan.append(
                ("外出活动", ActivityKind.OUTING, [5], time(9, 0), time(15, 0), True, 2, False)
            )
        if i == 0:
            plan.append(
                (
                    "周末同伴支持",
                    ActivityKind.PEER_SUPPORT,
                    [6],
                    time(14, 0),
                    time(16, 0),
                    False,
                    1,
                    False,
                )
            )
            plan.append(
                (
                    "每日晨练",
                    ActivityKind.REHAB_EXERCISE,
                    [0, 1, 2, 3, 4],
                    time(8, 30),
                    time(9, 0),
                    True,
                    1,
                    False,
                )
            )
        for title, kind, days, start, end, public, interval, roll in plan:
            starts_at = recurrence.first_start_on_or_after(SERIES_FIRST_DAY, days, start)
            rule = recurrence.build_rrule(days, interval, until_on=SERIES_LAST_DAY)
            minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
            activity = Activity(
                home_id=home.id,
                title=title,
                kind=kind,
                venue_id=home.venue_id,
                uses_home_venue=True,
                leader_person_id=staff_person if roll and home.id in staffed else None,
                starts_at=starts_at,
                duration_minutes=minutes,
                rrule=rule,
                series_end_at=recurrence.series_end(starts_at, rule, timedelta(minutes=minutes)),
                capacity=home.capacity,
                is_public=public,
                description="",
            )
            session.add(activity)
            out.append((activity, roll))
    session.flush()
    return out


def _exceptions(session, activities) -> None:
    holidays = (
        (date(2026, 10, 1), date(2026, 10, 7), "国庆节放假"),
        (date(2027, 1, 1), date(2027, 1, 1), "元旦放假"),
    )
    rows = []
    for activity, _roll in activities:
        for first, last, reason in holidays:
            start, end = recurrence.local_day_window(first, last)
            for occ in recurrence.occurrences(activity, start, end, ()):
                rows.append(
                    ActivityException(
                        activity_id=activity.id,
                        original_start=occ.original_start,
                        kind=ExceptionKind.CANCELLED,
                        reason=reason,
                    )
                )
    # One outing moved to the Sunday after, indoors, because of rain in the forecast.
    outing = next(a for a, _r in activities if a.kind == ActivityKind.OUTING)
    start, end = recurrence.local_day_window(
        DEMO_TODAY + timedelta(days=7), DEMO_TODAY + timedelta(days=21)
    )
    occ = recurrence.occurrences(outing, start, end, ())[0]
    indoor = session.scalar(
        sa.select(Venue.id).where(Venue.kind == VenueKind.CULTURAL_AUDITORIUM).order_by(Venue.id)
    )
    rows.append(
        ActivityException(
            activity_id=outing.id,
            original_start=occ.original_start,
            kind=ExceptionKind.MOVED,
            new_start=occ.start + timedelta(days=1),
            new_end=occ.end + timedelta(days=1),
            new_venue_id=indoor,
            reason="天气预报有雨，改到周日并换到室内场地",
        )
    )
    session.add_all(rows)
    session.flush()


def _attendance(session, rng, homes, activities, users) -> None:
    """Roll-call history of each home's main activity from ROLL_CALL_FROM to today: most
    members present; in the first home one member absent at the last three sessions and one
    not present since the first sessions (the dashboard's two kinds of alert)."""
    staff = users.get("staff")
    now = clock.now()
    start, _e = recurrence.local_day_window(ROLL_CALL_FROM)
    members = session.execute(
        sa.select(
            Membership.home_id, Membership.person_id, Membership.joined_on, Membership.left_on
        ).order_by(Membership.id)
    ).all()
    by_home: dict[int, list] = {}
    for home_id, person_id, joined, left in members:
        by_home.setdefault(home_id, []).append((person_id, joined, left))
    first_home = homes[0].id
    rows = []
    for activity, roll in activities:
        if not roll:
            continue
        exceptions = session.scalars(
            sa.select(ActivityException).where(ActivityException.activity_id == activity.id)
        ).all()
        occs = [
            o
            for o in recurrence.occurrences(
                activity, start, now, exceptions, include_cancelled=False
            )
            if o.end <= now
        ]
        people = [
            (pid, joined, left)
            for pid, joined, left in by_home.get(activity.home_id, [])
            if left is None
        ]
        # Two planted alerts in the first home (not the participant, who comes first).
        planted = {people[1][0], people[2][0]} if activity.home_id == first_home else set()
        for index, occ in enumerate(occs):
            day = occ.local_start.date()
            for pid, joined, _left in people:
                if joined > day:
                    continue
                if pid in planted:
                    absent = pid == people[1][0] or index >= len(occs) - 3
                else:
                    absent = rng.random() < 0.12
                rows.append(
                    {
                        "activity_id": activity.id,
                        "occurrence_start": occ.original_start,
                        "person_id": pid,
                        "status": AttendanceStatus.ABSENT if absent else AttendanceStatus.PRESENT,
                        "absence_reason": rng.choice(list(AbsenceReason)) if absent else None,
                        "recorded_by_id": staff.id if staff is not None else None,
                        "recorded_at": occ.end + timedelta(minutes=5),
                    }
                )
    if rows:
        session.execute(sa.insert(Attendance), rows)
