"""Enumerations of the athletes domain, each with a translatable label."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Stage(enum.StrEnum):
    """The reserve pipeline, in order. ``retired`` ends it from any stage."""

    IDENTIFIED = "identified"
    SCREENED = "screened"
    TRIAL_TRAINING = "trial_training"
    RESERVE = "reserve"
    SQUAD = "squad"
    RETIRED = "retired"

    @property
    def label(self):
        return STAGE_LABELS[self]

    @property
    def order(self) -> int:
        return list(Stage).index(self)


STAGE_LABELS = {
    Stage.IDENTIFIED: _l("Identified"),
    Stage.SCREENED: _l("Screened"),
    Stage.TRIAL_TRAINING: _l("Trial training"),
    Stage.RESERVE: _l("Reserve"),
    Stage.SQUAD: _l("Squad"),
    Stage.RETIRED: _l("Retired"),
}


class SquadLevel(enum.StrEnum):
    NONE = "none"
    DISTRICT = "district"
    CITY = "city"
    PROVINCIAL = "provincial"
    NATIONAL = "national"

    @property
    def label(self):
        return {
            SquadLevel.NONE: _l("No squad"),
            SquadLevel.DISTRICT: _l("District squad"),
            SquadLevel.CITY: _l("City squad"),
            SquadLevel.PROVINCIAL: _l("Provincial squad"),
            SquadLevel.NATIONAL: _l("National squad"),
        }[self]


class DiscoverySource(enum.StrEnum):
    SUNSHINE_HOME = "sunshine_home"
    SPECIAL_SCHOOL = "special_school"
    COMMUNITY_SURVEY = "community_survey"
    REFERRAL = "referral"
    COMPETITION = "competition"
    OTHER = "other"

    @property
    def label(self):
        return {
            DiscoverySource.SUNSHINE_HOME: _l("Sunshine home"),
            DiscoverySource.SPECIAL_SCHOOL: _l("Special school"),
            DiscoverySource.COMMUNITY_SURVEY: _l("Community survey"),
            DiscoverySource.REFERRAL: _l("Referral"),
            DiscoverySource.COMPETITION: _l("Competition"),
            DiscoverySource.OTHER: _l("Other"),
        }[self]


class ClassificationStatus(enum.StrEnum):
    """The international classification statuses: New, Review, Review with a fixed date,
    Confirmed."""

    NEW = "new"
    REVIEW = "review"
    REVIEW_BY_DATE = "review_by_date"
    CONFIRMED = "confirmed"

    @property
    def label(self):
        return {
            ClassificationStatus.NEW: _l("New"),
            ClassificationStatus.REVIEW: _l("Review"),
            ClassificationStatus.REVIEW_BY_DATE: _l("Review with a fixed date"),
            ClassificationStatus.CONFIRMED: _l("Confirmed"),
        }[self]


class Recommendation(enum.StrEnum):
    ADVANCE = "advance"
    HOLD = "hold"
    NOT_SUITABLE = "not_suitable"

    @property
    def label(self):
        return {
            Recommendation.ADVANCE: _l("Advance"),
            Recommendation.HOLD: _l("Hold"),
            Recommendation.NOT_SUITABLE: _l("Not suitable"),
        }[self]


class MeasureUnit(enum.StrEnum):
    KILOGRAM = "kg"
    SECOND = "s"
    METRE = "m"
    CENTIMETRE = "cm"
    POINTS = "points"
    SCORE = "score"
    COUNT = "count"

    @property
    def label(self):
        return {
            MeasureUnit.KILOGRAM: _l("kg"),
            MeasureUnit.SECOND: _l("seconds"),
            MeasureUnit.METRE: _l("metres"),
            MeasureUnit.CENTIMETRE: _l("cm"),
            MeasureUnit.POINTS: _l("points"),
            MeasureUnit.SCORE: _l("score"),
            MeasureUnit.COUNT: _l("times"),
        }[self]

    @property
    def decimals(self) -> int:
        """How many decimal places a value in this unit may have."""
        return {
            MeasureUnit.KILOGRAM: 1,
            MeasureUnit.SECOND: 2,
            MeasureUnit.METRE: 2,
            MeasureUnit.CENTIMETRE: 0,
            MeasureUnit.POINTS: 0,
            MeasureUnit.SCORE: 1,
            MeasureUnit.COUNT: 0,
        }[self]


class ReviewWarning(enum.StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    @property
    def label(self):
        return {
            ReviewWarning.DUE_SOON: _l("Review due soon"),
            ReviewWarning.OVERDUE: _l("Review date passed"),
        }[self]
