"""Spreadsheet export of the athlete list and the pipeline (CSV and .xlsx).

No cell can start a formula (security-privacy.md, ASVS 1.2.10): a text cell starting with
``= + - @``, a tab or a carriage return, or their full-width forms, gets a leading apostrophe,
so Excel and WPS show it as text. Numbers stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask_babel import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value):
    """The value as a spreadsheet may hold it: dates and numbers as they are, text that
    could start a formula with an apostrophe in front."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float | date):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def to_csv(rows: list[list]) -> bytes:
    """UTF-8 with a BOM, so Excel in Chinese Windows opens it with the right characters."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow(
            [cell.isoformat() if isinstance(cell, date) else cell for cell in map(safe_cell, row)]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def athlete_rows(athletes) -> list[list]:
    """The export of the athlete list: one row per athlete, no sensitive fields."""
    header = [
        _("Athlete number"),
        _("Name"),
        _("Name in pinyin"),
        _("Town or sub-district"),
        _("Main sport"),
        _("All sports"),
        _("Stage"),
        _("Stage since"),
        _("Squad level"),
        _("Coaches"),
        _("How the athlete was found"),
        _("Date found"),
    ]
    rows = [header]
    for a in athletes:
        rows.append(
            [
                a.id,
                a.person.name,
                a.person.name_pinyin,
                a.person.town.display_name if a.person.town else "",
                a.primary_sport.display_name,
                ", ".join(s.display_name for s in a.sports),
                str(a.stage.label),
                a.stage_since,
                str(a.squad_level.label),
                ", ".join(c.display_name for c in a.coaches),
                str(a.discovery_source.label),
                a.discovered_on,
            ]
        )
    return rows


def pipeline_rows(rows, stages) -> list[list]:
    header = [_("Sport"), *[str(stage.label) for stage in stages], _("Total")]
    return [header, *[[sport.display_name, *counts, sum(counts)] for sport, counts in rows]]
