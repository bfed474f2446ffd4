"""Operations on the people register. Services check the rules, flush and audit; the route
or CLI commits once.

Rules (security-privacy.md, PIPL):
- Disability category, grade, certificate number and notes (which may hold health
  information) are sensitive: they are saved only while the person has an active
  collection consent.
- For a child under 14 the whole record is sensitive: it is saved only with a collection
  consent given by their guardian, and every consent for an under-14 comes from the guardian.
- The certificate number must be valid and agree with the birth date, category and grade;
  the same resident ID cannot be registered twice (keyed hash).
- Audit rows name the fields that changed, never their values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core import audit, clock, editing
from app.core.errors import DomainError
from app.extensions import db
from app.people import certificate as cert
from app.people.enums import (
    ConsentGivenBy,
    ConsentKind,
    DisabilityCategory,
    DisabilityGrade,
    Gender,
    GuardianRelation,
)
from app.people.models import (
    GUARDIAN_CONSENT_AGE,
    SENSITIVE_FIELDS,
    Consent,
    Person,
    age_on,
    consent_counts,
)

# The privacy notice people are shown when they consent; bump when its text changes.
CURRENT_NOTICE_VERSION = "2026-1"

# Person attributes a form may set (forms list their fields; nothing is copied by key).
PERSON_FIELDS = (
    "name",
    "name_pinyin",
    "gender",
    "birth_on",
    "town_id",
    "phone",
    "email",
    "wechat_openid",
    "address",
    "disability_category",
    "disability_grade",
    "guardian_name",
    "guardian_relation",
    "guardian_phone",
    "guardian_person_id",
    "notes",
    "wants_reminders",
)
ENUM_FIELDS = {
    "gender": Gender,
    "disability_category": DisabilityCategory,
    "disability_grade": DisabilityGrade,
    "guardian_relation": GuardianRelation,
}
TEXT_FIELDS = (
    "name",
    "name_pinyin",
    "phone",
    "email",
    "wechat_openid",
    "address",
    "guardian_name",
    "guardian_phone",
    "notes",
)


class DuplicateCertificate(DomainError):
    """The certificate's resident ID is already registered. ``existing`` is that person when
    the user may see their record, else None."""

    def __init__(self, message, existing: Person | None):
        super().__init__(message, field=cert.FIELD)
        self.existing = existing


# pypinyin has no surname mode (python-pinyin issue 297, open): its dictionary reads a name's
# first characters as ordinary words. A family name is read from these tables first.
COMPOUND_SURNAMES = {
    "欧阳": "ouyang", "司马": "sima", "上官": "shangguan", "诸葛": "zhuge", "东方": "dongfang",
    "皇甫": "huangfu", "尉迟": "yuchi", "公孙": "gongsun", "令狐": "linghu", "慕容": "murong",
    "宇文": "yuwen", "长孙": "zhangsun", "司徒": "situ", "司空": "sikong", "夏侯": "xiahou",
    "轩辕": "xuanyuan", "端木": "duanmu", "独孤": "dugu", "南宫": "nangong", "西门": "ximen",
    "万俟": "moqi", "单于": "chanyu", "澹台": "tantai", "公羊": "gongyang", "淳于": "chunyu",
    "赫连": "helian", "钟离": "zhongli", "闻人": "wenren", "申屠": "shentu", "呼延": "huyan",
    "百里": "baili", "东郭": "dongguo", "濮阳": "puyang", "太史": "taishi", "拓跋": "tuoba",
}  # fmt: skip
# Characters read one way as a family name and another in ordinary words.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "朴": "piao", "查": "zha",
    "区": "ou", "覃": "qin", "翟": "zhai", "盖": "ge", "缪": "miao", "乐": "yue", "尉": "yu",
    "秘": "bi", "冼": "xian", "过": "guo", "种": "chong", "重": "chong", "繁": "po",
    "瞿": "qu", "折": "she", "那": "na", "藏": "zang", "都": "du", "六": "lu", "薄": "bo",
    "贾": "jia", "居": "ju", "盛": "sheng", "柏": "bai", "牟": "mou", "陆": "lu", "华": "hua",
    "纪": "ji", "燕": "yan", "宿": "su", "沈": "shen", "员": "yun", "阚": "kan", "祭": "zhai",
}  # fmt: skip


def _letters(syllable: str) -> str:
    """Only the letters of what pypinyin returned (it passes emoji, digits and symbols
    through unchanged)."""
    return "".join(ch for ch in syllable if ch.isalpha() and not _is_han(ch))


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


def _family_and_given(part: str) -> tuple[str, list[str]]:
    """The family name's pinyin (compound surnames as one word) and the given name's
    syllables, of one part of a name."""
    from pypinyin import lazy_pinyin

    family, rest = "", part
    if part[:2] in COMPOUND_SURNAMES:
        family, rest = COMPOUND_SURNAMES[part[:2]], part[2:]
    elif part[:1] in SURNAME_READINGS:
        family, rest = SURNAME_READINGS[part[:1]], part[1:]
    syllables = [_letters(s) for s in lazy_pinyin(rest)]
    syllables = [s for s in syllables if s]
    if not family and syllables:
        family, syllables = syllables[0], syllables[1:]
    return family, syllables


def pinyin_for(name: str) -> str:
    """Pinyin without tones, family name first: 张三丰 → "Zhang Sanfeng", 欧阳娜娜 →
    "Ouyang Nana", 单雄信 → "Shan Xiongxin". Parts separated by a middle dot or space are
    romanised separately; what is not a letter (emoji, digits, symbols) is dropped."""
    words = []
    for part in re.split(r"[\s·•・]+", name or ""):
        family, given = _family_and_given(part)
        if family:
            words.append(family.capitalize())
        if given:
            words.append("".join(given).capitalize())
    return " ".join(words)[:200]


def _actor(actor):
    if actor is not None:
        return actor
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def _clean(data: dict) -> dict:
    """Only known fields; enums coerced; text trimmed; empty choices to None."""
    values = {}
    for name in PERSON_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str) and name not in TEXT_FIELDS:
            value = value.strip()
        if name in ENUM_FIELDS:
            value = ENUM_FIELDS[name](value) if value not in (None, "") else None
        elif name in TEXT_FIELDS:
            value = (value or "").strip()
        elif name in ("town_id", "guardian_person_id"):
            value = int(value) if value not in (None, "") else None
        elif name == "wants_reminders":
            value = bool(value)
        values[name] = value
    return values


def _check_basics(values: dict, person: Person | None) -> None:
    if "name" in values and not values["name"]:
        raise DomainError(_l("Enter the person's name."), field="name")
    birth_on = values.get("birth_on")
    if "birth_on" in values and birth_on is None:
        raise DomainError(_l("Enter the date of birth."), field="birth_on")
    if birth_on is not None and birth_on > clock.today():
        raise DomainError(_l("The date of birth must not be in the future."), field="birth_on")
    if "gender" in values and values["gender"] is None:
        raise DomainError(_l("Choose the person's gender."), field="gender")
    guardian_id = values.get("guardian_person_id")
    if guardian_id is not None:
        if person is not None and guardian_id == person.id:
            raise DomainError(
                _l("A person cannot be their own guardian."), field="guardian_person_id"
            )
        if db.session.get(Person, guardian_id) is None:
            raise DomainError(
                _l("There is no person with register number %(number)s.", number=guardian_id),
                field="guardian_person_id",
            )
    if values.get("disability_grade") and not values.get("disability_category"):
        raise DomainError(
            _l("Choose the disability category as well as the grade."),
            field="disability_category",
        )


def _check_duplicate(number_hash: str, person: Person | None, can_see: Callable | None) -> None:
    query = sa.select(Person).where(Person.certificate_hash == number_hash)
    if person is not None and person.id is not None:
        query = query.where(Person.id != person.id)
    existing = db.session.scalar(query)
    if existing is None:
        return
    if can_see is None or can_see(existing):
        raise DuplicateCertificate(
            _l("This certificate number is already registered as %(name)s.", name=existing.name),
            existing,
        )
    raise DuplicateCertificate(
        _l("This certificate number is already registered to another person."), None
    )


def _certificate_changes(
    merged: dict,
    person: Person | None,
    number: str | None,
    remove: bool,
    can_see: Callable | None,
) -> dict | None:
    """The certificate columns to set (None: leave them), after checking the new or the kept
    number against the record's birth date, category and grade."""
    if number:
        parsed = cert.validate(
            number,
            birth_on=merged.get("birth_on"),
            category=merged.get("disability_category"),
            grade=merged.get("disability_grade"),
            today=clock.today(),
        )
        number_hash = cert.keyed_hash(parsed.number)
        _check_duplicate(number_hash, person, can_see)
        if person is not None and person.certificate_number == parsed.number:
            return None
        return {
            "certificate_number": parsed.number,
            "certificate_masked": parsed.masked,
            "certificate_hash": number_hash,
        }
    if remove:
        if person is None or not person.certificate_number:
            return None
        return {"certificate_number": None, "certificate_masked": "", "certificate_hash": None}
    if person is not None and person.certificate_number:
        try:
            cert.check_agreement(
                cert.parse(person.certificate_number),
                birth_on=merged.get("birth_on"),
                category=merged.get("disability_category"),
                grade=merged.get("disability_grade"),
            )
        except cert.CertificateError as error:
            raise cert.CertificateError(
                error.code,
                _l(
                    "The recorded certificate number does not agree with these details: "
                    "%(problem)s Enter the new certificate number, or correct the details.",
                    problem=error.message,
                ),
                field=error.field,
            ) from error
    return None


