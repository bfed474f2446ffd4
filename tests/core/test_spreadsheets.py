"""The upload reader (app/core/spreadsheets.py): the encodings Chinese Excel writes, a
workbook, and the files it refuses. (Moved from app/athletes/imports.py unchanged; the imports'
own tests cover it through both imports.)"""

import io
from datetime import date, datetime

import pytest

from app.core.errors import DomainError
from app.core.spreadsheets import MAX_BYTES, cell_date, match_key, read_table

ROWS = [["运动员", "日期"], ["张三", "2025/9/1"]]


def csv_text() -> str:
    return "\r\n".join(",".join(row) for row in ROWS) + "\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_excel_writes(app, encoding):
    assert read_table(csv_text().encode(encoding)) == ROWS


def test_xlsx_first_sheet_dates_and_whole_numbers(app):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["名字", "日期", "名次", "备注"])
    book.active.append(["  Ｌｉ  ", datetime(2025, 9, 1, 0, 0), 3.0, None])
    book.active.append([None, None, None, None])  # empty rows are dropped
    out = io.BytesIO()
    book.save(out)
    assert read_table(out.getvalue()) == [
        ["名字", "日期", "名次", "备注"],
        ["Li", "2025-09-01", "3", ""],
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04not a zip",
        b"a,b\x00\r\nc,d\r\n",
        b"a,b\r\n\x07,d\r\n",
        b"a,b\r\n",
        b"a" * (MAX_BYTES + 1),
    ],
)
def test_refused_files_are_errors_on_the_file_field(app, data):
    with pytest.raises(DomainError) as refused:
        read_table(data)
    assert refused.value.field == "file"


@pytest.mark.parametrize(
    ("text", "key"),
    [("  Athlete   Number ", "athlete number"), ("ＡＢＣ", "abc"), (None, "")],
)
def test_match_key(text, key):
    assert match_key(text) == key


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2025-09-01", date(2025, 9, 1)),
        ("2025/9/1", date(2025, 9, 1)),
        ("2025.9.1", date(2025, 9, 1)),
        ("2025年9月1日", date(2025, 9, 1)),
        ("2025-02-30", None),
        ("1 Sept 2025", None),
        ("", None),
    ],
)
def test_cell_date(text, day):
    assert cell_date(text) == day
