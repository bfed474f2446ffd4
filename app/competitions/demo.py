"""Demo competitions: every competition and medal of the source report's table (Rio 2016 to
the 2021 National Games), attached to the demo athletes, with team events; district dryland
curling friendlies (one last month, one next month); and upcoming competitions in the coming
months whose events have a scheduled start and end, a venue and entries (athletes and support
people), so calendars and the clash query have something to show.

Zhou Jiamin (周佳敏) appears by name: the report names her publicly (flag-bearer of the
Chinese delegation at the Tokyo Paralympic Games). She is added as an athlete with
publication consent and credited with the Rio 2016 women's individual compound gold, and is
entered in the upcoming city archery invitational; she is kept out of the rotation that hands
the other, fictional medals to the demo athletes. Her date of birth is a placeholder.

The medal counts per competition are the report's own, so that
``/api/v1/medals?from=2017-01-01&to=2021-12-31`` answers 19 gold, 12 silver, 11 bronze."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app.athletes import services as athlete_services
from app.athletes.enums import Stage
from app.athletes.models import AthleteProfile, Sport
from app.competitions import services
from app.competitions.enums import CompetitionStatus, EntryStatus
from app.competitions.models import Competition
from app.core import clock
from app.people import services as people_services
from app.people.enums import ConsentKind, Gender
from app.people.models import Person
from app.venues.models import Venue

G, S, B = "gold", "silver", "bronze"

ZHOU_NAME = "周佳敏"
ZHOU_EVENT = "女子个人复合弓公开级"
ZHOU_NOTE = "东京残奥会中国体育代表团旗手（据区残联报道）。演示数据：出生日期为占位值。"

# (name, level, series, edition, host city, delegation, start, end, events)
# events: (name, sport code, gender, team?, [medal per entry…])
REPORTED = (
    (
        "里约残奥会",
        "international",
        "残奥会",
        15,
        "里约热内卢",
        "中国",
        date(2016, 9, 7),
        date(2016, 9, 18),
        (
            (ZHOU_EVENT, "archery", "women", False, [G]),
            ("混合团体复合弓公开级", "archery", "mixed", True, [G]),
        ),
    ),
    (
        "世界残疾人射箭锦标赛（北京）",
        "international",
        "世界锦标赛",
        None,
        "北京",
        "中国",
        date(2017, 9, 11),
        date(2017, 9, 17),
        (("女子个人反曲弓公开级", "archery", "women", False, [G]),),
    ),
    (
        "2017 年全国残疾人射箭锦标赛",
        "national",
        "全国残疾人射箭锦标赛",
        None,
        "杭州",
        "浙江",
        date(2017, 5, 16),
        date(2017, 5, 21),
        (("女子个人复合弓公开级", "archery", "women", False, [G, None]),),
    ),
    (
        "雅加达亚残运会",
        "international",
        "亚残运会",
        3,
        "雅加达",
        "中国",
        date(2018, 10, 6),
        date(2018, 10, 13),
        (
            ("女子个人反曲弓公开级", "archery", "women", False, [G]),
            ("混合团体复合弓公开级", "archery", "mixed", True, [B]),
        ),
    ),
    (
        "2018 年全国残疾人射箭锦标赛",
        "national",
        "全国残疾人射箭锦标赛",
        None,
        "宁波",
        "浙江",
        date(2018, 5, 20),
        date(2018, 5, 26),
        (
            ("女子个人反曲弓公开级", "archery", "women", False, [G]),
            ("女子团体反曲弓公开级", "archery", "women", True, [G]),
            ("男子个人复合弓 W1 级", "archery", "men", False, [B, None]),
        ),
    ),
    (
        "浙江省第十届残疾人运动会",
        "provincial",
        "浙江省残疾人运动会",
        10,
        "湖州",
        "宁波",
        date(2018, 10, 22),
        date(2018, 10, 28),
        (
            ("女子个人反曲弓公开级", "archery", "women", False, [G, B]),
            ("男子个人反曲弓公开级", "archery", "men", False, [G]),
            ("女子个人复合弓公开级", "archery", "women", False, [G]),
            ("混合团体反曲弓公开级", "archery", "mixed", True, [G]),
            ("男子 100 米 T46 级", "athletics", "men", False, [B]),
            ("女子 50 米自由泳 S6 级", "swimming", "women", False, [B]),
        ),
    ),
    (
        "宁波市第九届残疾人运动会",
        "city",
        "宁波市残疾人运动会",
        9,
        "宁波",
        "奉化区",
        date(2018, 8, 14),
        date(2018, 8, 19),
        (
            ("女子个人反曲弓公开级", "archery", "women", False, [G, S, B]),
            ("男子个人反曲弓公开级", "archery", "men", False, [G, S]),
            ("女子个人复合弓公开级", "archery", "women", False, [G, S]),
            ("男子个人复合弓公开级", "archery", "men", False, [G, B]),
            ("混合团体反曲弓公开级", "archery", "mixed", True, [G]),
            ("女子团体复合弓公开级", "archery", "women", True, [S]),
            ("男子 100 米 T46 级", "athletics", "men", False, [G, B]),
            ("女子铅球 F20 级", "athletics", "women", False, [S, B]),
            ("男子 50 米自由泳 S8 级", "swimming", "men", False, [G]),
            ("女子 100 米蛙泳 SB9 级", "swimming", "women", False, [S, B]),
            ("女子 41 公斤级", "powerlifting", "women", False, [S]),
            ("盲人门球男子组", "goalball", "men", True, [B]),
        ),
    ),
    (
        "2019 年世界残疾人射箭锦标赛",
        "international",
        "世界残疾人射箭锦标赛",
        None,
        "斯海尔托亨博斯",
        "中国",
        date(2019, 6, 4),
        date(2019, 6, 16),
        (
            ("女子个人反曲弓公开级", "archery", "women", False, [G]),
            ("女子团体反曲弓公开级", "archery", "women", True, [G]),
        ),
    ),
    (
        "全国第十届残疾人运动会",
        "national",
        "全国残疾人运动会",
        10,
        "西安",
        "浙江",
        date(2021, 10, 22),
        date(2021, 10, 29),
        (
            ("女子个人反曲弓公开级", "archery", "women", False, [G, S]),
            ("女子个人复合弓公开级", "archery", "women", False, [S]),
            ("男子个人反曲弓公开级", "archery", "men", False, [S]),
            ("混合团体反曲弓公开级", "archery", "mixed", True, [S]),
            ("女子团体复合弓公开级", "archery", "women", True, [S]),
        ),
    ),
)


def _utc(day: date, hour: int) -> datetime:
    """A local (UTC+8) hour on ``day`` as a UTC instant."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=8)