def _collection_consent_ok(person: Person, birth_on: date) -> bool:
    """An active collection consent, from the guardian if the person is under 14 (judged
    with the birth date about to be saved)."""
    givers = [
        c.given_by for c in person.consents if c.kind == ConsentKind.COLLECTION and c.is_active
    ]
    return consent_counts(birth_on, givers)


def _check_consent(person: Person, values: dict, certificate_cols: dict | None) -> None:
    """Sensitive fields need an active collection consent; an under-14's whole record needs
    their guardian's. ``values`` is the record as it would be saved."""
    birth_on = values["birth_on"]
    if age_on(birth_on, clock.today()) < GUARDIAN_CONSENT_AGE and not _collection_consent_ok(
        person, birth_on
    ):
        raise DomainError(
            _l(
                "This person is under 14: their details can only be saved with their "
                "guardian's consent. Record the guardian's consent first."
            ),
            field="consent_given_by",
        )
    has_certificate = (
        bool(certificate_cols["certificate_number"])
        if certificate_cols is not None
        else bool(person.certificate_number)
    )
    sensitive = any(values.get(n) for n in SENSITIVE_FIELDS if n in values) or has_certificate
    if sensitive and not _collection_consent_ok(person, birth_on):
        raise DomainError(
            _l(
                "Disability, certificate and health details can only be saved with consent "
                "to collect them. Record the consent first, or leave these fields empty."
            ),
            field="consent_given_by",
        )


