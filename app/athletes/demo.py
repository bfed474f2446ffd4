"""Demo athletes: about 25, archery-heavy, across every stage — a retired Paralympic
champion, the current squad, the reserve, trial trainees, and new talents found at sunshine
homes and the special school — with three years of screenings and sport classes (one review
due next month). Idempotent: people who are athletes already are left alone."""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from app.athletes import services
from app.athletes.enums import Stage
from app.athletes.models import AthleteProfile
from app.athletes.reference import ensure_measures, ensure_sports
from app.core import clock
from app.people.models import Person

# (main sport, final stage, squad level, how found, years since found, child?, coached by
#  the demo coach?, class code or "", note)
PLAN = (
    (
        "archery",
        Stage.RETIRED,
        "national",
        "competition",
        14,
        False,
        True,
        "W1",
        "残奥会射箭冠军，退役后担任青少年队助理教练。",
    ),
    ("archery", Stage.SQUAD, "national", "sunshine_home", 8, False, True, "W1", ""),
    ("archery", Stage.SQUAD, "provincial", "special_school", 6, False, True, "Open", ""),
    ("archery", Stage.SQUAD, "provincial", "community_survey", 5, False, True, "Open", ""),
    ("archery", Stage.SQUAD, "city", "referral", 5, False, True, "VI 1", ""),
    ("archery", Stage.SQUAD, "city", "sunshine_home", 4, False, True, "Open", ""),
    ("archery", Stage.RESERVE, "district", "special_school", 3, False, True, "Open", ""),
    ("archery", Stage.RESERVE, "district", "sunshine_home", 3, False, True, "W1", ""),
    ("athletics", Stage.RESERVE, "district", "competition", 3, False, True, "T46", ""),
    ("archery", Stage.RESERVE, "none", "referral", 3, False, True, "", ""),
    ("archery", Stage.TRIAL_TRAINING, "none", "sunshine_home", 2, False, True, "", ""),
    ("archery", Stage.TRIAL_TRAINING, "none", "community_survey", 2, False, True, "", ""),
    ("swimming", Stage.TRIAL_TRAINING, "none", "special_school", 2, False, False, "S9", ""),
    ("table_tennis", Stage.TRIAL_TRAINING, "none", "referral", 2, False, False, "", ""),
    ("archery", Stage.SCREENED, "none", "special_school", 1, True, True, "", ""),
    ("archery", Stage.SCREENED, "none", "sunshine_home", 1, False, True, "", ""),
    ("boccia", Stage.SCREENED, "none", "community_survey", 1, False, False, "", ""),
    ("athletics", Stage.SCREENED, "none", "special_school", 1, True, True, "", ""),
    ("archery", Stage.IDENTIFIED, "none", "sunshine_home", 0, False, True, "", "阳光家园推荐。"),
    (
        "archery",
        Stage.IDENTIFIED,
        "none",
        "special_school",
        0,
        True,
        True,
        "",
        "特教学校体育课发现。",
    ),
    ("archery", Stage.IDENTIFIED, "none", "sunshine_home", 0, False, False, "", ""),
    ("goalball", Stage.IDENTIFIED, "none", "special_school", 0, True, True, "", ""),
    ("boccia", Stage.IDENTIFIED, "none", "sunshine_home", 0, False, False, "", ""),
    ("powerlifting", Stage.IDENTIFIED, "none", "community_survey", 0, False, True, "", ""),
    ("archery", Stage.RETIRED, "provincial", "competition", 10, False, True, "Open", "伤病退役。"),
)

# Measures of the archery template and how they improve: (start, yearly gain).
PROGRESS = {
    "Draw weight held": ("12", "3.5"),
    "18 m score over 30 arrows": ("150", "35"),
    "Balance": ("5", "1"),
    "30 m sprint": ("7.5", "-0.4"),
    "Standing long jump": ("120", "12"),
    "Grip strength": ("20", "3"),
}


def _people(session, people: list[Person]) -> tuple[list[Person], list[Person]]:
    taken = set(session.scalars(sa.select(AthleteProfile.person_id)))
    pool = [p for p in people if not p.is_archived and p.disability_category is not None]
    adults = [p for p in pool if not p.is_minor() and p.id not in taken]
    children = [p for p in pool if p.is_minor() and p.id not in taken]
    return adults, children


