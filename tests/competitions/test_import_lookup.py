"""Results import (issue 13 item 3, issue 19 items 7 and 8): one answer whether the athlete
does not exist or is not the user's to record, so the preview confirms no birth date; athlete
look-ups of others' athletes rationed per user and per athlete and audited; names compared
the way they are stored; marks read as the cell shows them."""

import base64
import io
from datetime import date

import pytest
import sqlalchemy as sa

from app.competitions import imports
from app.competitions.models import Result
from app.core.audit import AuditEvent
from app.extensions import db

HEADER = "competition,event,athlete,birth date,team,rank,mark,status,medal"
WORLD = "世界残疾人射箭锦标赛（北京）"


@pytest.fixture
def setup(make_user, make_competition, make_event, make_athlete, make_person):
    coach = make_user("coach")
    mine = make_athlete(coaches=[coach], person=make_person(name="张一", birth_on=date(1990, 5, 1)))
    theirs = make_athlete(
        coaches=[make_user("coach")], person=make_person(name="王芳", birth_on=date(1988, 3, 14))
    )
    competition = make_competition(name=WORLD, manager_id=coach.id)
    event = make_event(competition, name="女子反曲弓（公开级）")
    return {"coach": coach, "mine": mine, "theirs": theirs, "event": event}


def csv_bytes(*lines):
    return "\n".join([HEADER, *lines]).encode("utf-8-sig")


def errors(rows):
    return [[str(e) for e in r.errors] for r in rows]


def test_names_are_compared_as_stored_and_shown_as_written(setup):
    rows = imports.check_rows(
        csv_bytes(
            f"{WORLD},女子反曲弓（公开级）,张一,1990-05-01,,1,652,OK,gold",
            "世界残疾人射箭锦标赛（上海）,女子反曲弓（公开级）,张一,1990-05-01,,1,652,OK,gold",
            f"{WORLD},男子反曲弓（公开级）,张一,1990-05-01,,1,652,OK,gold",
        ),
        setup["coach"],
    )
    assert errors(rows) == [
        [],
        ["Unknown competition: 世界残疾人射箭锦标赛（上海）."],
        ["The competition has no event called 男子反曲弓（公开级）."],
    ]


def test_codes_and_numbers_are_still_read_when_typed_full_width(setup):
    rows = imports.check_rows(
        csv_bytes(f"{WORLD},女子反曲弓（公开级）,张一,１９９０-０５-０１,,１,６５２,ｏｋ,ＧＯＬＤ"),
        setup["coach"],
    )
    assert errors(rows) == [[]]
    assert (rows[0].rank, str(rows[0].status), str(rows[0].medal)) == (1, "OK", "gold")


def test_an_xlsx_mark_is_kept_as_the_cell_shows_it(setup):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append([WORLD, "女子反曲弓（公开级）", "张一", date(1990, 5, 1), "", 4, 36.2, "OK", ""])
    sheet.cell(row=2, column=7).number_format = "0.00"
    out = io.BytesIO()
    book.save(out)
    rows = imports.check_rows(out.getvalue(), setup["coach"])
    assert errors(rows) == [[]]
    assert rows[0].cells["mark"] == "36.20"
    imports.save_rows(rows, user=setup["coach"])
    db.session.commit()
    result = db.session.scalar(sa.select(Result))
    assert (result.mark, str(result.mark_value)) == ("36.20", "36.200")


def test_not_yours_and_no_such_athlete_answer_the_same(setup, make_user):
    """A coach who does not coach 王芳 (and does not manage the competition): the true birth
    date and a wrong one get the same answer."""
    stranger = make_user("coach")
    rows = imports.check_rows(
        csv_bytes(
            f"{WORLD},女子反曲弓（公开级）,王芳,1988-03-14,,,,DNS,",
            f"{WORLD},女子反曲弓（公开级）,王芳,1988-03-15,,,,DNS,",
        ),
        stranger,
    )
    first, second = errors(rows)
    assert (
        first == second == ["No athlete you may record is called 王芳 with the birth date given."]
    )


def test_lookups_are_rationed_per_user_and_audited(setup):
    """The competition's manager may record any athlete, so a sweep of birth dates is cut
    off: after FAILED_LOOKUPS_PER_DAY failed rows in a day the true date fails the same way,
    while the manager's own athletes are still found (nothing to learn there)."""
    limit = imports.FAILED_LOOKUPS_PER_DAY
    guesses = [f"{WORLD},女子反曲弓（公开级）,王芳,1988-01-{d:02d},,,,DNS," for d in range(1, 29)]
    guesses = guesses[:limit]
    rows = imports.check_rows(csv_bytes(*guesses), setup["coach"])
    imports.keep_lookup(rows)
    assert all(r.errors for r in rows)
    late = imports.check_rows(
        csv_bytes(
            f"{WORLD},女子反曲弓（公开级）,王芳,1988-03-14,,,,DNS,",
            f"{WORLD},女子反曲弓（公开级）,张一,1990-05-01,,,,DNS,",
        ),
        setup["coach"],
    )
    imports.keep_lookup(late)
    assert errors(late) == [
        ["No athlete you may record is called 王芳 with the birth date given."],
        [],
    ]
    logged = db.session.execute(
        sa.select(AuditEvent.actor_id, AuditEvent.details)
        .where(AuditEvent.action == imports.LOOKUP)
        .order_by(AuditEvent.id)
    ).all()
    assert [(a, d["rows"], d["found"], d["failed"]) for a, d in logged] == [
        (setup["coach"].id, limit, 0, limit),
        (setup["coach"].id, 2, 1, 1),
    ]
    assert logged[0].details["athletes"] == [setup["theirs"].id]


