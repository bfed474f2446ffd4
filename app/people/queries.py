"""Reads of the people register."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from app.core import params
from app.extensions import db
from app.people.enums import DisabilityCategory
from app.people.models import Consent, Person

ARCHIVED_CHOICES = ("current", "archived", "all")


@dataclass
class PeopleFilter:
    text: str = ""
    town_id: int | None = None
    category: DisabilityCategory | None = None
    archived: str = "current"


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def people_query(filters: PeopleFilter) -> sa.Select:
    """People matching the filters, ordered by pinyin then name then id (a stable order for
    paging). ``text`` matches a substring of the name or of the pinyin, ignoring case and
    spaces ("zhangsan" finds "Zhang San")."""
    query = sa.select(Person).options(joinedload(Person.town))
    text = (filters.text or "").strip()
    if text:
        name_pattern = f"%{_like_escape(text)}%"
        compact = _like_escape(text.replace(" ", "").lower())
        query = query.where(
            sa.or_(
                Person.name.ilike(name_pattern, escape="\\"),
                sa.func.replace(sa.func.lower(Person.name_pinyin), " ", "").like(
                    f"%{compact}%", escape="\\"
                ),
            )
        )
    if filters.town_id is not None:
        query = query.where(Person.town_id == filters.town_id)
    if filters.category is not None:
        query = query.where(Person.disability_category == filters.category)
    if filters.archived == "current":
        query = query.where(Person.is_archived.is_(False))
    elif filters.archived == "archived":
        query = query.where(Person.is_archived.is_(True))
    return query.order_by(Person.name_pinyin, Person.name, Person.id)


def search_people(filters: PeopleFilter, page: int = 1, per_page: int | None = None):
    """One page of people (Flask-SQLAlchemy Pagination): one SELECT with
    each person's town joined, and a COUNT when the first page is full."""
    return params.paginate(people_query(filters), page, per_page or current_app.config["PAGE_SIZE"])


def person_for_detail(person_id: int) -> Person | None:
    """A person with the town, guardian record, consents and who recorded them, loaded in a
    fixed number of queries."""
    return db.session.scalar(
        sa.select(Person)
        .where(Person.id == person_id)
        .options(
            joinedload(Person.town),
            joinedload(Person.guardian_person),
            selectinload(Person.consents).joinedload(Consent.recorded_by),
        )
    )


def dependants_of(person: Person) -> list[Person]:
    """People whose guardian record is ``person``."""
    return list(
        db.session.scalars(
            sa.select(Person)
            .where(Person.guardian_person_id == person.id, Person.is_archived.is_(False))
            .order_by(Person.name_pinyin, Person.id)
        )
    )
