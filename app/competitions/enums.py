"""Enumerations of the competitions domain, stored by value (app/core/db.enum_column)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.enums import LabelledEnum


class Level(LabelledEnum):
    """Competition levels, widest first."""

    INTERNATIONAL = "international", _l("International")
    NATIONAL = "national", _l("National")
    PROVINCIAL = "provincial", _l("Provincial")
    CITY = "city", _l("City")
    DISTRICT = "district", _l("District")


class CompetitionStatus(LabelledEnum):
    PLANNED = "planned", _l("Planned")
    ENTRIES_OPEN = "entries_open", _l("Entries open")
    IN_PROGRESS = "in_progress", _l("In progress")
    FINISHED = "finished", _l("Finished")
    CANCELLED = "cancelled", _l("Cancelled")


class EventGender(LabelledEnum):
    WOMEN = "women", _l("Women")
    MEN = "men", _l("Men")
    MIXED = "mixed", _l("Mixed")
    OPEN = "open", _l("Open to all")


class EntryStatus(LabelledEnum):
    NOMINATED = "nominated", _l("Nominated")
    CONFIRMED = "confirmed", _l("Confirmed")
    WITHDRAWN = "withdrawn", _l("Withdrawn")


class SupportRole(LabelledEnum):
    GUIDE = "guide", _l("Guide")
    ASSISTANT = "assistant", _l("Assistant")
    COMPANION = "companion", _l("Companion")
    COACH = "coach", _l("Coach")


class ResultStatus(LabelledEnum):
    OK = "OK", _l("Finished (OK)")
    DNS = "DNS", _l("Did not start (DNS)")
    DNF = "DNF", _l("Did not finish (DNF)")
    DSQ = "DSQ", _l("Disqualified (DSQ)")


class Medal(LabelledEnum):
    GOLD = "gold", _l("Gold")
    SILVER = "silver", _l("Silver")
    BRONZE = "bronze", _l("Bronze")
    NONE = "none", _l("No medal")

    @property
    def rank(self) -> int | None:
        """The place a medal goes with: gold 1, silver 2, bronze 3 (ties share the place)."""
        return {Medal.GOLD: 1, Medal.SILVER: 2, Medal.BRONZE: 3}.get(self)


class ClassWarning(LabelledEnum):
    """Why an entry's athlete may not be eligible in the event's sport (no labels: the
    warning's words are EntryWarning.message)."""

    NO_CLASS = "no_class"
    NOT_CONFIRMED = "not_confirmed"
    REVIEW_DUE = "review_due"