def load_competitions(session, users: dict) -> list[Competition]:
    """Create the demo competitions once (nothing happens when any competition exists)."""
    if session.scalar(sa.select(sa.func.count(Competition.id))):
        return []
    athletes = list(session.scalars(sa.select(AthleteProfile).order_by(AthleteProfile.id)))
    if len(athletes) < 4:
        return []
    sports = {s.code: s for s in session.scalars(sa.select(Sport))}
    admin, coach = users.get("admin"), users.get("coach")
    zhou = _zhou_jiamin(session, sports["archery"], admin, coach)
    archers = [a for a in athletes if a.primary_sport_id == sports["archery"].id] or athletes
    others = [a for a in athletes if a not in archers] or athletes
    created = []
    turn = 0

    def pick(pool, count):
        nonlocal turn
        chosen = [pool[(turn + i) % len(pool)] for i in range(count)]
        turn += 1
        return chosen

    for name, level, series, edition, city, delegation, start, end, events in REPORTED:
        competition = services.create_competition(
            {
                "name": name,
                "level": level,
                "series": series,
                "edition": edition,
                "host_city": city,
                "delegation": delegation,
                "start_on": start,
                "end_on": end,
                "status": CompetitionStatus.FINISHED,
                "manager_id": coach.id if coach else None,
                "sport_ids": sorted({sports[e[1]].id for e in events}),
            },
            actor=admin,
        )
        for event_name, sport, gender, team, medals in events:
            event = services.add_event(
                competition,
                {
                    "name": event_name,
                    "sport_id": sports[sport].id,
                    "gender": gender,
                    "sport_class": "",
                    "is_team": team,
                },
                actor=admin,
            )
            pool = archers if sport == "archery" else others
            used: set[int] = set()
            for position, medal in enumerate(medals):
                members = [a for a in pick(pool, 3 if team else 1 + len(used)) if a.id not in used]
                members = members[: 3 if team else 1]
                if len(members) < (2 if team else 1):
                    members = [a for a in athletes if a.id not in used][: 3 if team else 1]
                if start.year == 2016 and event_name == ZHOU_EVENT and medal == G:
                    members = [zhou]
                used.update(a.id for a in members)
                entry, _warnings = services.create_entry(
                    event,
                    athlete_ids=[a.id for a in members],
                    team_name=f"{delegation}队" if team else "",
                    status=EntryStatus.CONFIRMED,
                    actor=admin,
                )
                rank = {G: 1, S: 2, B: 3}.get(medal, 4 + position)
                services.save_result(
                    entry,
                    rank=rank,
                    mark=str(680 - 12 * rank) if sport == "archery" else "",
                    mark_value=str(680 - 12 * rank) if sport == "archery" else None,
                    medal=medal or "none",
                    actor=coach or admin,
                )
        created.append(competition)
    venues = {v.name: v for v in session.scalars(sa.select(Venue))}
    support = session.scalar(
        sa.select(Person)
        .where(
            Person.id.not_in(sa.select(AthleteProfile.person_id)),
            Person.is_archived.is_(False),
            Person.birth_on <= clock.today() - timedelta(days=20 * 366),
        )
        .order_by(Person.id)
    )
    created.extend(_local_and_upcoming(sports, athletes, zhou, venues, support, admin, coach))
    session.flush()
    _publish(created, admin)
    return created


