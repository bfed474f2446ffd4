"""Enumerations of the athletes domain, each with a translatable label."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.enums import LabelledEnum


class Stage(LabelledEnum):
    """The reserve pipeline, in order. ``retired`` ends it from any stage."""

    IDENTIFIED = "identified", _l("Identified")
    SCREENED = "screened", _l("Screened")
    TRIAL_TRAINING = "trial_training", _l("Trial training")
    RESERVE = "reserve", _l("Reserve")
    SQUAD = "squad", _l("Squad")
    RETIRED = "retired", _l("Retired")


class SquadLevel(LabelledEnum):
    NONE = "none", _l("No squad")
    DISTRICT = "district", _l("District squad")
    CITY = "city", _l("City squad")
    PROVINCIAL = "provincial", _l("Provincial squad")
    NATIONAL = "national", _l("National squad")


class DiscoverySource(LabelledEnum):
    SUNSHINE_HOME = "sunshine_home", _l("Sunshine home")
    SPECIAL_SCHOOL = "special_school", _l("Special school")
    COMMUNITY_SURVEY = "community_survey", _l("Community survey")
    REFERRAL = "referral", _l("Referral")
    COMPETITION = "competition", _l("Competition")
    OTHER = "other", _l("Other")


class ClassificationStatus(LabelledEnum):
    """The international classification statuses: New, Review, Review with a fixed date,
    Confirmed."""

    NEW = "new", _l("New")
    REVIEW = "review", _l("Review")
    REVIEW_BY_DATE = "review_by_date", _l("Review with a fixed date")
    CONFIRMED = "confirmed", _l("Confirmed")


class Recommendation(LabelledEnum):
    ADVANCE = "advance", _l("Advance")
    HOLD = "hold", _l("Hold")
    NOT_SUITABLE = "not_suitable", _l("Not suitable")


class MeasureUnit(LabelledEnum):
    KILOGRAM = "kg", _l("kg")
    SECOND = "s", _l("seconds")
    METRE = "m", _l("metres")
    CENTIMETRE = "cm", _l("cm")
    POINTS = "points", _l("points")
    SCORE = "score", _l("score")
    COUNT = "count", _l("times")

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


class ReviewWarning(LabelledEnum):
    DUE_SOON = "due_soon", _l("Review due soon")
    OVERDUE = "overdue", _l("Review date passed")
