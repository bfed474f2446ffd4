"""The disability certificate number (残疾人证号): normalise, validate, mask, hash, generate.

A certificate number has 20 characters: the holder's 18-character resident ID number
(17 digits and a check character 0-9 or X computed with ISO 7064 MOD 11-2; the birth date
YYYYMMDD is in characters 7-14 and the sex in character 17, odd for men) followed by the
disability category digit (1 visual … 7 multiple) and the grade digit (1-4).

The full number is personal data: pages show ``mask(number)``, which keeps only characters
1-4 and 15-18 and so never contains the birth date; duplicates are found through
``keyed_hash`` (HMAC-SHA256 of the resident ID part with PERSONAL_DATA_KEY), never by
comparing plain numbers in queries or logs."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core import clock
from app.core.errors import DomainError
from app.people.enums import DisabilityCategory, DisabilityGrade, Gender

LENGTH = 20
ID_LENGTH = 18
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# Spaces and every kind of hyphen or dash people type or paste between groups of digits.
SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc\ufe58\ufe63]+")
SHAPE = re.compile(r"[0-9]{17}[0-9X][0-9]{2}")
FIELD = "certificate_number"


class CertificateError(DomainError):
    """A certificate number that cannot be accepted. ``code`` names the rule it broke."""

    def __init__(self, code: str, message, field: str = FIELD):
        super().__init__(message, field=field)
        self.code = code


@dataclass(frozen=True)
class Certificate:
    number: str
    area_code: str
    birth_on: date
    sex_digit: int
    category: DisabilityCategory
    grade: DisabilityGrade

    @property
    def resident_id(self) -> str:
        return self.number[:ID_LENGTH]

    @property
    def masked(self) -> str:
        return mask(self.number)


def normalise(raw: str | None) -> str:
    """Full-width characters to ASCII (NFKC), spaces and hyphens removed, x upper-cased."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw))
    text = SEPARATORS.sub("", text)
    return text.replace("x", "X")


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def _birth_date(digits: str) -> date | None:
    try:
        born = date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    return born if born.year >= 1900 else None


def parse(raw: str | None, *, today: date | None = None) -> Certificate:
    """Check the number on its own (length, characters, checksum, birth date, category and
    grade digits) and return its parts. Raises CertificateError with a specific message."""
    number = normalise(raw)
    if len(number) != LENGTH:
        raise CertificateError(
            "length",
            _l(
                "A certificate number has 20 characters (the 18-character ID number, then the "
                "category and grade digits). You entered %(count)d.",
                count=len(number),
            ),
        )
    if not SHAPE.fullmatch(number):
        raise CertificateError(
            "characters",
            _l(
                "A certificate number contains only digits, except the 18th character, "
                "which may be X."
            ),
        )
    if check_character(number[:17]) != number[17]:
        raise CertificateError(
            "checksum",
            _l(
                "The ID number in the certificate number does not add up (its check "
                "character is wrong). Check each digit against the certificate."
            ),
        )
    born = _birth_date(number[6:14])
    if born is None:
        raise CertificateError(
            "birth_date",
            _l(
                "Characters 7 to 14 of the certificate number should be a date of birth, "
                "but they are not a real date."
            ),
        )
    if born > (today or clock.today()):
        raise CertificateError(
            "future_birth_date",
            _l(
                "The date of birth in the certificate number (characters 7 to 14) is in the future."
            ),
        )
    if number[18] not in "1234567":
        raise CertificateError(
            "category",
            _l("The 19th character is the disability category and must be a digit from 1 to 7."),
        )
    if number[19] not in "1234":
        raise CertificateError(
            "grade",
            _l("The 20th character is the disability grade and must be a digit from 1 to 4."),
        )
    return Certificate(
        number=number,
        area_code=number[:6],
        birth_on=born,
        sex_digit=int(number[16]),
        category=DisabilityCategory.from_digit(number[18]),
        grade=DisabilityGrade.from_digit(number[19]),
    )