def create_person(
    data: dict,
    *,
    certificate_number: str | None = None,
    consent: dict | None = None,
    actor=None,
    can_see: Callable | None = None,
) -> Person:
    """Register a person. ``consent`` (given_on, given_by, guardian_name, notice_version)
    records the collection consent obtained at registration, before any sensitive field is
    kept."""
    values = _clean(data)
    _check_basics({**dict.fromkeys(("name", "birth_on", "gender")), **values}, None)
    certificate_cols = _certificate_changes(values, None, certificate_number, False, can_see)
    if not values.get("name_pinyin"):
        values["name_pinyin"] = pinyin_for(values["name"])
    person = Person(**values)
    if certificate_cols:
        for name, value in certificate_cols.items():
            setattr(person, name, value)
    actor = _actor(actor)
    if consent is not None:
        try:
            new_consent = _new_consent(person, kind=ConsentKind.COLLECTION, actor=actor, **consent)
        except DomainError as error:
            # The registration form's consent fields are called consent_<name>.
            if error.field in ("given_on", "given_by", "notice_version"):
                error.field = f"consent_{error.field}"
            raise
        person.consents.append(new_consent)
    _check_consent(person, values, certificate_cols)
    db.session.add(person)
    db.session.flush()
    fields = [n for n in PERSON_FIELDS if values.get(n) not in (None, "", False)]
    if certificate_cols:
        fields.append("certificate_number")
    if consent is not None:
        fields.append("consent_collection")
    audit.record("create", "person", person.id, fields, actor=actor)
    return person