def _publish(competitions, admin) -> None:
    """The demo's results are official (the source report counts them): publish every event
    that has results, as the admin."""
    from app.competitions import official

    for competition in competitions:
        for event in competition.events:
            if any(entry.result is not None for entry in event.entries):
                official.publish_results(event, actor=admin)


def _zhou_jiamin(session, archery, admin, coach) -> AthleteProfile:
    """周佳敏 as a squad archer with publication consent (the report names her publicly)."""
    person = session.scalar(sa.select(Person).where(Person.name == ZHOU_NAME))
    if person is None:
        person = people_services.create_person(
            {
                "name": ZHOU_NAME,
                "gender": Gender.FEMALE,
                "birth_on": date(1990, 1, 1),
            },
            actor=admin,
        )
        people_services.record_consent(
            person,
            kind=ConsentKind.PUBLICATION,
            given_on=date(2016, 8, 1),
            given_by="self",
            actor=admin,
        )
    athlete = session.scalar(sa.select(AthleteProfile).where(AthleteProfile.person_id == person.id))
    if athlete is None:
        athlete = athlete_services.create_athlete(
            person_id=person.id,
            primary_sport_id=archery.id,
            discovery_source="competition",
            discovered_on=date(2008, 5, 1),
            coach_ids=[coach.id] if coach else [],
            squad_level="national",
            stage=Stage.SQUAD,
            notes=ZHOU_NOTE,
            actor=admin,
        )
    return athlete


