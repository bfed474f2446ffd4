"""Enumerations of the people register, each with a translatable label.

Values are stored as readable strings behind CHECK constraints (core.db.enum_column).
DisabilityCategory and DisabilityGrade also carry the digit the certificate number uses
(19th and 20th characters), so the certificate can be checked against the record."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Gender(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"

    @property
    def label(self):
        return {Gender.MALE: _l("Male"), Gender.FEMALE: _l("Female")}[self]


class DisabilityCategory(enum.StrEnum):
    """The seven categories of the national disability certificate, in certificate order."""

    VISUAL = "visual"
    HEARING = "hearing"
    SPEECH = "speech"
    PHYSICAL = "physical"
    INTELLECTUAL = "intellectual"
    MENTAL = "mental"
    MULTIPLE = "multiple"

    @property
    def digit(self) -> str:
        """The certificate's 19th character: 1 visual … 7 multiple."""
        return str(list(DisabilityCategory).index(self) + 1)

    @classmethod
    def from_digit(cls, digit: str) -> DisabilityCategory:
        return list(cls)[int(digit) - 1]

    @property
    def label(self):
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    DisabilityCategory.VISUAL: _l("Visual disability"),
    DisabilityCategory.HEARING: _l("Hearing disability"),
    DisabilityCategory.SPEECH: _l("Speech disability"),
    DisabilityCategory.PHYSICAL: _l("Physical disability"),
    DisabilityCategory.INTELLECTUAL: _l("Intellectual disability"),
    DisabilityCategory.MENTAL: _l("Mental (psychosocial) disability"),
    DisabilityCategory.MULTIPLE: _l("Multiple disabilities"),
}


class DisabilityGrade(enum.StrEnum):
    """Grades 1 (most severe) to 4 (least severe); the value is the certificate's 20th digit."""

    GRADE_1 = "1"
    GRADE_2 = "2"
    GRADE_3 = "3"
    GRADE_4 = "4"

    @property
    def digit(self) -> str:
        return self.value

    @classmethod
    def from_digit(cls, digit: str) -> DisabilityGrade:
        return cls(digit)

    @property
    def label(self):
        return GRADE_LABELS[self]


GRADE_LABELS = {
    DisabilityGrade.GRADE_1: _l("Grade 1 (most severe)"),
    DisabilityGrade.GRADE_2: _l("Grade 2"),
    DisabilityGrade.GRADE_3: _l("Grade 3"),
    DisabilityGrade.GRADE_4: _l("Grade 4 (least severe)"),
}


class GuardianRelation(enum.StrEnum):
    PARENT = "parent"
    GRANDPARENT = "grandparent"
    SPOUSE = "spouse"
    CHILD = "child"
    SIBLING = "sibling"
    OTHER_RELATIVE = "other_relative"
    CARER = "carer"
    OTHER = "other"

    @property
    def label(self):
        return RELATION_LABELS[self]


RELATION_LABELS = {
    GuardianRelation.PARENT: _l("Parent"),
    GuardianRelation.GRANDPARENT: _l("Grandparent"),
    GuardianRelation.SPOUSE: _l("Spouse or partner"),
    GuardianRelation.CHILD: _l("Son or daughter"),
    GuardianRelation.SIBLING: _l("Brother or sister"),
    GuardianRelation.OTHER_RELATIVE: _l("Other relative"),
    GuardianRelation.CARER: _l("Paid or volunteer carer"),
    GuardianRelation.OTHER: _l("Other"),
}


class ConsentKind(enum.StrEnum):
    """collection: to collect and keep sensitive information (PIPL art. 29, 31);
    publication: name, photo and sport class may appear on public pages (art. 25)."""

    COLLECTION = "collection"
    PUBLICATION = "publication"

    @property
    def label(self):
        return {
            ConsentKind.COLLECTION: _l("Collection of sensitive information"),
            ConsentKind.PUBLICATION: _l("Publication of name, photo and sport class"),
        }[self]


class ConsentGivenBy(enum.StrEnum):
    SELF = "self"
    GUARDIAN = "guardian"

    @property
    def label(self):
        return {
            ConsentGivenBy.SELF: _l("The person themselves"),
            ConsentGivenBy.GUARDIAN: _l("Their guardian"),
        }[self]
