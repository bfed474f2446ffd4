"""Import of screening results: encodings and formats, whole-file refusals, row checks in the
user's language, preview without writing, all-valid-rows or nothing."""

import base64
import io
import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.athletes import imports
from app.athletes.models import Assessment, AssessmentValue
from app.core import spreadsheets
from app.core.errors import DomainError
from app.extensions import db

HEADER = "运动员编号,日期,项目,评分,建议,握力,Draw weight held,备注"


def csv_bytes(lines, encoding="utf-8"):
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.fixture
def two(make_athlete, make_user):
    coach = make_user("coach")
    mine = make_athlete(coaches=[coach], person_fields={"name": "张导入"})
    other = make_athlete(person_fields={"name": "李别人"})
    return coach, mine, other


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(app, two, encoding):
    coach, mine, _other = two
    data = csv_bytes([HEADER, f"{mine.id},2025-09-01,残疾人射箭,4,晋级,35,18.5,稳定"], encoding)
    [row] = imports.check_rows(data, coach)
    assert row.ok, row.errors
    assert (row.athlete.id, row.assessed_on, row.rating, row.recommendation.value) == (
        mine.id,
        date(2025, 9, 1),
        4,
        "advance",
    )
    assert sorted((m.name_en, str(v)) for m, v in row.values.items()) == [
        ("Draw weight held", "18.5"),
        ("Grip strength", "35.0"),
    ]


def test_xlsx(app, two):
    from openpyxl import Workbook

    coach, mine, _other = two
    book = Workbook()
    book.active.append(["athlete", "date", "sport", "rating", "recommendation", "Balance"])
    book.active.append([mine.id, date(2025, 3, 2), "Para archery", 3, "hold", 7])
    out = io.BytesIO()
    book.save(out)
    [row] = imports.check_rows(out.getvalue(), coach)
    assert row.ok, row.errors
    assert row.assessed_on == date(2025, 3, 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00binary",
            "The file is not a spreadsheet. Send a CSV file or an Excel workbook (.xlsx).",
        ),
        (
            b"PK\x03\x04not really a zip",
            "The file is not a spreadsheet. Send a CSV file or an Excel workbook (.xlsx).",
        ),
        (
            b"a" * (spreadsheets.MAX_BYTES + 1),
            "The file is larger than 512 KB. Split it into smaller files.",
        ),
        (csv_bytes([HEADER]), "The file has no rows of results under the headings."),
        (
            csv_bytes([HEADER + ",身高,Weight", "1,2025-01-01,射箭,1,hold,,,,,"]),
            "Unknown columns: 身高, Weight. Use the column headings listed on this page.",
        ),
        (
            csv_bytes(["日期,项目,握力", "2025-01-01,射箭,1"]),
            "Columns missing: athlete, rating, recommendation.",
        ),
    ],
)
def test_files_refused_as_a_whole(app, two, data, message):
    with pytest.raises(DomainError) as error:
        imports.check_rows(data, two[0])
    assert str(error.value.message) == message


def test_row_errors_name_the_problem(app, two):
    coach, mine, other = two
    rows = imports.check_rows(
        csv_bytes(
            [
                HEADER,
                f"{other.id},2025-09-01,残疾人射箭,4,晋级,35,,",
                f"{mine.id},2025-13-01,冰球,9,maybe,,,",
                f"{mine.id},2025/9/1,Athletics,2,hold,,20,",
                f"{mine.id},2025-09-01,残疾人射箭,5,不适合,120,,",
                ",,,,,,,",
            ]
        ),
        coach,
    )
    assert [r.line for r in rows] == [2, 3, 4, 5]
    assert [str(e) for e in rows[0].errors] == [
        f"No athlete number {other.id} among the athletes you can record screenings for."
    ]
    assert [str(e) for e in rows[1].errors] == [
        "Write the date as year-month-day, for example 2025-09-01.",
        "Unknown sport: 冰球.",
        "Choose a rating from 1 to 5.",
        "Write the recommendation as advance, hold or not suitable.",
        "Enter at least one measurement.",
    ]
    assert [str(e) for e in rows[2].errors] == ["Draw weight held is not measured in Athletics."]
    assert [str(e) for e in rows[3].errors] == ["Grip strength must be between 0.0 and 100.0 kg."]


