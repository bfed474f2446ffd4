"""Hostile uploads (issue 13 item 1): a 5 KB workbook declaring a sheet of A1:XFD1048576 with
one cell in its last row, and a workbook that unpacks to far more than it weighs, are refused
with a clear 422 on both imports, with memory bounded (measured with tracemalloc; never a
wall-clock time)."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile

import pytest

from app.core.errors import DomainError
from app.core.spreadsheets import read_table

MEMORY_BOUND = 40 * 1024 * 1024  # bytes of Python allocations while reading


def workbook(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_sheet(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body.decode()).encode()
            target.writestr(item, body)
    return out.getvalue()


def declared_giant() -> bytes:
    """Headings in row 1 and one cell in row 1,048,576, the sheet declaring every cell."""

    def change(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace(
            "</sheetData>",
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            "</sheetData>",
        )

    return rewrite_sheet(workbook([["运动员", "日期"], ["张三", "2025-09-01"]]), change)


def unpacks_huge() -> bytes:
    """A shared-strings part of 40 MB of spaces (it compresses to a few KB)."""
    data = workbook([["运动员", "日期"], ["张三", "2025-09-01"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/padding.xml", " " * (40 * 1024 * 1024))
    return out.getvalue()


def read_with_memory(data: bytes) -> tuple[DomainError, int]:
    tracemalloc.start()
    try:
        with pytest.raises(DomainError) as error:
            read_table(data)
        return error.value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_declared_giant_sheet_is_refused_with_memory_bounded(app):
    data = declared_giant()
    assert len(data) < 10 * 1024
    error, peak = read_with_memory(data)
    assert str(error.message) == "The file has more than 2000 rows. Split it into smaller files."
    assert peak < MEMORY_BOUND


def test_a_workbook_that_unpacks_to_far_more_is_refused_before_parsing(app):
    data = unpacks_huge()
    assert len(data) < 512 * 1024
    error, peak = read_with_memory(data)
    assert str(error.message) == (
        "The workbook is too large once unpacked. Save it again with only the rows to import."
    )
    assert peak < MEMORY_BOUND


@pytest.mark.parametrize("url", ["/athletes/import", "/competitions/import"])
@pytest.mark.parametrize("make", [declared_giant, unpacks_huge])
def test_both_imports_answer_422_with_the_reason(client, login_as, url, make):
    login_as("coach", "admin")
    response = client.post(
        url,
        data={"file": (io.BytesIO(make()), "results.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert ("more than 2000 rows" in text) or ("too large once unpacked" in text)


def test_an_ordinary_workbook_with_blank_rows_still_reads(app):
    rows = [["运动员", "日期"], ["张三", "2025-09-01"], [None, None], ["李四", "2025-09-02"]]
    assert read_table(workbook(rows)) == [
        ["运动员", "日期"],
        ["张三", "2025-09-01"],
        ["李四", "2025-09-02"],
    ]
