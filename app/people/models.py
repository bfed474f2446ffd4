"""The people register: one Person per human being, and the consents they (or their
guardian) gave. Other domains (athletes, troupes, homes, accounts) attach to Person.

Certificate columns:
- ``certificate_number`` holds the full number and is read only by the admin-only,
  audit-logged certificate page (people.certificate); templates elsewhere use
  ``certificate_masked``.
- ``certificate_hash`` is the keyed hash (certificate.keyed_hash) of the resident ID part. It
  is UNIQUE (NULLs allowed): the service reports a duplicate with the existing person's name
  before saving, and the constraint still stops two concurrent saves of the same number. An
  archived person keeps their number, so re-registering someone means restoring their record.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import clock
from app.core.crypto import EncryptedText
from app.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_column, foreign_key
from app.people.enums import (
    ConsentGivenBy,
    ConsentKind,
    DisabilityCategory,
    DisabilityGrade,
    Gender,
    GuardianRelation,
)

# PIPL art. 31: personal information of children under 14 needs a guardian's consent.
GUARDIAN_CONSENT_AGE = 14
# The fields PIPL treats as sensitive for everyone; for under-14s the whole record is.
SENSITIVE_FIELDS = ("disability_category", "disability_grade", "certificate_number", "notes")


def mask_openid(openid: str) -> str:
    """An openid as pages other than the edit form show it: its first and last four
    characters ("o6_b…Wdc9"), enough to tell two bindings apart, not to copy one."""
    openid = openid or ""
    return f"{openid[:4]}…{openid[-4:]}" if len(openid) > 8 else openid


def age_on(birth_on: date, on: date) -> int:
    return on.year - birth_on.year - ((on.month, on.day) < (birth_on.month, birth_on.day))


def consent_counts(
    birth_on: date, givers: Iterable[ConsentGivenBy | str], on: date | None = None
) -> bool:
    """The consent rule, in one place: whether a person born on ``birth_on`` consents on
    ``on`` (default today), given who gave their active consents of one kind (``givers``:
    each one's ConsentGivenBy or its value). Any one counts; for a person under 14 that day,
    only the guardian's. Person.active_consents (ORM objects), app/notices' load_people
    (plain rows for thousands of people) and withhold.recheck (one query per send) ask it."""
    given = {ConsentGivenBy(g) for g in givers}
    if age_on(birth_on, on or clock.today()) < GUARDIAN_CONSENT_AGE:
        return ConsentGivenBy.GUARDIAN in given
    return bool(given)


def _has_consent(kind: ConsentKind) -> property:
    """A person's flag: whether a consent of ``kind`` counts now (``active_consents``)."""
    return property(lambda person: bool(person.active_consents(kind)))


class Person(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    name_pinyin: Mapped[str] = mapped_column(sa.String(200), default="")
    gender: Mapped[Gender] = mapped_column(enum_column(Gender, "gender"))
    birth_on: Mapped[date] = mapped_column(sa.Date)
    town_id: Mapped[int | None] = foreign_key("towns.id", ondelete="RESTRICT", index=True)
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    # The person's openid with the federation's WeChat Official Account (app/notices sends
    # subscription messages to it, with their contact consent); "" when not bound.
    wechat_openid: Mapped[str] = mapped_column(sa.String(64), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    disability_category: Mapped[DisabilityCategory | None] = mapped_column(
        enum_column(DisabilityCategory, "disability_category"), index=True
    )
    disability_grade: Mapped[DisabilityGrade | None] = mapped_column(
        enum_column(DisabilityGrade, "disability_grade")
    )
    # Deferred: loaded only when code asks for it (services, the certificate page), never by
    # the list and detail queries.
    # Encrypted at rest (core.crypto): the database and its backups hold a Fernet token.
    certificate_number: Mapped[str | None] = mapped_column(EncryptedText, deferred=True)
    certificate_masked: Mapped[str] = mapped_column(sa.String(20), default="")
    certificate_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True, index=True)
    guardian_name: Mapped[str] = mapped_column(sa.String(100), default="")
    guardian_relation: Mapped[GuardianRelation | None] = mapped_column(
        enum_column(GuardianRelation, "guardian_relation")
    )
    guardian_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    guardian_person_id: Mapped[int | None] = foreign_key(
        "people.id", ondelete="SET NULL", index=True
    )
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # Asked (themselves or their caregiver for them) for a reminder the day before each
    # thing they are expected at (app/notices/reminders.py; contact consent still needed).
    wants_reminders: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    is_archived: Mapped[bool] = mapped_column(sa.Boolean, default=False, index=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_by_id: Mapped[int | None] = foreign_key("users.id", ondelete="SET NULL", index=True)

    town = relationship("Town")
    guardian_person: Mapped[Person | None] = relationship(
        remote_side=[id], foreign_keys=[guardian_person_id]
    )
    archived_by = relationship("User", foreign_keys=[archived_by_id])
    consents: Mapped[list[Consent]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        order_by="(Consent.given_on, Consent.id)",
    )

    def __str__(self) -> str:
        return self.name

    def is_minor(self, on: date | None = None) -> bool:
        """Under 14 (the age below which a guardian consents) on ``on`` (default today)."""
        return age_on(self.birth_on, on or clock.today()) < GUARDIAN_CONSENT_AGE

    def age(self, on: date | None = None) -> int:
        return age_on(self.birth_on, on or clock.today())

    def active_consents(self, kind: ConsentKind) -> list[Consent]:
        """Consents of ``kind`` that count now: not withdrawn, and for an under-14 given by
        the guardian (consent_counts, asked of each consent)."""
        today = clock.today()
        return [
            c
            for c in self.consents
            if c.kind == kind and c.is_active and consent_counts(self.birth_on, [c.given_by], today)
        ]

    has_collection_consent = _has_consent(ConsentKind.COLLECTION)
    has_publication_consent = _has_consent(ConsentKind.PUBLICATION)
    has_scouting_consent = _has_consent(ConsentKind.SCOUTING)
    # May be told about changes (app/notices) on their register phone and e-mail.
    has_contact_consent = _has_consent(ConsentKind.CONTACT)

    @property
    def wechat_openid_masked(self) -> str:
        return mask_openid(self.wechat_openid)

    @property
    def has_certificate(self) -> bool:
        return bool(self.certificate_hash)


class Consent(TimestampMixin, Base):
    """A consent given on a date by the person or their guardian for one purpose, under a
    version of the privacy notice; withdrawal is recorded, never deleted."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = foreign_key("people.id", ondelete="CASCADE", index=True)
    kind: Mapped[ConsentKind] = mapped_column(enum_column(ConsentKind, "consent_kind"))
    given_on: Mapped[date] = mapped_column(sa.Date)
    given_by: Mapped[ConsentGivenBy] = mapped_column(
        enum_column(ConsentGivenBy, "consent_given_by")
    )
    guardian_name: Mapped[str] = mapped_column(sa.String(100), default="")
    notice_version: Mapped[str] = mapped_column(sa.String(40))
    withdrawn_on: Mapped[date | None] = mapped_column(sa.Date)
    recorded_by_id: Mapped[int | None] = foreign_key("users.id", ondelete="SET NULL", index=True)

    person: Mapped[Person] = relationship(back_populates="consents")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    __table_args__ = (
        sa.CheckConstraint(
            "withdrawn_on IS NULL OR withdrawn_on >= given_on", name="withdrawn_after_given"
        ),
    )

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None

    @classmethod
    def active_of(cls, kind: ConsentKind) -> sa.ColumnElement[bool]:
        """SQL: a consent of ``kind`` not withdrawn (is_active's condition, for queries)."""
        return sa.and_(cls.kind == kind, cls.withdrawn_on.is_(None))
