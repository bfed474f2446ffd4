"""Demo data for ``flask --app wsgi demo load [--reset]`` and ``make run``.

Loading is idempotent: what exists (matched by name) is left as it is, so edits made while
trying the demo survive another load; ``reset=True`` first deletes every row of every table
and then loads afresh. All names are fictional. The demo passwords are printed by the CLI, so
the loader refuses to run unless the configuration allows demo data (never in production).

Other domains extend the demo with a ``load_<thing>(session, towns)`` function in their own
``demo.py`` (as ``app.people.demo.load_people``) and one call here."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from app.accounts import services as account_services
from app.accounts.enums import Role
from app.athletes.demo import load_athletes
from app.athletes.models import AthleteProfile
from app.competitions.demo import load_competitions
from app.core.reference import Town, ensure_towns
from app.extensions import db
from app.homes.demo import load_homes
from app.homes.models import Membership
from app.people.demo import load_people
from app.people.models import Person
from app.performances.demo import load_performances
from app.venues import services as venue_services
from app.venues.enums import AccessibilityFeature as F
from app.venues.enums import VenueKind as K
from app.venues.models import Venue

# (role, username, password, display name). The passwords are public by design: they are
# printed on every `make run` and only ever exist in demo databases.
DEMO_USERS = (
    (Role.ADMIN, "admin", "ronghe-admin-demo", "演示管理员"),
    (Role.COACH, "coach", "ronghe-coach-demo", "演示教练员"),
    (Role.ORGANISER, "organiser", "ronghe-organiser-demo", "演示活动组织者"),
    (Role.HOME_STAFF, "staff", "ronghe-staff-demo", "演示阳光家园工作人员"),
    (Role.PARTICIPANT, "participant", "ronghe-participant-demo", "演示参与者"),
)

ALL_FEATURES = tuple(F)

# DEMO_VENUES' columns: create_venue's keywords, and the town by name.
VENUE_COLUMNS = (
    "name",
    "kind",
    "town",
    "address",
    "capacity",
    "latitude",
    "longitude",
    "features",
    "notes",
)
DEMO_VENUES = (
    (
        "区残疾人体育训练基地",
        K.SPORTS_VENUE,
        "岳林街道",
        "体育馆路 18 号",
        400,
        "29.6612",
        "121.4085",
        (
            F.STEP_FREE_ENTRANCE,
            F.ACCESSIBLE_TOILET,
            F.LIFT,
            F.ACCESSIBLE_PARKING,
            F.TACTILE_PAVING,
            F.ACCESSIBLE_SEATING,
        ),
        "盲人门球、轮椅篮球和射箭训练场地。无障碍入口在东门。",
    ),
    (
        "区全民健身中心游泳馆",
        K.SPORTS_VENUE,
        "锦屏街道",
        "中山路 201 号",
        200,
        "29.6551",
        "121.4012",
        (F.STEP_FREE_ENTRANCE, F.ACCESSIBLE_TOILET, F.ACCESSIBLE_PARKING),
        "泳池配有入水升降椅，使用前请联系前台。",
    ),
    (
        "溪口镇文化礼堂",
        K.CULTURAL_AUDITORIUM,
        "溪口镇",
        "武岭中路 66 号",
        300,
        "29.6795",
        "121.2476",
        ALL_FEATURES,
        "艺术团巡演的固定场地之一。",
    ),
    (
        "莼湖镇桐照村文化礼堂",
        K.CULTURAL_AUDITORIUM,
        "莼湖镇",
        "桐照村海滨路 3 号",
        150,
        "29.5568",
        "121.5379",
        (F.STEP_FREE_ENTRANCE,),
        "",
    ),
    (
        "大堰镇万竹村文化礼堂",
        K.CULTURAL_AUDITORIUM,
        "大堰镇",
        "万竹村村委会旁",
        120,
        "29.5402",
        "121.1663",
        (),
        "老建筑，入口有三级台阶，暂无坡道。",
    ),
    (
        "锦屏街道阳光家园",
        K.SUNSHINE_HOME,
        "锦屏街道",
        "南山路 45 号",
        40,
        "29.6503",
        "121.4068",
        (F.STEP_FREE_ENTRANCE, F.ACCESSIBLE_TOILET, F.TACTILE_PAVING),
        "工作日 8:30–16:30 开放。",
    ),
    (
        "江口街道阳光家园",
        K.SUNSHINE_HOME,
        "江口街道",
        "江口南路 12 号",
        35,
        "29.7271",
        "121.4452",
        (F.STEP_FREE_ENTRANCE, F.ACCESSIBLE_TOILET, F.LIFT),
        "",
    ),
    (
        "西坞街道工疗站",
        K.WORK_THERAPY_WORKSHOP,
        "西坞街道",
        "西坞工业区 7 号楼一层",
        30,
        "29.7093",
        "121.4951",
        (F.STEP_FREE_ENTRANCE, F.ACCESSIBLE_TOILET),
        "来料加工与手工编织。",
    ),
    (
        "尚田镇阳光工疗车间",
        K.WORK_THERAPY_WORKSHOP,
        "尚田镇",
        "尚田镇镇东路 88 号",
        25,
        "29.5987",
        "121.3628",
        (F.STEP_FREE_ENTRANCE,),
        "",
    ),
    (
        "区特殊教育学校",
        K.SCHOOL,
        "方桥街道",
        "方桥路 100 号",
        500,
        "29.7368",
        "121.5082",
        (
            F.STEP_FREE_ENTRANCE,
            F.ACCESSIBLE_TOILET,
            F.LIFT,
            F.HEARING_LOOP,
            F.SIGN_LANGUAGE,
            F.TACTILE_PAVING,
            F.ACCESSIBLE_SEATING,
        ),
        "礼堂可安排手语翻译，请提前三天预约。",
    ),
    (
        "萧王庙中心小学",
        K.SCHOOL,
        "萧王庙街道",
        "萧王庙街道青云路 9 号",
        800,
        "29.6802",
        "121.3375",
        (F.STEP_FREE_ENTRANCE, F.ACCESSIBLE_TOILET),
        "“六进”活动进校园演出场地。",
    ),
    (
        "岳林街道社区服务中心",
        K.COMMUNITY_CENTRE,
        "岳林街道",
        "东峰路 23 号",
        120,
        "29.6647",
        "121.4163",
        (F.STEP_FREE_ENTRANCE, F.ACCESSIBLE_TOILET, F.LIFT, F.HEARING_LOOP),
        "",
    ),
    (
        "松岙镇社区活动中心",
        K.COMMUNITY_CENTRE,
        "松岙镇",
        "松岙镇街心路 5 号",
        80,
        "29.4748",
        "121.6743",
        (F.ACCESSIBLE_PARKING,),
        "",
    ),
    (
        "裘村镇爱心服装厂",
        K.ENTERPRISE,
        "裘村镇",
        "裘村镇工业园区 2 号",
        60,
        "29.5271",
        "121.6072",
        (F.STEP_FREE_ENTRANCE, F.ACCESSIBLE_TOILET),
        "吸纳残疾人就业的示范企业。",
    ),
    (
        "区残疾人联合会办公楼",
        K.GOVERNMENT_INSTITUTION,
        "锦屏街道",
        "惠政东路 8 号",
        100,
        "29.6568",
        "121.4101",
        (
            F.STEP_FREE_ENTRANCE,
            F.ACCESSIBLE_TOILET,
            F.LIFT,
            F.HEARING_LOOP,
            F.SIGN_LANGUAGE,
            F.ACCESSIBLE_PARKING,
        ),
        "三楼会议室可用于培训。",
    ),
    (
        "江口街道滨江公园露天舞台",
        K.OTHER,
        "江口街道",
        "滨江公园南入口",
        None,
        None,
        None,
        (F.ACCESSIBLE_SEATING,),
        "露天场地，雨天改到江口街道阳光家园。",
    ),
)


class DemoNotAllowed(RuntimeError):
    pass


def load_demo(reset: bool = False) -> list[tuple[str, str, str]]:
    """Load the demo data and commit; return one (role, username, password) per role.

    With ``reset`` every row of every table is deleted first (children before parents),
    in the same transaction as the load."""
    if not current_app.config.get("DEMO_DATA_ALLOWED"):
        raise DemoNotAllowed("Demo data is not allowed in this configuration.")
    session = db.session
    try:
        if reset:
            delete_everything(session)
        towns = ensure_towns(session)
        load_venues(session, towns)
        people = load_people(session, towns)
        logins = load_users(session, participant=_participant_person(people))
        users = {
            username: account_services.find_by_username(username)
            for _role, username, _password, _name in DEMO_USERS
        }
        load_athletes(session, people, users)
        load_competitions(session, users)
        athlete_ids = list(
            session.scalars(sa.select(AthleteProfile.person_id).order_by(AthleteProfile.id))
        )
        load_homes(session, towns, people, users, athlete_person_ids=athlete_ids[:6])
        member_ids = sorted(session.scalars(sa.select(Membership.person_id).distinct()))
        load_performances(
            session,
            towns,
            people,
            users,
            preferred_person_ids=[*member_ids[:3], *sorted(athlete_ids)[:2]],
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    return logins


def delete_everything(session) -> None:
    """Empty every table the models know, in reverse dependency order."""
    for table in reversed(db.metadata.sorted_tables):
        session.execute(table.delete())
    session.flush()


def load_venues(session, towns: list[Town]) -> None:
    by_name = {town.name: town for town in towns}
    existing = {
        (row.town_id, row.name) for row in session.execute(sa.select(Venue.town_id, Venue.name))
    }
    for row in DEMO_VENUES:
        values = dict(zip(VENUE_COLUMNS, row, strict=True))
        town = by_name[values.pop("town")]
        if (town.id, values["name"]) not in existing:
            venue_services.create_venue(town_id=town.id, **values)


def load_users(session, participant: Person | None = None) -> list[tuple[str, str, str]]:
    """One account per role; existing demo accounts are left as they are, except that the
    participant account is linked to ``participant`` when it has no person yet."""
    logins = []
    for role, username, password, display_name in DEMO_USERS:
        user = account_services.find_by_username(username)
        if user is None:
            user = account_services.create_user(
                username=username, display_name=display_name, password=password, roles=[role]
            )
        if role is Role.PARTICIPANT and user.person_id is None and participant is not None:
            user.person_id = participant.id
        logins.append((str(role), username, password))
    session.flush()
    return logins


def _participant_person(people: list[Person]) -> Person | None:
    """The demo person the participant account belongs to: the first current adult with a
    disability record (guardians' own records and archived people do not qualify)."""
    for person in people:
        if not person.is_archived and person.disability_category and not person.is_minor():
            return person
    return None