def update_person(
    person: Person,
    data: dict,
    *,
    expected_version: int | None,
    certificate_number: str | None = None,
    remove_certificate: bool = False,
    actor=None,
    can_see: Callable | None = None,
) -> list[str]:
    """Save changes made in an edit form built from ``expected_version`` of the record.
    Raises EditConflict when someone saved in between. Returns the changed field names."""
    editing.check_version(person, expected_version)
    values = _clean(data)
    _check_basics(values, person)
    merged = {n: getattr(person, n) for n in PERSON_FIELDS} | values
    certificate_cols = _certificate_changes(
        merged, person, certificate_number, remove_certificate, can_see
    )
    if "name" in values and not values.get("name_pinyin"):
        values["name_pinyin"] = pinyin_for(values["name"])
    _check_consent(person, merged, certificate_cols)
    for name, value in values.items():
        setattr(person, name, value)
    for name, value in (certificate_cols or {}).items():
        setattr(person, name, value)
    changed = audit.changed_fields(person, PERSON_FIELDS)
    if certificate_cols:
        changed.append("certificate_number")
    if not changed:
        return []
    audit.saved(person, "person", changed, actor=_actor(actor))
    return changed


def set_reminder_wish(person: Person, wanted: bool, *, actor=None) -> bool:
    """The person's own wish for day-before reminders (their account page); whether it
    changed (then audited like an edit of the field)."""
    if person.wants_reminders == bool(wanted):
        return False
    person.wants_reminders = bool(wanted)
    db.session.flush()
    audit.record("update", "person", person.id, ["wants_reminders"], actor=_actor(actor))
    return True


def archive_person(person: Person, *, actor=None) -> None:
    """Archive (never delete): the record leaves lists but history keeps pointing at it."""
    if person.is_archived:
        raise DomainError(_l("This person is already archived."))
    actor = _actor(actor)
    person.is_archived = True
    person.archived_at = clock.now()
    person.archived_by_id = getattr(actor, "id", None)
    db.session.flush()
    audit.record("archive", "person", person.id, ["is_archived"], actor=actor)


def restore_person(person: Person, *, actor=None) -> None:
    if not person.is_archived:
        raise DomainError(_l("This person is not archived."))
    person.is_archived = False
    person.archived_at = None
    person.archived_by_id = None
    db.session.flush()
    audit.record("restore", "person", person.id, ["is_archived"], actor=_actor(actor))


def _new_consent(
    person: Person,
    *,
    kind: ConsentKind | str,
    given_on: date | None,
    given_by: ConsentGivenBy | str | None,
    guardian_name: str = "",
    notice_version: str = CURRENT_NOTICE_VERSION,
    actor=None,
) -> Consent:
    kind = ConsentKind(kind)
    if given_on is None:
        raise DomainError(_l("Enter the date the consent was given."), field="given_on")
    if given_on > clock.today():
        raise DomainError(_l("The consent date must not be in the future."), field="given_on")
    if person.birth_on is not None and given_on < person.birth_on:
        raise DomainError(
            _l("The consent date is before the person's date of birth."), field="given_on"
        )
    if given_by in (None, ""):
        raise DomainError(_l("Choose who gave the consent."), field="given_by")
    given_by = ConsentGivenBy(given_by)
    guardian_name = (guardian_name or "").strip() or (
        person.guardian_name if given_by == ConsentGivenBy.GUARDIAN else ""
    )
    if person.birth_on is not None and age_on(person.birth_on, given_on) < GUARDIAN_CONSENT_AGE:
        if given_by != ConsentGivenBy.GUARDIAN:
            raise DomainError(
                _l(
                    "The person was under 14 on that date, so the consent must come from "
                    "their guardian."
                ),
                field="given_by",
            )
    if given_by == ConsentGivenBy.GUARDIAN and not guardian_name:
        raise DomainError(
            _l("Enter the name of the guardian who gave the consent."), field="guardian_name"
        )
    notice_version = (notice_version or "").strip()
    if not notice_version:
        raise DomainError(
            _l("Enter the version of the privacy notice the consent was given under."),
            field="notice_version",
        )
    return Consent(
        kind=kind,
        given_on=given_on,
        given_by=given_by,
        guardian_name=guardian_name if given_by == ConsentGivenBy.GUARDIAN else "",
        notice_version=notice_version,
        recorded_by_id=getattr(actor, "id", None),
    )


