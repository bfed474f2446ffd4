"""Results import: CSV (UTF-8 with BOM, GBK) and .xlsx, team rows grouped into one entry,
row errors in the user's language, all or nothing, coaches only for their athletes."""

import io
from datetime import date

import pytest
import sqlalchemy as sa

from app.competitions import imports
from app.competitions.models import Entry, Result
from app.core.errors import DomainError
from app.extensions import db

HEADER = "competition,event,athlete,birth date,team,rank,mark,status,medal"


@pytest.fixture
def setup(make_user, make_competition, make_event, make_athlete, make_person):
    coach = make_user("coach")
    a = make_athlete(coaches=[coach], person=make_person(name="张一", birth_on=date(1990, 5, 1)))
    b = make_athlete(coaches=[coach], person=make_person(name="李二", birth_on=date(1992, 6, 2)))
    competition = make_competition(name="省残运会")
    individual = make_event(competition, name="女子反曲弓")
    team = make_event(competition, name="混合团体", is_team=True)
    return {"coach": coach, "a": a, "b": b, "individual": individual, "team": team}


def csv_bytes(*lines, encoding="utf-8-sig"):
    return "\n".join([HEADER, *lines]).encode(encoding)


GOOD = (
    "省残运会,女子反曲弓,张一,1990-05-01,,1,652,OK,gold",
    "省残运会,女子反曲弓,李二,1992/6/2,,4,630,,",
    "省残运会,混合团体,张一,1990-05-01,T1,3,1290,OK,铜",
    "省残运会,混合团体,李二,1992-06-02,T1,3,1290,OK,铜",
)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_import_saves_individual_and_team_results(setup, encoding):
    rows = imports.check_rows(csv_bytes(*GOOD, encoding=encoding), setup["coach"])
    assert [r.errors for r in rows] == [[], [], [], []]
    assert imports.save_rows(rows, user=setup["coach"]) == 3
    db.session.commit()
    results = db.session.execute(
        sa.select(Entry.team_name, Result.rank, Result.mark, Result.medal)
        .join(Result)
        .order_by(Entry.id)
    ).all()
    assert [(t, r, m, str(md)) for t, r, m, md in results] == [
        ("", 1, "652", "gold"),
        ("", 4, "630", "none"),
        ("T1", 3, "1290", "bronze"),
    ]
    # Importing again updates the same entries (new version), adds none.
    again = imports.check_rows(
        csv_bytes("省残运会,女子反曲弓,张一,1990-05-01,,2,640,OK,silver"), setup["coach"]
    )
    imports.save_rows(again, user=setup["coach"])
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Entry.id))) == 3
    # 张一's entry is the first one created; without ORDER BY PostgreSQL may return any.
    updated = db.session.execute(
        sa.select(Result.rank, Result.version)
        .join(Entry)
        .where(Entry.team_name == "")
        .order_by(Entry.id)
    ).first()
    assert tuple(updated) == (2, 2)