def test_lookups_of_one_athlete_are_rationed_across_users(setup, make_user):
    limit = imports.FAILED_LOOKUPS_PER_DAY
    for day in range(1, limit + 1):
        rows = imports.check_rows(
            csv_bytes(f"{WORLD},女子反曲弓（公开级）,王芳,1988-02-{day:02d},,,,DNS,"),
            make_user("coach"),
        )
        imports.keep_lookup(rows)
    # Even the athlete's manager-coach of this competition is now refused for 王芳.
    late = imports.check_rows(
        csv_bytes(f"{WORLD},女子反曲弓（公开级）,王芳,1988-03-14,,,,DNS,"), setup["coach"]
    )
    assert errors(late) == [["No athlete you may record is called 王芳 with the birth date given."]]


def test_the_confirm_step_keeps_the_lookup_audit_when_it_refuses(client, login_as, setup):
    login_as(user=setup["coach"])
    data = csv_bytes(f"{WORLD},女子反曲弓（公开级）,王芳,1988-01-01,,,,DNS,")
    response = client.post(
        "/competitions/import", data={"payload": base64.b64encode(data).decode("ascii")}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "No athlete you may record is called 王芳 with the birth date given." in html
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == imports.LOOKUP)
        )
        == 1
    )
    # The preview step records its look-up too.
    client.post(
        "/competitions/import",
        data={"file": (io.BytesIO(data), "results.csv")},
        content_type="multipart/form-data",
    )
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == imports.LOOKUP)
        )
        == 2
    )


def test_every_broken_rule_of_a_row_at_once(setup):
    rows = imports.check_rows(
        csv_bytes(f"{WORLD},女子反曲弓（公开级）,张一,1990-05-01,,3,,DNS,gold"), setup["coach"]
    )
    assert errors(rows) == [
        [
            "Only a result with status OK has a rank: leave the rank empty.",
            "Only a result with status OK can hold a medal.",
            "A gold medal goes with rank 1 (tied athletes share the rank).",
        ]
    ]


@pytest.mark.parametrize("error", ["integrity", "stale"])
def test_an_import_racing_another_save_is_a_409_not_a_500(
    client, login_as, setup, monkeypatch, error
):
    from sqlalchemy.orm.exc import StaleDataError

    login_as(user=setup["coach"])
    data = csv_bytes(f"{WORLD},女子反曲弓（公开级）,张一,1990-05-01,,1,652,OK,gold")

    def racing(rows, *, user):
        if error == "stale":
            raise StaleDataError("UPDATE statement on table 'results' expected to update 1 row")
        raise sa.exc.IntegrityError("INSERT INTO results", {}, Exception("unique"))

    monkeypatch.setattr(imports, "save_rows", racing)
    response = client.post(
        "/competitions/import", data={"payload": base64.b64encode(data).decode("ascii")}
    )
    assert response.status_code == 409
    assert "Someone else saved some of these results at the same time." in response.get_data(
        as_text=True
    )
    assert db.session.scalar(sa.select(sa.func.count(Result.id))) == 0


def test_one_file_cannot_guess_a_person_more_than_the_ration(setup):
    """Review: the failures of the file being read did not count for its later rows, so one
    file of 15 wrong dates and the true one confirmed the date. A person's sixth row of the
    same file is refused whatever its date, as a sixth look-up anywhere is."""
    from app.people import lookup

    wrong = [
        f"{WORLD},女子反曲弓（公开级）,王芳,1988-01-{d:02d},,,,DNS,"
        for d in range(1, lookup.FAILED_PER_DAY + 1)
    ]
    rows = imports.check_rows(
        csv_bytes(*wrong, f"{WORLD},女子反曲弓（公开级）,王芳,1988-03-14,,,,DNS,"), setup["coach"]
    )
    assert errors(rows)[-1] == [
        "No athlete you may record is called 王芳 with the birth date given."
    ]


def test_names_matching_no_one_cost_no_ration(setup, make_person):
    """Review: five rows naming nobody in the register (a typo, a newcomer) were charged as
    failed look-ups, and locked the coach out of every register look-up for a day."""
    from app.people import lookup

    nobody = [f"{WORLD},女子反曲弓（公开级）,无此人{n},1990-01-01,,,,DNS," for n in range(1, 11)]
    rows = imports.check_rows(csv_bytes(*nobody), setup["coach"])
    imports.keep_lookup(rows)
    assert all(r.errors for r in rows)
    person = make_person(name="李四", birth_on=date(1970, 7, 7))
    found = lookup.find_person(
        person.id,
        date(1970, 7, 7),
        actor=setup["coach"],
        purpose="test",
        message="refused",
        field="register_number",
    )
    assert found.id == person.id
