"""Enumerations of the competitions domain, stored by value (app/core/db.enum_column)."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Level(enum.StrEnum):
    """Competition levels, widest first."""

    INTERNATIONAL = "international"
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"
    DISTRICT = "district"

    @property
    def label(self):
        return {
            Level.INTERNATIONAL: _l("International"),
            Level.NATIONAL: _l("National"),
            Level.PROVINCIAL: _l("Provincial"),
            Level.CITY: _l("City"),
            Level.DISTRICT: _l("District"),
        }[self]

    @property
    def order(self) -> int:
        return list(Level).index(self)


class CompetitionStatus(enum.StrEnum):
    PLANNED = "planned"
    ENTRIES_OPEN = "entries_open"
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"
    CANCELLED = "cancelled"

    @property
    def label(self):
        return {
            CompetitionStatus.PLANNED: _l("Planned"),
            CompetitionStatus.ENTRIES_OPEN: _l("Entries open"),
            CompetitionStatus.IN_PROGRESS: _l("In progress"),
            CompetitionStatus.FINISHED: _l("Finished"),
            CompetitionStatus.CANCELLED: _l("Cancelled"),
        }[self]


class EventGender(enum.StrEnum):
    WOMEN = "women"
    MEN = "men"
    MIXED = "mixed"
    OPEN = "open"

    @property
    def label(self):
        return {
            EventGender.WOMEN: _l("Women"),
            EventGender.MEN: _l("Men"),
            EventGender.MIXED: _l("Mixed"),
            EventGender.OPEN: _l("Open to all"),
        }[self]


class EntryStatus(enum.StrEnum):
    NOMINATED = "nominated"
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"

    @property
    def label(self):
        return {
            EntryStatus.NOMINATED: _l("Nominated"),
            EntryStatus.CONFIRMED: _l("Confirmed"),
            EntryStatus.WITHDRAWN: _l("Withdrawn"),
        }[self]


class SupportRole(enum.StrEnum):
    GUIDE = "guide"
    ASSISTANT = "assistant"
    COMPANION = "companion"
    COACH = "coach"

    @property
    def label(self):
        return {
            SupportRole.GUIDE: _l("Guide"),
            SupportRole.ASSISTANT: _l("Assistant"),
            SupportRole.COMPANION: _l("Companion"),
            SupportRole.COACH: _l("Coach"),
        }[self]


class ResultStatus(enum.StrEnum):
    OK = "OK"
    DNS = "DNS"
    DNF = "DNF"
    DSQ = "DSQ"

    @property
    def label(self):
        return {
            ResultStatus.OK: _l("Finished (OK)"),
            ResultStatus.DNS: _l("Did not start (DNS)"),
            ResultStatus.DNF: _l("Did not finish (DNF)"),
            ResultStatus.DSQ: _l("Disqualified (DSQ)"),
        }[self]


class Medal(enum.StrEnum):
    GOLD = "gold"
    SILVER = "silver"
    BRONZE = "bronze"
    NONE = "none"

    @property
    def label(self):
        return {
            Medal.GOLD: _l("Gold"),
            Medal.SILVER: _l("Silver"),
            Medal.BRONZE: _l("Bronze"),
            Medal.NONE: _l("No medal"),
        }[self]

    @property
    def rank(self) -> int | None:
        """The place a medal goes with: gold 1, silver 2, bronze 3 (ties share the place)."""
        return {Medal.GOLD: 1, Medal.SILVER: 2, Medal.BRONZE: 3}.get(self)


class ClassWarning(enum.StrEnum):
    """Why an entry's athlete may not be eligible in the event's sport."""

    NO_CLASS = "no_class"
    NOT_CONFIRMED = "not_confirmed"
    REVIEW_DUE = "review_due"