def check_agreement(
    certificate: Certificate,
    *,
    birth_on: date | None,
    category: DisabilityCategory | str | None,
    grade: DisabilityGrade | str | None,
) -> None:
    """The number must agree with the person's recorded birth date, category and grade."""
    if birth_on is not None and certificate.birth_on != birth_on:
        raise CertificateError(
            "birth_date_mismatch",
            _l(
                "The date of birth in the certificate number (characters 7 to 14) is not the "
                "date of birth entered for this person."
            ),
        )
    category = _chosen(
        DisabilityCategory,
        category,
        "category_missing",
        _l("Choose the disability category shown on the certificate."),
        "disability_category",
    )
    if certificate.category != category:
        raise CertificateError(
            "category_mismatch",
            _l(
                "The certificate number says “%(certificate)s” (19th character %(digit)s), "
                "but the category chosen is “%(chosen)s”.",
                certificate=certificate.category.label,
                digit=certificate.category.digit,
                chosen=category.label,
            ),
        )
    grade = _chosen(
        DisabilityGrade,
        grade,
        "grade_missing",
        _l("Choose the disability grade shown on the certificate."),
        "disability_grade",
    )
    if certificate.grade != grade:
        raise CertificateError(
            "grade_mismatch",
            _l(
                "The certificate number says grade %(certificate)s (20th character), but "
                "the grade chosen is %(chosen)s.",
                certificate=certificate.grade.digit,
                chosen=grade.digit,
            ),
        )


def _chosen(enum_cls, value, code: str, message, field: str):
    """The member of ``enum_cls`` the person's record has; CertificateError ``code`` on
    ``field`` when none is chosen."""
    if value is None or value == "":
        raise CertificateError(code, message, field=field)
    return enum_cls(value)


def validate(
    raw: str | None,
    *,
    birth_on: date | None = None,
    category: DisabilityCategory | str | None = None,
    grade: DisabilityGrade | str | None = None,
    today: date | None = None,
) -> Certificate:
    """Parse the number and check it agrees with the person's details."""
    certificate = parse(raw, today=today)
    check_agreement(certificate, birth_on=birth_on, category=category, grade=grade)
    return certificate


def mask(number: str | None) -> str:
    """Characters 1-4 and 15-18 kept, the rest starred: ``3302**********123X**``.

    The birth date (characters 7-14) is always hidden; anything that is not a whole ID or
    certificate number is starred completely."""
    value = normalise(number)
    if len(value) == LENGTH:
        return value[:4] + "*" * 10 + value[14:18] + "**"
    if len(value) == ID_LENGTH:
        return value[:4] + "*" * 10 + value[14:18]
    return "*" * len(value)


def grouped(number: str | None) -> str:
    """``330283 20080101 123X 41``: the groups of the ID number (area, birth date, sequence
    and check character, category and grade). Used only to echo a number back into the form
    its own typist is correcting, never for a stored number."""
    value = normalise(number)
    parts = [value[:6], value[6:14], value[14:18]]
    parts += [value[i : i + 4] for i in range(18, len(value), 4)]
    return " ".join(part for part in parts if part)


def keyed_hash(number: str | None, key: str | bytes | None = None) -> str:
    """HMAC-SHA256 (hex) of the resident ID part (first 18 characters) of the normalised
    number, keyed with PERSONAL_DATA_KEY. Hashing the ID part means a re-issued certificate
    with another category or grade still matches its holder."""
    if key is None:
        key = current_app.config["PERSONAL_DATA_KEY"]
    if not key:
        raise RuntimeError("PERSONAL_DATA_KEY is not set")
    if isinstance(key, str):
        key = key.encode()
    resident_id = normalise(number)[:ID_LENGTH]
    return hmac.new(key, resident_id.encode(), hashlib.sha256).hexdigest()


def generate(
    birth_on: date,
    category: DisabilityCategory | str,
    grade: DisabilityGrade | str,
    *,
    gender: Gender | str | None = None,
    sequence: int = 1,
    area_code: str = "330283",
) -> str:
    """A valid fictional certificate number (for demo data and tests): the given area code,
    birth date, a sequence number (0-99), a sex digit matching ``gender``, the check
    character, then the category and grade digits."""
    if not (len(area_code) == 6 and area_code.isascii() and area_code.isdigit()):
        raise ValueError("area_code must be 6 digits")
    digits = "13579" if gender in (None, Gender.MALE, "male") else "02468"
    sex_digit = digits[sequence % 5]
    first17 = f"{area_code}{birth_on:%Y%m%d}{sequence % 100:02d}{sex_digit}"
    return (
        first17
        + check_character(first17)
        + DisabilityCategory(category).digit
        + DisabilityGrade(grade).digit
    )