def record_consent(person: Person, *, actor=None, **consent_values) -> Consent:
    """Record a consent (``_new_consent``'s keywords). Under-14s' consents come from their
    guardian; a second active consent of the same kind is refused."""
    actor = _actor(actor)
    consent = _new_consent(person, actor=actor, **consent_values)
    if any(c.kind == consent.kind and c.withdrawn_on is None for c in person.consents):
        raise DomainError(
            _l("This person already has an active consent of this kind."), field="kind"
        )
    person.consents.append(consent)
    db.session.flush()
    audit.record("consent_given", "person", person.id, [f"consent_{consent.kind}"], actor=actor)
    return consent


# What other domains keep that reveals a person's impairment (an athlete's sport classes and
# assessment notes): functions erasing it for a person, answering the names of what went.
# Registered from above (app/privacy), since the register knows no other domain.
SENSITIVE_ERASERS: list[Callable[[Person], list[str]]] = []


def register_eraser(eraser: Callable[[Person], list[str]]) -> Callable[[Person], list[str]]:
    if eraser not in SENSITIVE_ERASERS:
        SENSITIVE_ERASERS.append(eraser)
    return eraser


def withdraw_consent(
    consent: Consent, *, withdrawn_on: date | None = None, actor=None
) -> list[str]:
    """Record a withdrawal. When the last collection consent goes, the sensitive fields are
    erased (PIPL art. 47); returns the names of the fields erased."""
    if consent.withdrawn_on is not None:
        raise DomainError(_l("This consent has already been withdrawn."))
    withdrawn_on = withdrawn_on or clock.today()
    if withdrawn_on < consent.given_on:
        raise DomainError(
            _l("The withdrawal date is before the date the consent was given."),
            field="withdrawn_on",
        )
    if withdrawn_on > clock.today():
        raise DomainError(
            _l("The withdrawal date must not be in the future."), field="withdrawn_on"
        )
    consent.withdrawn_on = withdrawn_on
    person = consent.person
    erased: list[str] = []
    if consent.kind == ConsentKind.COLLECTION and not person.has_collection_consent:
        for name in SENSITIVE_FIELDS:
            if getattr(person, name):
                erased.append(name)
        person.disability_category = None
        person.disability_grade = None
        person.notes = ""
        person.certificate_number = None
        person.certificate_masked = ""
        person.certificate_hash = None
        for eraser in SENSITIVE_ERASERS:
            erased.extend(eraser(person))
    db.session.flush()
    audit.record(
        "consent_withdrawn",
        "person",
        person.id,
        [f"consent_{consent.kind}", *erased],
        actor=_actor(actor),
    )
    return erased


def reveal_certificate(person: Person, *, actor=None) -> str:
    """The full certificate number, for an admin's explicit "show" action; the view is
    audit-logged (action ``view_sensitive``)."""
    if not person.certificate_number:
        raise DomainError(_l("No certificate number is recorded for this person."))
    audit.record("view_sensitive", "person", person.id, ["certificate_number"], actor=_actor(actor))
    db.session.flush()
    return person.certificate_number


def record_view(person: Person, *, actor=None) -> None:
    """Log that someone opened a page showing this person's sensitive fields (category,
    grade, notes; the certificate only masked). The row names the fields, never values."""
    shown = [
        name
        for name in ("disability_category", "disability_grade", "notes")
        if getattr(person, name)
    ]
    if person.certificate_masked:
        shown.append("certificate_masked")
    if shown:
        audit.record("view", "person", person.id, shown, actor=_actor(actor))
        db.session.flush()


def record_list_view(people, *, actor=None) -> None:
    """Log that a register list showed these people's disability category and grade: one row
    for the page, naming the record ids (ids are not sensitive) and the fields shown."""
    ids = [p.id for p in people if p.disability_category or p.disability_grade]
    if ids:
        audit.record(
            "view_list",
            "person",
            None,
            ["disability_category", "disability_grade"],
            actor=_actor(actor),
            details={"ids": ids},
        )
        db.session.flush()
