"""Import of screening results from a spreadsheet (CSV in UTF-8, UTF-8 with BOM, GBK or
GB18030, or Excel .xlsx).

Columns (first row; English or Chinese headings, in any order, case ignored):

- ``athlete`` / ``运动员编号``: the athlete number shown on the athlete's page (required)
- ``date`` / ``日期``: the date of the screening, 2025-09-01 or 2025/9/1 (required)
- ``sport`` / ``项目``: the sport, by its Chinese or English name (required)
- ``rating`` / ``评分``: 1 to 5 (required)
- ``recommendation`` / ``建议``: advance, hold or not suitable, or 晋级, 保持, 不适合 (required)
- ``notes`` / ``备注``: optional text
- one column per measurement, headed by its Chinese or English name (as on the screening
  templates page); empty cells mean "not measured", at least one value per row.

Any other column makes the whole file refused with a message naming it. Reading checks every
row (``check_rows``) and writes nothing; ``save_rows`` writes the valid rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from app.athletes import rules, services
from app.athletes.enums import Recommendation
from app.athletes.models import Assessment, AssessmentMeasure, AthleteProfile, Sport
from app.core import clock, spreadsheets
from app.core.errors import DomainError
from app.extensions import db

COLUMNS = {
    "athlete": ("athlete", "athlete number", "运动员编号", "编号"),
    "date": ("date", "日期", "测评日期"),
    "sport": ("sport", "项目"),
    "rating": ("rating", "评分"),
    "recommendation": ("recommendation", "建议"),
    "notes": ("notes", "备注"),
}
REQUIRED = ("athlete", "date", "sport", "rating", "recommendation")
RECOMMENDATION_WORDS = {
    Recommendation.ADVANCE: ("advance", "晋级", "建议晋级"),
    Recommendation.HOLD: ("hold", "保持", "观察"),
    Recommendation.NOT_SUITABLE: ("not suitable", "not_suitable", "不适合", "不合适"),
}


@dataclass
class Row:
    line: int
    cells: dict
    athlete: AthleteProfile | None = None
    sport: Sport | None = None
    assessed_on: date | None = None
    rating: int | None = None
    recommendation: Recommendation | None = None
    values: dict = field(default_factory=dict)  # AssessmentMeasure -> Decimal
    errors: list = field(default_factory=list)
    # Not an error: the screening is stored already (a message saying so), and is skipped.
    stored: object = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new(self) -> bool:
        return self.ok and self.stored is None

    def key(self) -> tuple:
        """What makes two screenings the same: athlete, sport, day and every value."""
        return (
            self.athlete.id,
            self.sport.id,
            self.assessed_on,
            frozenset((m.id, v.normalize()) for m, v in self.values.items()),
        )


def _measure_keys(measures) -> dict:
    """{heading key: measure} for the Chinese and English names of ``measures``."""
    keys = {}
    for m in measures:
        keys.setdefault(spreadsheets.match_key(m.name), m)
        keys.setdefault(spreadsheets.match_key(m.name_en), m)
    return keys


def _columns(header: list[str], measures: list[AssessmentMeasure]):
    """{column index: field name or ("measure", heading key)}; refuses unknown headings.
    A measure heading is only a name: two sports may have a measure of the same name
    (平衡能力 in swimming and in archery), so each row reads it within its own sport."""
    by_measure = _measure_keys(measures)
    return spreadsheets.heading_columns(
        header, COLUMNS, REQUIRED, other=lambda key: ("measure", key) if key in by_measure else None
    )


def check_rows(data: bytes, user) -> list[Row]:
    """Read the file and check every row; nothing is written. Raises DomainError when the
    file as a whole cannot be read."""
    table = spreadsheets.read_table(data)
    measures = list(db.session.scalars(sa.select(AssessmentMeasure).order_by(AssessmentMeasure.id)))
    columns = _columns(table[0], measures)
    any_measure = _measure_keys(measures)
    sports = list(db.session.scalars(db.select(Sport)))
    sport_by_name = {}
    for s in sports:
        for name in (s.name, s.name_en, s.code):
            sport_by_name[spreadsheets.match_key(name)] = s
    athlete_column = next(i for i, target in columns.items() if target == "athlete")
    ids = {
        int(row[athlete_column])
        for row in table[1:]
        if athlete_column < len(row)
        and row[athlete_column].isdigit()
        and len(row[athlete_column]) < 10
    }
    athletes = {
        a.id: a
        for a in db.session.scalars(
            sa.select(AthleteProfile)
            .where(AthleteProfile.id.in_(ids))
            .options(joinedload(AthleteProfile.person), selectinload(AthleteProfile.coaches))
        )
    }
    templates: dict[int, dict] = {}
    today = clock.today()
    result = []
    for number, cells in enumerate(table[1:], start=2):
        row = Row(line=number, cells=spreadsheets.row_cells(cells, columns))
        _check_row(row, columns, athletes, sport_by_name, templates, any_measure, today, user)
        result.append(row)
    _mark_stored(result)
    return result


def _mark_stored(rows: list[Row]) -> None:
    """Mark the valid rows whose screening is stored already, or repeats an earlier row of
    the file: importing a file twice saves nothing twice (issue 19 item 6)."""
    valid = [row for row in rows if row.ok]
    if not valid:
        return
    stored = set()
    athlete_ids = {row.athlete.id for row in valid}
    days = {row.assessed_on for row in valid}
    found = db.session.scalars(
        sa.select(Assessment)
        .where(Assessment.athlete_id.in_(athlete_ids), Assessment.assessed_on.in_(days))
        .options(selectinload(Assessment.values))
    )
    for assessment in found:
        stored.add(
            (
                assessment.athlete_id,
                assessment.sport_id,
                assessment.assessed_on,
                frozenset((v.measure_id, v.value.normalize()) for v in assessment.values),
            )
        )
    seen: dict[tuple, int] = {}
    for row in valid:
        key = row.key()
        if key in stored:
            row.stored = _l("Already stored, skipped.")
        elif key in seen:
            row.stored = _l("The same as row %(line)d, skipped.", line=seen[key])
        else:
            seen[key] = row.line


def _check_row(
    row: Row, columns, athletes, sport_by_name, templates, any_measure, today, user
) -> None:
    cells = row.cells
    text = cells.get("athlete", "")
    athlete = athletes.get(int(text)) if text.isdigit() and len(text) < 10 else None
    if athlete is None or not rules.can_edit(user, athlete):
        row.errors.append(
            _l(
                "No athlete number %(number)s among the athletes you can record screenings for.",
                number=text or "–",
            )
        )
    row.athlete = athlete if not row.errors else None
    row.assessed_on = spreadsheets.cell_date(cells.get("date", ""))
    if row.assessed_on is None:
        row.errors.append(_l("Write the date as year-month-day, for example 2025-09-01."))
    elif row.assessed_on > today:
        row.errors.append(_l("The date of the assessment must not be in the future."))
    row.sport = sport_by_name.get(spreadsheets.match_key(cells.get("sport", "")))
    if row.sport is None:
        row.errors.append(_l("Unknown sport: %(sport)s.", sport=cells.get("sport", "") or "–"))
    rating = cells.get("rating", "")
    row.rating = int(rating) if rating in {"1", "2", "3", "4", "5"} else None
    if row.rating is None:
        row.errors.append(_l("Choose a rating from 1 to 5."))
    word = spreadsheets.match_key(cells.get("recommendation", ""))
    row.recommendation = next(
        (r for r, words in RECOMMENDATION_WORDS.items() if word in words), None
    )
    if row.recommendation is None:
        row.errors.append(_l("Write the recommendation as advance, hold or not suitable."))
    if row.sport is not None and row.sport.id not in templates:
        templates[row.sport.id] = _measure_keys(services.template_measures(row.sport.id))
    measured = False
    for target in columns.values():
        if not isinstance(target, tuple):
            continue
        key = target[1]
        text = cells.get(target, "")
        if not text:
            continue
        measured = True
        if row.sport is None:
            continue
        measure = templates[row.sport.id].get(key)
        if measure is None:
            row.errors.append(
                _l(
                    "%(measure)s is not measured in %(sport)s.",
                    measure=any_measure[key].display_name,
                    sport=row.sport.display_name,
                )
            )
            continue
        try:
            value = rules.parse_measure_value(measure, text)
        except DomainError as error:
            row.errors.append(error.message)
            continue
        row.values[measure] = value
    if not measured:
        row.errors.append(_l("Enter at least one measurement."))


def save_rows(rows: list[Row], *, all_or_nothing: bool, user) -> int:
    """Write the valid rows (or, with ``all_or_nothing``, every row only when all are valid),
    skipping those already stored; return how many screenings were saved."""
    bad = [row for row in rows if not row.ok]
    if all_or_nothing and bad:
        raise DomainError(
            _l(
                "%(count)d rows have errors, so nothing was saved. Correct them, or choose to "
                "save only the rows without errors.",
                count=len(bad),
            ),
            field="mode",
        )
    saved = 0
    for row in rows:
        if not row.new:
            continue
        services.record_assessment(
            row.athlete,
            sport_id=row.sport.id,
            assessed_on=row.assessed_on,
            rating=row.rating,
            recommendation=row.recommendation,
            values={m.id: str(v) for m, v in row.values.items()},
            notes=row.cells.get("notes", ""),
            assessor=user,
        )
        saved += 1
    return saved
