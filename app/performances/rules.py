"""Who may do what with programmes, troupes and performances (no database access beyond the
objects passed in, except ``viewer_person_ids``).

- Admins manage everything. Organisers create programmes and troupes, and manage the
  programmes they are responsible for (and those programmes' performances).
- Staff (admins and organisers) see every performance with names: they plan the touring.
- A performer or support person (a user whose person is booked) and their caregiver (a user
  whose person is the booked person's ``guardian_person``) see their own bookings.
- Everyone sees public performances that are confirmed or done; names of people appear only
  with publication consent (or to staff, or to the person themselves and their caregiver)."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.performances.enums import PUBLIC_STATUSES


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_staff(user) -> bool:
    return _signed_in(user) and user.has_any_role("organiser")


def can_create_programme(user) -> bool:
    return is_staff(user)


def can_manage_programme(user, programme) -> bool:
    if not _signed_in(user):
        return False
    if user.is_admin:
        return True
    return user.has_role("organiser") and any(u.id == user.id for u in programme.organisers)


def can_manage_performance(user, performance) -> bool:
    return can_manage_programme(user, performance.programme)


def is_publicly_visible(performance) -> bool:
    return bool(performance.is_public) and performance.status in PUBLIC_STATUSES


def viewer_person_ids(user) -> frozenset[int]:
    """The people whose bookings ``user`` may see as their own: their person and the people
    whose caregiver (guardian_person) that person is. One query."""
    if not _signed_in(user) or user.person_id is None:
        return frozenset()
    from app.people.models import Person

    wards = db.session.scalars(
        sa.select(Person.id).where(Person.guardian_person_id == user.person_id)
    ).all()
    return frozenset({user.person_id, *wards})


def can_view(user, performance, own: frozenset[int] | None = None) -> bool:
    if is_publicly_visible(performance) or is_staff(user):
        return True
    own = viewer_person_ids(user) if own is None else own
    return bool(own & performance.person_ids)


def can_view_bookings_of(user, person, organised: frozenset[int] = frozenset()) -> bool:
    """A person's bookings page: admins, the person and their caregiver, and an organiser
    when the person is booked in one of their programmes (``organised``: the person ids
    queries.booked_in_programmes_of found). Any other organiser gets a 404: the register is
    not theirs to browse (issue 13 item 4)."""
    if not _signed_in(user):
        return False
    if user.is_admin:
        return True
    if user.person_id is not None and (
        user.person_id == person.id or user.person_id == person.guardian_person_id
    ):
        return True
    return user.has_role("organiser") and person.id in organised


def shows_name(user, person, own: frozenset[int] = frozenset()) -> bool:
    """Whether ``user`` may see the name of ``person`` (a Person) on a performance page."""
    if person is None:
        return is_staff(user)  # a guest known by name only: no consent on record
    return is_staff(user) or person.id in own or person.has_publication_consent
