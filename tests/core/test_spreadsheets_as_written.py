"""read_table(data, as_written=True) (issue 19 items 7 and 8): text cells as typed (full-width
brackets kept) and numbers as the cell displays them under its number format; the default
reading is unchanged for the other imports."""

import io

import pytest

from app.core.spreadsheets import read_table


def workbook(*cells) -> bytes:
    """One header row and one row of (value, number_format) cells."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([f"c{i}" for i in range(len(cells))])
    for column, (value, number_format) in enumerate(cells, start=1):
        cell = sheet.cell(row=2, column=column, value=value)
        if number_format:
            cell.number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (36.2, "0.00", "36.20"),
        (652.0, "0", "652"),
        (12.31, "0.000", "12.310"),
        (1200.0, "#,##0", "1,200"),
        (1234.5, "#,##0.00", "1,234.50"),
        (12.31, "General", "12.31"),
        (652.0, "General", "652"),
        (0.125, "0.0%", "12.5%"),
        (7.0, "@", "7"),
        (36.2, '0.00" s"', "36.2"),  # a format not understood: the plain number
    ],
)
def test_a_number_is_read_as_its_cell_shows_it(app, value, number_format, shown):
    rows = read_table(workbook(("x", None), (value, number_format)), as_written=True)
    assert rows[1] == ["x", shown]


def test_the_default_reading_is_unchanged(app):
    data = workbook(("世界残疾人射箭锦标赛（北京）", None), (36.2, "0.00"))
    assert read_table(data)[1] == ["世界残疾人射箭锦标赛(北京)", "36.2"]
    assert read_table(data, as_written=True)[1] == ["世界残疾人射箭锦标赛（北京）", "36.20"]


def test_csv_text_is_kept_as_typed(app):
    data = "比赛,成绩\r\n  世界残疾人射箭锦标赛（北京） ,３６.２０\r\n".encode("utf-8-sig")
    assert read_table(data, as_written=True)[1] == ["世界残疾人射箭锦标赛（北京）", "３６.２０"]
    assert read_table(data)[1] == ["世界残疾人射箭锦标赛(北京)", "36.20"]
