"""Generated data for the term report (tests and bench/report.py): random competitions and
results, athletes and classifications, performances, homes, memberships and attendance,
inserted in bulk, and the figures the report must show computed here in Python from the
same rows (the sums of the underlying records)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from app.core import clock
from app.extensions import db

STAGES = ["identified", "screened", "trial_training", "reserve", "squad", "retired"]
SOURCES = ["sunshine_home", "special_school", "community_survey", "referral", "competition"]
LEVELS = ["international", "national", "provincial", "city", "district"]
MEDALS = ["gold", "silver", "bronze", "none"]
SETTINGS = ["village", "community", "work_therapy_workshop", "school"]
KINDS = ["rehab_exercise", "recreation", "craft_work", "counselling"]
SERVICES = ("day_care", "rehab_recreation", "sheltered_employment")


def _day(rng: random.Random, first_year: int = 2015, last_year: int = 2024) -> date:
    start = date(first_year, 1, 1)
    return start + timedelta(days=rng.randrange((date(last_year, 12, 31) - start).days + 1))


def _bulk(table, rows: list[dict]) -> None:
    for i in range(0, len(rows), 5000):
        db.session.execute(sa.insert(table), rows[i : i + 5000])


def seed(
    scale: int = 1, rng_seed: int = 8, first: date = date(2017, 1, 1), last=date(2021, 12, 31)
):
    """Insert about ``scale`` × (40 competitions, 400 results, 60 performances, 6 homes, 120
    memberships, 1,200 attendance marks, 60 athletes) and return the expected figures for
    the period ``first`` – ``last``."""
    from app.accounts import services as accounts
    from app.athletes.models import AthleteProfile, Classification
    from app.athletes.reference import ensure_sports
    from app.competitions.models import Competition, CompetitionEvent, Entry, Result
    from app.core.reference import ensure_towns
    from app.homes import recurrence
    from app.homes.models import Activity, Attendance, Home, Membership, MembershipService
    from app.people.models import Person
    from app.performances import services as performance_services
    from app.performances.models import Performance
    from app.venues import services as venue_services

    rng = random.Random(rng_seed)  # noqa: S311  (test data)
    towns = ensure_towns(db.session)
    sports = [s.id for s in ensure_sports(db.session)]
    user = accounts.create_user(
        username=f"seed-organiser-{rng_seed}",
        display_name="Seed",
        password="seed orchard lantern river",
        roles=["organiser"],
    )
    programme = performance_services.create_programme(
        {"name": f"Seed programme {rng_seed}", "first_year": 2015, "organiser_ids": [user.id]}
    )
    venues = [
        venue_services.create_venue(
            name=f"生成场地{rng_seed}-{i}", kind="cultural_auditorium", town_id=towns[i % 12].id
        )
        for i in range(6)
    ]
    db.session.flush()
    base = (db.session.scalar(sa.select(sa.func.max(Person.id))) or 0) + 1
    n_people = 200 * scale
    _bulk(
        Person,
        [
            {
                "id": base + i,
                "name": f"生成{base + i}",
                "gender": "male",
                "birth_on": date(1990, 1, 1),
            }
            for i in range(n_people)
        ],
    )
    people = list(range(base, base + n_people))
    in_period = lambda d: first <= d <= last  # noqa: E731
    expected: dict = {}

    # Athletes and classifications.
    athletes, stages, found, due = [], Counter(), 0, 0
    for i in range(60 * scale):
        stage, discovered = rng.choice(STAGES), _day(rng)
        athletes.append(
            {
                "id": base + i,
                "person_id": people[i],
                "primary_sport_id": sports[0],
                "stage": stage,
                "stage_since": discovered,
                "squad_level": "none",
                "discovery_source": rng.choice(SOURCES),
                "discovered_on": discovered,
                "version": 1,
            }
        )
        stages[stage] += 1
        found += in_period(discovered)
    _bulk(AthleteProfile, athletes)
    classifications = []
    for a in athletes:
        if rng.random() < 0.5:
            status, review = rng.choice(["new", "review", "review_by_date", "confirmed"]), _day(rng)
            classifications.append(
                {
                    "athlete_id": a["id"],
                    "sport_id": sports[0],
                    "class_code": "ST",
                    "status": status,
                    "review_on": review,
                    "version": 1,
                }
            )
            due += status != "confirmed" and a["stage"] != "retired" and in_period(review)
    _bulk(Classification, classifications)
    expected["stages"], expected["found"], expected["due"] = stages, found, due

    # Competitions, one event each, results with medals.
    medals = Counter()
    comp_base = (db.session.scalar(sa.select(sa.func.max(Competition.id))) or 0) + 1
    competitions, events, entries, results = [], [], [], []
    entry_id = (db.session.scalar(sa.select(sa.func.max(Entry.id))) or 0) + 1
    for c in range(40 * scale):
        cid, start = comp_base + c, _day(rng)
        competitions.append(
            {
                "id": cid,
                "name": f"生成比赛{cid}",
                "level": rng.choice(LEVELS),
                "start_on": start,
                "end_on": start,
                "status": "finished",
                "version": 1,
            }
        )
        events.append(
            {
                "id": cid,
                "competition_id": cid,
                "name": "小项",
                "sport_id": sports[0],
                "gender": "mixed",
                "is_team": False,
                "version": 1,
            }
        )
        for _r in range(10):
            medal = rng.choice(MEDALS)
            status = "OK" if rng.random() < 0.9 else "DNS"
            medal = medal if status == "OK" else "none"
            entries.append({"id": entry_id, "event_id": cid, "status": "confirmed", "version": 1})
            results.append({"id": entry_id, "entry_id": entry_id, "status": status, "medal": medal})
            entry_id += 1
            if status == "OK" and medal != "none" and in_period(start):
                medals[medal] += 1
    _bulk(Competition, competitions)
    _bulk(CompetitionEvent, events)
    _bulk(Entry, entries)
    _bulk(Result, results)
    expected["medals"] = medals

    # Performances.
    held, beneficiaries, by_setting = 0, 0, Counter()
    rows = []
    for i in range(60 * scale):
        begins = datetime.combine(_day(rng), time(2), tzinfo=UTC)
        status = rng.choice(["done", "done", "done", "cancelled", "planned"])
        setting, count = rng.choice(SETTINGS), rng.randrange(0, 150)
        rows.append(
            {
                "programme_id": programme.id,
                "title": f"生成演出{i}",
                "setting": setting,
                "venue_id": rng.choice(venues).id,
                "starts_at": begins,
                "ends_at": begins + timedelta(hours=2),
                "held_on": clock.local_date(begins),
                "status": status,
                "is_public": True,
                "beneficiaries": count if status == "done" else None,
                "version": 1,
            }
        )
        if status == "done" and in_period(begins.date()):
            held, beneficiaries = held + 1, beneficiaries + count
            by_setting[setting] += count
    _bulk(Performance, rows)
    expected["performances"], expected["beneficiaries"] = held, beneficiaries
    expected["by_setting"] = by_setting

    # Homes, memberships, activities and attendance.
    home_base = (db.session.scalar(sa.select(sa.func.max(Home.id))) or 0) + 1
    homes, open_homes, open_towns = [], 0, set()
    for h in range(6 * scale):
        hid, opened, town = home_base + h, _day(rng, 2014, 2023), towns[rng.randrange(12)].id
        homes.append(
            {
                "id": hid,
                "name": f"生成家园{hid}",
                "kind": "sunshine_home",
                "town_id": town,
                "opened_on": opened,
                "version": 1,
            }
        )
        if opened <= last:
            open_homes, _ = open_homes + 1, open_towns.add(town)
    _bulk(Home, homes)
    expected["homes"], expected["towns"] = open_homes, len(open_towns)
    ms_base = (db.session.scalar(sa.select(sa.func.max(Membership.id))) or 0) + 1
    memberships, services, served = [], [], set()
    for i in range(120 * scale):
        joined = _day(rng)
        left = joined + timedelta(days=rng.randrange(30, 2000)) if rng.random() < 0.4 else None
        person = people[i % n_people]
        memberships.append(
            {
                "id": ms_base + i,
                "person_id": person,
                "home_id": homes[i % len(homes)]["id"],
                "joined_on": joined,
                "left_on": left,
                "left_reason": "moved_away" if left else None,
                "version": 1,
            }
        )
        services.append({"membership_id": ms_base + i, "service": SERVICES[i % 3]})
        if joined <= last and (left is None or left >= first):
            served.add(person)
    _bulk(Membership, memberships)
    _bulk(MembershipService, services)
    expected["members"] = len(served)
    act_base = (db.session.scalar(sa.select(sa.func.max(Activity.id))) or 0) + 1
    activities = []
    for h, home in enumerate(homes):
        starts_at = datetime(2016, 1, 4, 1, tzinfo=UTC)  # a Monday, 09:00 in Beijing
        rule = recurrence.build_rrule([0], 1, until_on=date(2024, 12, 30))
        activities.append(
            {
                "id": act_base + h,
                "home_id": home["id"],
                "title": f"生成活动{act_base + h}",
                "kind": KINDS[h % len(KINDS)],
                "starts_at": starts_at,
                "duration_minutes": 120,
                "rrule": rule,
                "series_end_at": recurrence.series_end(starts_at, rule, timedelta(hours=2)),
                "is_public": True,
                "is_archived": False,
                "version": 1,
            }
        )
    _bulk(Activity, activities)
    marks, seen, attendance = [], set(), 0
    while len(marks) < 1200 * scale:
        act = rng.choice(activities)
        start = act["starts_at"] + timedelta(weeks=rng.randrange(0, 470))
        person = rng.choice(people)
        if (act["id"], start, person) in seen:
            continue
        seen.add((act["id"], start, person))
        present = rng.random() < 0.85
        marks.append(
            {
                "activity_id": act["id"],
                "occurrence_start": start,
                "person_id": person,
                "status": "present" if present else "absent",
                "absence_reason": None if present else "ill",
                "recorded_at": start,
            }
        )
        attendance += present and in_period(start.date())
    _bulk(Attendance, marks)
    expected["attendance"] = attendance
    db.session.commit()
    return expected
