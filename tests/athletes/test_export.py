"""The athletes' downloads: the filtered list and the pipeline, audit. (The writer itself,
formulas neutralised, is tested in tests/core/test_exports.py.)"""

import csv
import io

import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.extensions import db


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
