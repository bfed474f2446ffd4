"""``LabelledEnum``: a string enum whose members are declared with their display label.

    class Level(LabelledEnum):
        INTERNATIONAL = "international", _l("International")
        NATIONAL = "national", _l("National")

``Level.NATIONAL.value`` is what the database stores (``core.db.enum_column``), ``.label`` the
translatable words, ``.order`` the declaration position (declaration order is display order),
and ``Level.choices()`` the (value, label) pairs of a select box or checkbox group. The idea is
Django's TextChoices (as pretalx uses them): the label sits beside its value, so a new member
cannot be forgotten in a separate mapping.
"""

from __future__ import annotations

import enum


class LabelledEnum(enum.StrEnum):
    _label: str  # set per member in __new__ (an annotation, not a member)

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label if label is not None else value
        return member

    @property
    def label(self):
        """The member's words in the reader's language (a lazy string)."""
        return self._label

    @property
    def order(self) -> int:
        """The position in the declaration: the display order."""
        return type(self)._member_names_.index(self._name_)

    @classmethod
    def choices(cls, blank=None, members=None) -> list[tuple[str, object]]:
        """(value, label) pairs in declaration order, after a ("", blank) choice if given;
        ``members`` restricts them (in the order given)."""
        pairs = [(member.value, member.label) for member in (members or cls)]
        return [("", blank), *pairs] if blank is not None else pairs

    @classmethod
    def coerce(cls, value):
        """The member for a value, or None for an empty or unknown one (form filters)."""
        try:
            return cls(value) if value else None
        except ValueError:
            return None