def upload(client, data, filename="results.csv"):
    return client.post(
        "/athletes/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def test_preview_then_save_valid_rows(client, login_as, two):
    coach, mine, other = two
    login_as(user=coach)
    data = csv_bytes(
        [
            HEADER,
            f"{mine.id},2025-09-01,残疾人射箭,4,晋级,35,18.5,稳定",
            f"{other.id},2025-09-01,残疾人射箭,4,晋级,35,,",
        ]
    )
    response = upload(client, data)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Nothing has been saved yet." in body
    assert "Without errors: 1. With errors: 1." in body
    assert "Draw weight held: 18.5" in body
    assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == 0
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', body).group(1)
    assert base64.b64decode(payload) == data
    response = client.post("/athletes/import", data={"payload": payload, "mode": "all"})
    assert response.status_code == 422
    assert "1 rows have errors, so nothing was saved." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == 0
    response = client.post("/athletes/import", data={"payload": payload, "mode": "valid"})
    assert response.status_code == 303
    [saved] = db.session.scalars(sa.select(Assessment)).all()
    assert (saved.athlete_id, saved.assessor_id, saved.notes) == (mine.id, coach.id, "稳定")


def test_upload_errors_are_422_never_500(client, login_as, two):
    login_as(user=two[0])
    response = client.post("/athletes/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert '<a href="#file">Choose the file to import.</a>' in response.get_data(as_text=True)
    response = upload(client, b"\x00\x01\x02garbage", "photo.jpg")
    assert response.status_code == 422
    assert (
        '<a href="#file">The file is not a spreadsheet. Send a CSV file or an Excel '
        "workbook (.xlsx).</a>"
    ) in response.get_data(as_text=True)
    response = client.post("/athletes/import", data={"payload": "%%%", "mode": "valid"})
    assert response.status_code == 422
    assert "The preview could not be read. Send the file again." in response.get_data(as_text=True)


def test_import_is_for_coaches(client, login_as):
    login_as("home_staff")
    assert client.get("/athletes/import").status_code == 403


# Issue 19 item 5: a heading is read as the measure of the row's own sport -----------------


@pytest.fixture
def swimming_balance(sports):
    """A swimming measure named like archery's 平衡能力 / Balance (another unit and range)."""
    from app.athletes import services

    measure = services.create_measure(
        sport_id=sports["swimming"].id,
        name="平衡能力",
        name_en="Balance",
        unit="score",
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )
    db.session.commit()
    return measure


@pytest.mark.parametrize("heading", ["平衡能力", "Balance"])
def test_a_shared_measure_name_is_read_within_the_rows_sport(
    app, make_athlete, make_user, sports, swimming_balance, heading
):
    from app.athletes import services

    coach = make_user("coach")
    swimmer = make_athlete(coaches=[coach], sport="swimming")
    archer = make_athlete(coaches=[coach], sport="archery")
    archery_balance = next(
        m for m in services.template_measures(sports["archery"].id) if m.name == "平衡能力"
    )
    rows = imports.check_rows(
        csv_bytes(
            [
                f"运动员编号,日期,项目,评分,建议,{heading}",
                f"{swimmer.id},2025-09-01,游泳,4,晋级,55",
                f"{archer.id},2025-09-01,残疾人射箭,3,保持,7",
            ]
        ),
        coach,
    )
    assert [r.errors for r in rows] == [[], []]
    assert [[(m.id, str(v)) for m, v in r.values.items()] for r in rows] == [
        [(swimming_balance.id, "55.0")],
        [(archery_balance.id, "7.0")],
    ]
    assert imports.save_rows(rows, all_or_nothing=True, user=coach) == 2
    db.session.commit()
    stored = db.session.execute(
        sa.select(Assessment.athlete_id, AssessmentValue.measure_id)
        .join(AssessmentValue)
        .order_by(Assessment.athlete_id)
    ).all()
    assert sorted(stored) == sorted(
        [(swimmer.id, swimming_balance.id), (archer.id, archery_balance.id)]
    )


# Issue 19 item 6: rows already stored are shown and skipped -------------------------------


def test_importing_the_same_file_twice_stores_each_screening_once(client, login_as, two):
    coach, mine, _other = two
    login_as(user=coach)
    data = csv_bytes(
        [
            HEADER,
            f"{mine.id},2025-09-01,残疾人射箭,4,晋级,35,18.5,稳定",
            f"{mine.id},2025-10-01,残疾人射箭,4,晋级,36,,",
        ]
    )
    body = upload(client, data).get_data(as_text=True)
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', body).group(1)
    assert (
        client.post("/athletes/import", data={"payload": payload, "mode": "all"}).status_code == 303
    )
    assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == 2
    # The same file again, with one new row and one row repeated inside the file.
    again = csv_bytes(
        [
            HEADER,
            f"{mine.id},2025-09-01,残疾人射箭,4,晋级,35,18.5,稳定",
            f"{mine.id},2025-10-01,残疾人射箭,4,晋级,36,,",
            f"{mine.id},2025-11-01,残疾人射箭,5,晋级,37,,",
            f"{mine.id},2025-11-01,残疾人射箭,5,晋级,37,,",
        ]
    )
    response = upload(client, again)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "To be skipped, already stored or repeated in the file: 3." in body
    assert body.count("Already stored, skipped.") == 2
    assert "The same as row 4, skipped." in body
    payload = re.search(r'name="payload" type="hidden" value="([^"]+)"', body).group(1)
    # Rows already stored are not errors: "all or nothing" saves the new row.
    response = client.post("/athletes/import", data={"payload": payload, "mode": "all"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 screening has been saved. 3 rows were already stored and skipped." in page
    dates = db.session.scalars(sa.select(Assessment.assessed_on).order_by(Assessment.id)).all()
    assert dates == [date(2025, 9, 1), date(2025, 10, 1), date(2025, 11, 1)]


def test_a_different_value_on_the_same_day_is_not_a_repeat(app, two):
    coach, mine, _other = two
    first = imports.check_rows(
        csv_bytes([HEADER, f"{mine.id},2025-09-01,残疾人射箭,4,晋级,35,18.5,"]), coach
    )
    imports.save_rows(first, all_or_nothing=True, user=coach)
    db.session.commit()
    [row] = imports.check_rows(
        csv_bytes([HEADER, f"{mine.id},2025-09-01,残疾人射箭,4,晋级,35,19,"]), coach
    )
    assert (row.ok, row.stored) == (True, None)