def test_xlsx(setup):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["省残运会", "女子反曲弓", "张一", date(1990, 5, 1), "", 1, "652", "OK", "gold"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = imports.check_rows(buffer.getvalue(), setup["coach"])
    assert [r.errors for r in rows] == [[]]


def test_row_errors_and_all_or_nothing(setup, make_user):
    rows = imports.check_rows(
        csv_bytes(
            GOOD[0],
            "省残运会,女子反曲弓,王五,1990-05-01,,,,,",
            "省运会,女子反曲弓,张一,1990-05-01,,,,,",
            "省残运会,男子反曲弓,张一,1990-05-01,,,,,",
            "省残运会,女子反曲弓,李二,1992-06-02,,5,600,DNS,",
            "省残运会,女子反曲弓,李二,1992-06-02,,2,600,OK,gold",
            "省残运会,混合团体,张一,1990-05-01,T9,1,1300,OK,gold",
        ),
        setup["coach"],
    )
    assert [[str(e) for e in r.errors] for r in rows] == [
        [],
        ["No athlete you may record is called 王五 with the birth date given."],
        ["Unknown competition: 省运会."],
        ["The competition has no event called 男子反曲弓."],
        ["Only a result with status OK has a rank: leave the rank empty."],
        ["A gold medal goes with rank 1 (tied athletes share the rank)."],
        ["A team entry needs two or more athletes."],
    ]
    with pytest.raises(DomainError) as caught:
        imports.save_rows(rows, user=setup["coach"])
    assert str(caught.value.message) == "Rows with errors: 6. Nothing was saved."
    assert db.session.scalar(sa.select(sa.func.count(Result.id))) == 0
    stranger = make_user("coach")
    rows = imports.check_rows(csv_bytes(GOOD[0]), stranger)
    assert [str(e) for e in rows[0].errors] == [
        "No athlete you may record is called 张一 with the birth date given."
    ]


def test_a_rank_out_of_range_and_every_rule_of_a_row_are_said(setup):
    rows = imports.check_rows(
        csv_bytes(
            "省残运会,女子反曲弓,张一,1990-05-01,,-1,652,OK,",
            "省残运会,女子反曲弓,张一,1990-05-01,,１,652,OK,gold",
            "省残运会,女子反曲弓,张一,1990-05-01,,first,652,OK,",
            "省残运会,女子反曲弓,王五,1990-05-01,,3,600,DNS,gold",
        ),
        setup["coach"],
    )
    assert [[str(e) for e in r.errors] for r in rows] == [
        ["The rank must be a number from 1 to 99999."],
        [],  # full-width digits are read as digits
        ["The rank must be a whole number."],
        [  # the unknown athlete and every broken rule, at once
            "No athlete you may record is called 王五 with the birth date given.",
            "Only a result with status OK has a rank: leave the rank empty.",
            "Only a result with status OK can hold a medal.",
            "A gold medal goes with rank 1 (tied athletes share the rank).",
        ],
    ]


def test_team_rows_must_agree(setup):
    rows = imports.check_rows(
        csv_bytes(
            "省残运会,混合团体,张一,1990-05-01,T1,3,1290,OK,bronze",
            "省残运会,混合团体,李二,1992-06-02,T1,2,1290,OK,silver",
        ),
        setup["coach"],
    )
    assert [str(e) for e in rows[1].errors] == [
        "Rows of one team must have the same rank, mark, status and medal."
    ]


def test_whole_file_refusals(setup):
    with pytest.raises(DomainError) as caught:
        imports.check_rows(b"competition,event,athlete,colour\nx,y,z,red\n", setup["coach"])
    assert str(caught.value.message) == (
        "Unknown columns: colour. Use the column headings listed on this page."
    )
    with pytest.raises(DomainError) as caught:
        imports.check_rows(b"competition,event\nx,y\n", setup["coach"])
    assert str(caught.value.message) == "Columns missing: athlete, birth_date."


def test_import_page_preview_then_save(client, login_as, setup):
    login_as(user=setup["coach"])
    assert client.get("/competitions/import").status_code == 200
    data = csv_bytes(*GOOD)
    response = client.post(
        "/competitions/import",
        data={"file": (io.BytesIO(data), "results.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Without errors: 4. With errors: 0." in html
    assert db.session.scalar(sa.select(sa.func.count(Result.id))) == 0
    import base64

    payload = base64.b64encode(data).decode("ascii")
    response = client.post("/competitions/import", data={"payload": payload})
    assert response.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Result.id))) == 3


def test_import_page_refuses_saving_rows_with_errors(client, login_as, setup):
    import base64

    login_as(user=setup["coach"])
    data = csv_bytes(GOOD[0], "省运会,女子反曲弓,张一,1990-05-01,,,,,")
    response = client.post(
        "/competitions/import",
        data={"file": (io.BytesIO(data), "results.csv")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert "Unknown competition: 省运会." in html
    assert "Save the results" not in html
    response = client.post(
        "/competitions/import", data={"payload": base64.b64encode(data).decode("ascii")}
    )
    assert response.status_code == 422
    assert "Rows with errors: 1. Nothing was saved." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Result.id))) == 0


def test_import_page_needs_a_coach(client, login_as):
    assert client.get("/competitions/import").status_code == 302
    login_as("participant")
    assert client.get("/competitions/import").status_code == 403