def _local_and_upcoming(sports, athletes, zhou, venues, support, admin, coach):
    """District dryland curling friendlies (last month and next month) and competitions in
    the coming months: every event with a scheduled start and end, a venue and entries."""
    today = clock.today()
    base = venues.get("区残疾人体育训练基地")
    pool = venues.get("区全民健身中心游泳馆") or base
    made = []
    last_month, next_month = today - timedelta(days=30), today + timedelta(days=21)
    curling = (("旱地冰壶混合团体", "dryland_curling", "mixed", True, base),)
    plan = (
        (
            "区残疾人旱地冰壶友谊赛",
            "district",
            CompetitionStatus.FINISHED,
            last_month,
            last_month,
            base,
            curling,
        ),
        (
            "区残疾人旱地冰壶迎新年友谊赛",
            "district",
            CompetitionStatus.ENTRIES_OPEN,
            next_month,
            next_month,
            base,
            curling,
        ),
        (
            "宁波市残疾人射箭邀请赛",
            "city",
            CompetitionStatus.ENTRIES_OPEN,
            today + timedelta(days=40),
            today + timedelta(days=42),
            base,
            (
                (ZHOU_EVENT, "archery", "women", False, base),
                ("男子个人复合弓公开级", "archery", "men", False, base),
                ("女子个人反曲弓公开级", "archery", "women", False, base),
            ),
        ),
        (
            "浙江省残疾人游泳锦标赛",
            "provincial",
            CompetitionStatus.PLANNED,
            today + timedelta(days=95),
            today + timedelta(days=98),
            pool,
            (
                ("男子 50 米自由泳 S8 级", "swimming", "men", False, pool),
                ("女子 100 米蛙泳 SB9 级", "swimming", "women", False, pool),
            ),
        ),
    )
    for index, (name, level, status, start, end, venue, events) in enumerate(plan):
        finished = status is CompetitionStatus.FINISHED
        competition = services.create_competition(
            {
                "name": name,
                "level": level,
                "host_city": "宁波" if level != "district" else "奉化",
                "venue_id": venue.id if venue else None,
                "delegation": "奉化区",
                "start_on": start,
                "end_on": end,
                "status": status,
                "manager_id": coach.id if coach else None,
                "sport_ids": sorted({sports[e[1]].id for e in events}),
            },
            actor=admin,
        )
        for number, (event_name, sport, gender, team, event_venue) in enumerate(events):
            event = services.add_event(
                competition,
                {
                    "name": event_name,
                    "sport_id": sports[sport].id,
                    "gender": gender,
                    "is_team": team,
                    "starts_at": _utc(start, 9 + 2 * number),
                    "ends_at": _utc(start, 11 + 2 * number),
                    "venue_id": event_venue.id if event_venue else None,
                },
                actor=admin,
            )
            if team:
                for team_no, offset in enumerate((0, 4)):
                    members = athletes[offset : offset + 4]
                    helper = [{"role": "coach", "name": "陈指导"}]
                    if support is not None and team_no == 0:
                        helper.append({"role": "assistant", "person_id": support.id})
                    entry, _w = services.create_entry(
                        event,
                        athlete_ids=[a.id for a in members],
                        team_name=f"奉化{team_no + 1}队",
                        status=EntryStatus.CONFIRMED,
                        support=helper,
                        actor=admin,
                    )
                    if finished:
                        services.save_result(
                            entry, rank=team_no + 1, mark=f"{8 - 3 * team_no}", actor=admin
                        )
            else:
                entrants = athletes[index + 2 * number : index + 2 * number + 2]
                if event_name == ZHOU_EVENT and sport == "archery":
                    entrants = [zhou, *entrants[:1]]
                for athlete in entrants:
                    helper = []
                    if athlete is zhou and support is not None:
                        helper = [{"role": "assistant", "person_id": support.id}]
                    elif number:
                        helper = [{"role": "guide", "name": "王向导"}]
                    services.create_entry(
                        event,
                        athlete_ids=[athlete.id],
                        status=EntryStatus.NOMINATED,
                        support=helper,
                        actor=coach or admin,
                    )
        if sport == "swimming":
            _start_positions(competition, actor=coach or admin)
        made.append(competition)
    return made


def _start_positions(competition, *, actor) -> None:
    """The swimming championship's start lists (issue 17): one heat per event, the centre
    lanes first, and one bib per athlete (101, 102, …) kept in every event."""
    bibs: dict[int, str] = {}
    for event in competition.events:
        for lane, entry in zip((4, 5, 3, 6, 2, 7), event.entries, strict=False):
            athlete_id = entry.athletes[0].id
            bib = bibs.setdefault(athlete_id, str(101 + len(bibs)))
            services.set_start(
                entry,
                {"bib": bib, "heat": 1, "lane": str(lane)},
                version=entry.version,
                actor=actor,
            )
