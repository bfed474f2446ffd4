"""Spreadsheet export: formulas neutralised, the filtered list and the pipeline, audit."""

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa

from app.athletes.spreadsheets import safe_cell, to_xlsx
from app.core.audit import AuditEvent
from app.extensions import db


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


def test_export_csv_of_the_filtered_list(client, login_as, make_athlete, make_person, sports):
    coach = login_as("coach", language="en")
    make_athlete(
        coaches=[coach],
        person=make_person(name="=HYPERLINK(1)"),
        sport_ids=[sports["athletics"].id],
    )
    make_athlete(coaches=[coach], sport="swimming")
    make_athlete()  # not the coach's
    response = client.get(f"/athletes/export.csv?sport={sports['archery'].id}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="athletes-')
    assert "no-store" in response.headers["Cache-Control"]
    body = response.get_data().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Athlete number", "Name", "Name in pinyin"]
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][5] == "Para archery, Athletics"
    assert rows[1][11] == "2024-03-01"
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.details["rows"] == 1 and event.details["format"] == "csv"


def test_export_xlsx_and_pipeline(client, login_as, make_athlete, sports):
    from openpyxl import load_workbook

    login_as("admin", language="en")
    make_athlete(stage="reserve")
    make_athlete()
    response = client.get("/athletes/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.title == "Athletes"
    assert sheet.max_row == 3
    response = client.get("/athletes/pipeline.csv")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows == [
        [
            "Sport",
            "Identified",
            "Screened",
            "Trial training",
            "Reserve",
            "Squad",
            "Retired",
            "Total",
        ],
        ["Para archery", "1", "0", "0", "1", "0", "0", "2"],
    ]
    assert client.get("/athletes/pipeline.xlsx").status_code == 200
    assert client.get("/athletes/export.pdf").status_code == 404


def test_export_needs_a_coach(client, login_as):
    login_as("participant")
    assert client.get("/athletes/export.csv").status_code == 403