def load_athletes(session, people: list[Person], users: dict) -> list[AthleteProfile]:
    """Create the demo athletes from ``people`` (the demo register); ``users`` maps demo
    usernames to accounts ("coach" coaches most athletes, "staff" proposed some, "admin"
    entered the rest). Returns the athletes created."""
    if session.scalar(sa.select(sa.func.count(AthleteProfile.id))):
        return []
    sports = {s.code: s for s in ensure_sports(session)}
    ensure_measures(session)
    coach, staff, admin = users.get("coach"), users.get("staff"), users.get("admin")
    adults, children = _people(session, people)
    rng = random.Random(2008)  # noqa: S311  (demo data, same every time)
    today = clock.today()
    created = []
    for sport_code, stage, squad, source, years, child, ours, class_code, note in PLAN:
        pool = children if child and children else adults
        if not pool:
            break
        person = pool.pop(0)
        found_on = today - timedelta(days=max(years * 365 + rng.randint(20, 200), 10))
        if child or years == 0:
            found_on = today - timedelta(days=rng.randint(20, 330) + years * 365)
        # The demo coach coaches most athletes; the others were entered by the admin (no
        # coach yet) or proposed by the sunshine home staff member.
        coaches = [coach] if ours and coach else []
        if source == "sunshine_home" and stage is Stage.IDENTIFIED and staff:
            actor = staff
        else:
            actor = coaches[0] if coaches else admin
        extra = [sports["athletics"].id] if sport_code == "archery" and rng.random() < 0.2 else []
        athlete = services.create_athlete(
            person_id=person.id,
            primary_sport_id=sports[sport_code].id,
            sport_ids=extra,
            coach_ids=[c.id for c in coaches],
            squad_level=squad,
            discovery_source=source,
            discovered_on=found_on,
            notes=note,
            actor=actor,
            birth_on=person.birth_on,
        )
        _walk_to(athlete, stage, found_on, today, actor=actor)
        if class_code:
            _classify(athlete, sports[sport_code], class_code, found_on, today, rng)
        if stage is not Stage.IDENTIFIED:
            _assess(athlete, sports[sport_code], found_on, today, rng, assessor=actor)
        created.append(athlete)
    _review_due_next_month(created, today)
    session.flush()
    return created


def _walk_to(athlete, stage: Stage, found_on: date, today: date, *, actor) -> None:
    """Move the athlete one stage at a time from "identified" to ``stage``."""
    if stage is Stage.IDENTIFIED:
        return
    path = [s for s in Stage if Stage.IDENTIFIED.order < s.order <= stage.order]
    if stage is Stage.RETIRED:
        path = [s for s in Stage if s is not Stage.IDENTIFIED]
    span = max((today - found_on).days - 30, len(path))
    for step, target in enumerate(path, start=1):
        on = found_on + timedelta(days=span * step // (len(path) + 1))
        reasons = {
            Stage.SCREENED: "测评合格",
            Stage.TRIAL_TRAINING: "进入试训",
            Stage.RESERVE: "试训考核通过，列入后备人才库",
            Stage.SQUAD: "入选代表队",
            Stage.RETIRED: "退役",
        }
        services.change_stage(
            athlete,
            to_stage=target,
            changed_on=on,
            reason=reasons[target],
            version=athlete.version,
            actor=actor,
        )


def _classify(athlete, sport, class_code, found_on, today, rng) -> None:
    classified_on = min(found_on + timedelta(days=200), today - timedelta(days=30))
    review = rng.random() < 0.3
    services.save_classification(
        athlete,
        sport_id=sport.id,
        class_code=class_code,
        status="review" if review else "confirmed",
        classified_on=classified_on,
        review_on=today + timedelta(days=rng.randint(200, 700)) if review else None,
    )


def _review_due_next_month(athletes, today) -> None:
    """One squad archer's class is under review with a fixed date next month."""
    for athlete in athletes:
        if athlete.stage is Stage.SQUAD and athlete.classifications:
            c = athlete.classifications[0]
            services.save_classification(
                athlete,
                classification=c,
                version=c.version,
                sport_id=c.sport_id,
                class_code=c.class_code,
                status="review_by_date",
                classified_on=c.classified_on,
                review_on=today + timedelta(days=35),
                notes="需在复核日期前参加分级复核。",
            )
            return


def _assess(athlete, sport, found_on, today, rng, *, assessor) -> None:
    """A screening every six months for up to three years, improving with noise."""
    from decimal import Decimal

    measures = services.template_measures(sport.id)
    start = max(found_on, today - timedelta(days=3 * 365))
    if athlete.stage is Stage.RETIRED:
        start, end = found_on, found_on + timedelta(days=3 * 365)
    else:
        end = today - timedelta(days=rng.randint(10, 90))
    on, n = start, 0
    while on <= end and n < 7:
        values = {}
        for measure in measures:
            base, gain = PROGRESS.get(measure.name_en, ("5", "0.5"))
            value = Decimal(base) + Decimal(gain) * Decimal(n) / 2
            value += Decimal(rng.randint(-10, 10)) / 10
            value = min(max(value, measure.min_value), measure.max_value)
            values[measure.id] = f"{value:.{measure.unit.decimals}f}"
        services.record_assessment(
            athlete,
            sport_id=sport.id,
            assessed_on=on,
            rating=min(5, 2 + n // 2),
            recommendation="advance" if n % 3 != 2 else "hold",
            values=values,
            notes="",
            assessor=assessor,
        )
        on += timedelta(days=182)
        n += 1
