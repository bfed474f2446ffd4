"""Who may see and manage what in the homes domain.

- Admins manage every home; home staff (role home_staff) manage the homes they are listed
  on (``HomeStaff`` rows).
- A member, and their caregiver (a user whose person is the member's
  ``Person.guardian_person``), sees that member's own schedule and attendance.
- Everyone else sees homes, their services and public activities, never member names.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy.orm import joinedload

from app.accounts.enums import Role
from app.extensions import db
from app.homes.models import Activity, HomeStaff, Membership


def _user(user=None):
    if user is not None:
        return user
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user
    return None


def managed_home_ids(user=None) -> set[int] | None:
    """The ids of the homes ``user`` manages; None means every home (an admin)."""
    user = _user(user)
    if user is None:
        return set()
    if user.is_admin:
        return None
    if not user.has_role(Role.HOME_STAFF):
        return set()
    cache_key = f"_homes_managed_{user.id}"
    if has_request_context() and cache_key in g:
        return g.get(cache_key)
    ids = set(db.session.scalars(sa.select(HomeStaff.home_id).where(HomeStaff.user_id == user.id)))
    if has_request_context():
        setattr(g, cache_key, ids)
    return ids


def managed_activities(activity_ids, user=None) -> dict[int, Activity]:
    """The activities among ``activity_ids`` whose home ``user`` manages (an admin: every
    one), by id, with their exceptions loaded: one query, for the roll-call sync's permission
    check and load of a batch. An id missing from the answer is not there or not theirs."""
    user = _user(user)
    ids = sorted(set(activity_ids))
    if user is None or not ids:
        return {}
    statement = (
        sa.select(Activity).where(Activity.id.in_(ids)).options(joinedload(Activity.exceptions))
    )
    if not user.is_admin:
        if not user.has_role(Role.HOME_STAFF):
            return {}
        staff_of = sa.select(HomeStaff.home_id).where(HomeStaff.user_id == user.id)
        statement = statement.where(Activity.home_id.in_(staff_of))
    return {activity.id: activity for activity in db.session.scalars(statement).unique()}


def can_manage(home_id: int, user=None) -> bool:
    ids = managed_home_ids(user)
    return ids is None or home_id in ids


def own_person_ids(user=None) -> set[int]:
    """The people whose own schedule and attendance ``user`` may see: their own person and
    the people whose guardian they are."""
    from app.people.models import Person

    user = _user(user)
    if user is None or user.person_id is None:
        return set()
    cache_key = f"_homes_own_people_{user.id}"
    if has_request_context() and cache_key in g:
        return g.get(cache_key)
    ids = {user.person_id} | set(
        db.session.scalars(sa.select(Person.id).where(Person.guardian_person_id == user.person_id))
    )
    if has_request_context():
        setattr(g, cache_key, ids)
    return ids


def is_member(home_id: int, user=None) -> bool:
    """Whether ``user`` (or a person in their care) is a current member of the home: such a
    user sees the home's non-public activities and why its sessions were cancelled or moved."""
    own = own_person_ids(user)
    if not own:
        return False
    return bool(
        db.session.scalar(
            sa.select(Membership.id).where(
                Membership.home_id == home_id,
                Membership.person_id.in_(own),
                Membership.left_on.is_(None),
            )
        )
    )
