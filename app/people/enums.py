"""Enumerations of the people register, each with a translatable label.

Values are stored as readable strings behind CHECK constraints (core.db.enum_column).
DisabilityCategory and DisabilityGrade also carry the digit the certificate number uses
(19th and 20th characters), so the certificate can be checked against the record."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.enums import LabelledEnum


class Gender(LabelledEnum):
    MALE = "male", _l("Male")
    FEMALE = "female", _l("Female")


class DisabilityCategory(LabelledEnum):
    """The seven categories of the national disability certificate, in certificate order."""

    VISUAL = "visual", _l("Visual disability")
    HEARING = "hearing", _l("Hearing disability")
    SPEECH = "speech", _l("Speech disability")
    PHYSICAL = "physical", _l("Physical disability")
    INTELLECTUAL = "intellectual", _l("Intellectual disability")
    MENTAL = "mental", _l("Mental (psychosocial) disability")
    MULTIPLE = "multiple", _l("Multiple disabilities")

    @property
    def digit(self) -> str:
        """The certificate's 19th character: 1 visual … 7 multiple."""
        return str(list(DisabilityCategory).index(self) + 1)

    @classmethod
    def from_digit(cls, digit: str) -> DisabilityCategory:
        return list(cls)[int(digit) - 1]


class DisabilityGrade(LabelledEnum):
    """Grades 1 (most severe) to 4 (least severe); the value is the certificate's 20th digit."""

    GRADE_1 = "1", _l("Grade 1 (most severe)")
    GRADE_2 = "2", _l("Grade 2")
    GRADE_3 = "3", _l("Grade 3")
    GRADE_4 = "4", _l("Grade 4 (least severe)")

    @property
    def digit(self) -> str:
        return self.value

    @classmethod
    def from_digit(cls, digit: str) -> DisabilityGrade:
        return cls(digit)


class GuardianRelation(LabelledEnum):
    PARENT = "parent", _l("Parent")
    GRANDPARENT = "grandparent", _l("Grandparent")
    SPOUSE = "spouse", _l("Spouse or partner")
    CHILD = "child", _l("Son or daughter")
    SIBLING = "sibling", _l("Brother or sister")
    OTHER_RELATIVE = "other_relative", _l("Other relative")
    CARER = "carer", _l("Paid or volunteer carer")
    OTHER = "other", _l("Other")


class ConsentKind(LabelledEnum):
    """collection: to collect and keep sensitive information (PIPL art. 29, 31);
    publication: name, photo and sport class may appear on public pages (art. 25);
    scouting: the coaches of their athlete profile may see their disability category and grade
    (art. 23: sharing sensitive information with another handler needs its own consent);
    contact: to be told by e-mail, SMS or WeChat when something they are expected at changes
    (app/notices; their register phone and e-mail are used for nothing else)."""

    COLLECTION = "collection", _l("Collection of sensitive information")
    PUBLICATION = "publication", _l("Publication of name, photo and sport class")
    SCOUTING = "scouting", _l("Sharing the disability category and grade with their coaches")
    CONTACT = "contact", _l("To be contacted about changes")


class ConsentGivenBy(LabelledEnum):
    SELF = "self", _l("The person themselves")
    GUARDIAN = "guardian", _l("Their guardian")
