"""The spreadsheet writer (app/core/exports.py): no cell can start a formula, CSV in UTF-8
with a BOM, a workbook that Excel accepts, and ``send_table``'s headers."""

import csv
import io
from datetime import date

import pytest

from app.core.exports import (
    ascii_filename,
    content_disposition,
    safe_cell,
    send_table,
    sheet_name,
    to_csv,
    to_xlsx,
)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("＝HYPERLINK()", "'＝HYPERLINK()"),
        ("－1", "'－1"),
        ("张三", "张三"),
        (12, 12),
        (-3, -3),
        (None, ""),
        (date(2025, 1, 2), date(2025, 1, 2)),
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


def test_xlsx_never_holds_a_formula(app):
    from openpyxl import load_workbook

    data = to_xlsx([["名字", "备注"], ["=cmd|' /C calc'!A0", 5]], "Athletes")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'=cmd|' /C calc'!A0"
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 5


def test_booleans_are_words_in_the_readers_language(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert (safe_cell(True), safe_cell(False)) == ("Yes", "No")


def test_csv_is_utf8_with_a_bom_crlf_and_iso_dates(app):
    with app.test_request_context():
        data = to_csv([["名字", "日期", "数"], ["=1", date(2017, 1, 2), 3]])
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig") == "名字,日期,数\r\n'=1,2017-01-02,3\r\n"


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Medals by year and level", "Medals by year and level"),
        ("Reviews: due / done [2026]?", "Reviews  due   done  2026"),
        ("x" * 40, "x" * 31),
        ("***", "Sheet1"),
    ],
)
def test_sheet_names_are_ones_excel_accepts(title, name):
    assert sheet_name(title) == name


def test_xlsx_sheet_title_bold_header_and_dates(app):
    from openpyxl import load_workbook

    with app.test_request_context():
        data = to_xlsx([["Day", "Count"], [date(2017, 1, 2), 3]], "Athletes: list")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Athletes  list"
    assert sheet["A1"].font.bold and not sheet["A2"].font.bold
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["B2"].value == 3


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("homes-2017-01-01-2021-12-31.csv", "homes-2017-01-01-2021-12-31.csv"),
        ("运动员名单.xlsx", "download.xlsx"),
        ('Café "list"; x.csv', "Cafe__list___x.csv"),
        ("", "download"),
    ],
)
def test_ascii_fallback_filename(name, fallback):
    assert ascii_filename(name) == fallback


def test_content_disposition_names_the_file_twice():
    assert content_disposition("运动员 2026.csv") == (
        'attachment; filename="_2026.csv"; '
        "filename*=UTF-8''%E8%BF%90%E5%8A%A8%E5%91%98%202026.csv"
    )


def test_send_table_csv(app):
    with app.test_request_context():
        response = send_table([["a"], ["=b"]], "csv", "list-2026", "List")
    assert response.headers.getlist("Content-Type") == ["text/csv; charset=utf-8"]
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"list-2026.csv\"; filename*=UTF-8''list-2026.csv"
    )
    assert list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")))) == [
        ["a"],
        ["'=b"],
    ]


def test_send_table_xlsx_is_one_binary_chunk(app):
    with app.test_request_context():
        response = send_table([["a"], [1]], "xlsx", "list", "List")
    assert response.headers.getlist("Content-Type") == [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ]
    assert response.is_streamed
    body = b"".join(response.response)
    assert body[:2] == b"PK" and response.headers["Content-Length"] == str(len(body))


def test_send_table_refuses_an_unknown_format(app):
    with app.test_request_context(), pytest.raises(ValueError):
        send_table([["a"]], "pdf", "list", "List")
