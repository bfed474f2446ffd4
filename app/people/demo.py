"""Demo people: about 40 clearly fictional records (every name starts with 示例, "example")
across all seven categories and four grades, with valid fictional certificate numbers,
consents, guardians for the children, and a couple of archived records. Everyone has an
e-mail address on example.cn and consents to be told about changes (app/notices), so the
demo's outbox fills as soon as something changes."""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa

from app.core import clock
from app.people import certificate as cert
from app.people import services
from app.people.enums import (
    ConsentGivenBy,
    ConsentKind,
    DisabilityCategory,
    DisabilityGrade,
    Gender,
    GuardianRelation,
)
from app.people.models import Person

SURNAMES = "张王李赵陈刘杨黄周吴徐孙胡朱高林何郭马罗"
GIVEN = (
    "明",
    "芳",
    "伟",
    "静",
    "磊",
    "丽",
    "强",
    "敏",
    "军",
    "燕",
    "洋",
    "艳",
    "勇",
    "娟",
    "杰",
    "霞",
    "涛",
    "萍",
    "超",
    "婷",
    "晨阳",
    "思远",
    "雨桐",
    "子涵",
    "浩然",
    "欣怡",
    "宇航",
    "佳琪",
    "梓萱",
    "一鸣",
    "晓东",
    "海燕",
    "建华",
    "秀英",
    "国庆",
    "文博",
)
DEMO_PREFIX = "示例·"
PEOPLE = 36
CHILD_EVERY = 6  # every 6th person is a child under 14, with a guardian's consent


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in used:
            used.add(name)
            return name


def load_people(session, towns) -> list[Person]:
    """Create the demo people (idempotent: returns the existing people if there are any).
    Needs an app context (the certificate hash uses PERSONAL_DATA_KEY)."""
    existing = list(session.scalars(sa.select(Person).order_by(Person.id)))
    if existing:
        return existing
    rng = random.Random(2017)  # noqa: S311  (demo data, not security: same demo every time)
    today = clock.today()
    used: set[str] = set()
    categories = list(DisabilityCategory)
    grades = list(DisabilityGrade)
    people: list[Person] = []
    for i in range(PEOPLE):
        gender = Gender.MALE if i % 2 == 0 else Gender.FEMALE
        child = i % CHILD_EVERY == 3
        if child:
            birth_on = today - timedelta(days=rng.randint(6 * 365, 13 * 365))
        else:
            birth_on = date(rng.randint(1950, 2006), rng.randint(1, 12), rng.randint(1, 28))
        category = categories[i % len(categories)]
        grade = grades[(i // len(categories) + i) % len(grades)]
        town = towns[i % len(towns)]
        plain = _name(rng, used)
        data = {
            "name": DEMO_PREFIX + plain,
            "name_pinyin": services.pinyin_for(plain),
            "gender": gender,
            "birth_on": birth_on,
            "town_id": town.id,
            "phone": f"138 0000 {1000 + i:04d}",
            "email": f"demo{i + 1:02d}@example.cn",
            "address": f"{town.name}示例路{i + 1}号",
            "disability_category": category,
            "disability_grade": grade,
            "notes": "",
        }
        guardian = None
        if child or i % 5 == 0:
            guardian_plain = plain[0] + rng.choice(GIVEN)
            data |= {
                "guardian_name": DEMO_PREFIX + guardian_plain,
                "guardian_relation": GuardianRelation.PARENT if child else GuardianRelation.SIBLING,
                "guardian_phone": f"139 0000 {1000 + i:04d}",
            }
            if child:
                # The guardian has a record of their own (no disability data, so no consent).
                guardian = services.create_person(
                    {
                        "name": DEMO_PREFIX + guardian_plain,
                        "name_pinyin": services.pinyin_for(guardian_plain),
                        "gender": Gender.FEMALE,
                        "birth_on": date(rng.randint(1975, 1992), rng.randint(1, 12), 15),
                        "town_id": town.id,
                        "phone": f"139 0000 {1000 + i:04d}",
                        "email": f"guardian{i + 1:02d}@example.cn",
                    }
                )
                services.record_consent(
                    guardian,
                    kind=ConsentKind.CONTACT,
                    given_on=today - timedelta(days=30),
                    given_by=ConsentGivenBy.SELF,
                )
                data["guardian_person_id"] = guardian.id
                people.append(guardian)
        number = cert.generate(birth_on, category, grade, gender=gender, sequence=i)
        consent_on = max(birth_on, today - timedelta(days=rng.randint(30, 700)))
        person = services.create_person(
            data,
            certificate_number=number,
            consent={
                "given_on": consent_on,
                "given_by": ConsentGivenBy.GUARDIAN if child else ConsentGivenBy.SELF,
                "guardian_name": data.get("guardian_name", ""),
                "notice_version": services.CURRENT_NOTICE_VERSION,
            },
        )
        # Every third person also consents to publication; everyone to being contacted.
        published = [ConsentKind.PUBLICATION] if i % 3 == 0 else []
        for kind in (*published, ConsentKind.CONTACT):
            services.record_consent(
                person,
                kind=kind,
                given_on=consent_on,
                given_by=ConsentGivenBy.GUARDIAN if child else ConsentGivenBy.SELF,
                guardian_name=data.get("guardian_name", ""),
            )
        people.append(person)
    for person in people[-2:]:
        services.archive_person(person)
    session.flush()
    return people
