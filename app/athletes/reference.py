"""The seed lists of sports and screening measures (admins extend both), inserted when
missing."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from app.athletes.enums import MeasureUnit as U
from app.athletes.models import AssessmentMeasure, Sport

# (code, Chinese name, English name, class hint)
SEED_SPORTS = (
    ("archery", "残疾人射箭", "Para archery", "Open, W1, VI"),
    ("athletics", "田径", "Athletics", "T11–T64, F11–F64"),
    ("swimming", "游泳", "Swimming", "S1–S14, SB1–SB14, SM1–SM14"),
    ("table_tennis", "乒乓球", "Table tennis", ""),
    ("boccia", "硬地滚球", "Boccia", ""),
    ("powerlifting", "举重", "Powerlifting", ""),
    ("goalball", "盲人门球", "Goalball", ""),
    ("sitting_volleyball", "坐式排球", "Sitting volleyball", ""),
    ("wheelchair_fencing", "轮椅击剑", "Wheelchair fencing", ""),
    ("dryland_curling", "旱地冰壶", "Dryland curling", ""),
    ("chess", "棋类", "Chess and board games", ""),
)

# (sport code or None for every sport, Chinese name, English name, unit, min, max,
#  lower is better)
SEED_MEASURES = (
    ("archery", "持弓拉力", "Draw weight held", U.KILOGRAM, "5", "30", False),
    ("archery", "18 米 30 支箭得分", "18 m score over 30 arrows", U.POINTS, "0", "300", False),
    ("archery", "平衡能力", "Balance", U.SCORE, "0", "10", False),
    ("athletics", "30 米冲刺", "30 m sprint", U.SECOND, "3", "30", True),
    ("athletics", "立定跳远", "Standing long jump", U.CENTIMETRE, "0", "350", False),
    (None, "握力", "Grip strength", U.KILOGRAM, "0", "100", False),
    (None, "坐姿平衡", "Sitting balance", U.SCORE, "0", "10", False),
)


def ensure_sports(session) -> list[Sport]:
    """Insert the seed sports that are missing (idempotent); return all sports in order."""
    existing = {s.code for s in session.scalars(sa.select(Sport))}
    for order, (code, name, name_en, hint) in enumerate(SEED_SPORTS, start=1):
        if code not in existing:
            session.add(
                Sport(code=code, name=name, name_en=name_en, class_hint=hint, sort_order=order)
            )
    session.flush()
    return list(session.scalars(sa.select(Sport).order_by(Sport.sort_order, Sport.id)))


def ensure_measures(session) -> list[AssessmentMeasure]:
    """Insert the seed measures that are missing (after the sports); return all."""
    sports = {s.code: s for s in ensure_sports(session)}
    existing = {(m.sport_id, m.name) for m in session.scalars(sa.select(AssessmentMeasure))}
    for order, (code, name, name_en, unit, low, high, lower) in enumerate(SEED_MEASURES, 1):
        sport_id = sports[code].id if code else None
        if (sport_id, name) in existing:
            continue
        session.add(
            AssessmentMeasure(
                sport_id=sport_id,
                name=name,
                name_en=name_en,
                unit=unit,
                min_value=Decimal(low),
                max_value=Decimal(high),
                lower_is_better=lower,
                sort_order=order,
            )
        )
    session.flush()
    return list(session.scalars(sa.select(AssessmentMeasure).order_by(AssessmentMeasure.id)))
