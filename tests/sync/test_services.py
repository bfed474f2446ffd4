"""The sync services without HTTP (issue 18 item 4): idempotent by client id, the later
roll-call mark wins with the earlier in the audit trail and its sender told, permissions as
the forms', a bounded batch, and a stale results row answered as a conflict, never saved."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.competitions.models import Result
from app.core.audit import AuditEvent
from app.extensions import db
from app.homes.enums import AbsenceReason, AttendanceStatus
from app.homes.models import Attendance
from app.sync import services
from app.sync.models import ClientMark
from tests.sync.conftest import KEY, NOW


def mark(activity, person_id, cid, status="present", reason=None, made="2026-11-30T01:30:00Z"):
    return {
        "client_id": cid,
        "activity_id": activity.id,
        "occurrence": KEY,
        "person_id": person_id,
        "status": status,
        "reason": reason,
        "made_at": made,
        "based_on": "",
    }


def attendance(activity):
    db.session.expire_all()
    return {
        a.person_id: (a.status, a.absence_reason, a.recorded_by_id, a.recorded_at.isoformat())
        for a in db.session.scalars(
            sa.select(Attendance).where(Attendance.activity_id == activity.id)
        )
    }


def audit_rows(action):
    return [
        (e.actor_id, e.details)
        for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    ]


def sync(body, user):
    answer = services.sync_roll_call(body, user, now=NOW)
    db.session.commit()
    return answer


def test_five_marks_sent_twice_are_stored_once(sheet):
    activity, people, staff = sheet["activity"], sheet["people"], sheet["staff"]
    batch = {
        "marks": [mark(activity, pid, f"client-{pid:08d}") for pid in people[:4]]
        + [mark(activity, people[4], "client-absent-1", "absent", "ill")]
    }
    first = sync(batch, staff)
    assert [r["outcome"] for r in first["results"]] == ["applied"] * 5
    assert first["results"][4]["saved"] == {
        "status": "absent",
        "reason": "ill",
        "version": "2026-11-30T01:30:00+00:00",
    }
    second = sync(batch, staff)
    assert [(r["outcome"], r.get("duplicate")) for r in second["results"]] == [
        ("applied", True)
    ] * 5
    saved = attendance(activity)
    assert saved == {
        **{
            pid: (AttendanceStatus.PRESENT, None, staff.id, "2026-11-30T01:30:00+00:00")
            for pid in people[:4]
        },
        people[4]: (
            AttendanceStatus.ABSENT,
            AbsenceReason.ILL,
            staff.id,
            "2026-11-30T01:30:00+00:00",
        ),
    }
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientMark)) == 5
    assert len(audit_rows("sync_attendance")) == 5


def test_the_later_mark_wins_whichever_arrives_first(sheet):
    activity, person = sheet["activity"], sheet["people"][0]
    staff, colleague = sheet["staff"], sheet["colleague"]
    # The colleague's mark was made later (10:40) but arrives first.
    later = sync(
        {"marks": [mark(activity, person, "colleague-0001", made="2026-11-30T01:40:00Z")]},
        colleague,
    )
    assert later["results"][0]["outcome"] == "applied"
    earlier = sync(
        {
            "marks": [
                mark(
                    activity,
                    person,
                    "staff-000001",
                    "absent",
                    "family",
                    made="2026-11-30T01:35:00Z",
                )
            ]
        },
        staff,
    )
    assert earlier["results"] == [
        {
            "client_id": "staff-000001",
            "outcome": "superseded",
            "saved": {"status": "present", "reason": None, "version": "2026-11-30T01:40:00+00:00"},
        }
    ]
    assert attendance(activity)[person][:3] == (AttendanceStatus.PRESENT, None, colleague.id)
    # The earlier mark is kept in the audit trail (status, never the reason).
    assert audit_rows("superseded_attendance") == [
        (
            staff.id,
            {
                "occurrence": KEY,
                "person_id": person,
                "status": "absent",
                "made_at": "2026-11-30T01:35:00+00:00",
                "based_on": "",
                "client_id": "staff-000001",
            },
        )
    ]


def test_a_later_mark_arriving_second_replaces_and_the_loser_is_told_once(sheet):
    activity, person = sheet["activity"], sheet["people"][1]
    staff, colleague = sheet["staff"], sheet["colleague"]
    sync(
        {
            "marks": [
                mark(
                    activity,
                    person,
                    "staff-000002",
                    "absent",
                    "transport",
                    made="2026-11-30T01:35:00Z",
                )
            ]
        },
        staff,
    )
    answer = sync(
        {"marks": [mark(activity, person, "colleague-0002", made="2026-11-30T01:40:00Z")]},
        colleague,
    )
    assert answer["results"][0]["outcome"] == "applied"
    assert answer["superseded"] == []
    assert attendance(activity)[person][:3] == (AttendanceStatus.PRESENT, None, colleague.id)
    replaced = audit_rows("sync_attendance")[-1]
    assert replaced[0] == colleague.id
    assert replaced[1]["previous"] == {
        "status": "absent",
        "recorded_by_id": staff.id,
        "recorded_at": "2026-11-30T01:35:00+00:00",
    }
    # The staff member's next sync (even an empty one) says their mark was superseded, once.
    told = sync({"marks": []}, staff)
    assert told["superseded"] == [
        {
            "client_id": "staff-000002",
            "activity_id": activity.id,
            "occurrence": KEY,
            "person_id": person,
        }
    ]
    assert sync({"marks": []}, staff)["superseded"] == []


def test_a_clock_ahead_of_the_server_counts_as_now(sheet):
    activity, person, staff = sheet["activity"], sheet["people"][2], sheet["staff"]
    sync({"marks": [mark(activity, person, "future-00001", made="2030-01-01T00:00:00Z")]}, staff)
    assert attendance(activity)[person][3] == NOW.isoformat()


def test_another_homes_staff_are_refused_and_nothing_is_written(sheet, make_user):
    stranger = make_user("home_staff")
    activity, people = sheet["activity"], sheet["people"]
    with pytest.raises(services.SyncRefused) as refused:
        services.sync_roll_call(
            {"marks": [mark(activity, people[0], "stranger-001")]}, stranger, now=NOW
        )
    assert refused.value.status == 403
    db.session.rollback()
    assert attendance(activity) == {}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientMark)) == 0


def test_one_foreign_mark_refuses_the_whole_batch(sheet, make_home, make_activity, make_user):
    other_home = make_home()
    other = make_activity(other_home)
    activity, people, staff = sheet["activity"], sheet["people"], sheet["staff"]
    with pytest.raises(services.SyncRefused) as refused:
        services.sync_roll_call(
            {
                "marks": [
                    mark(activity, people[0], "mine-000001"),
                    mark(other, people[0], "theirs-00001"),
                ]
            },
            staff,
            now=NOW,
        )
    assert refused.value.status == 403


def test_the_batch_is_bounded(sheet):
    activity, person, staff = sheet["activity"], sheet["people"][0], sheet["staff"]
    marks = [mark(activity, person, f"bulk-{n:08d}") for n in range(services.MAX_BATCH + 1)]
    with pytest.raises(services.SyncRefused) as refused:
        services.sync_roll_call({"marks": marks}, staff, now=NOW)
    assert refused.value.status == 413
    assert (
        str(refused.value.detail)
        == "A batch holds at most 200 marks; send the others in another batch."
    )
    # Exactly the bound is taken.
    answer = services.sync_roll_call({"marks": marks[:200]}, staff, now=NOW)
    assert len(answer["results"]) == 200


@pytest.mark.parametrize(
    "body",
    [
        None,
        {},
        {"marks": "x"},
        {"marks": [{"client_id": "short"}]},
        {"marks": [{"client_id": "long-enough-1", "made_at": "yesterday"}]},
    ],
)
def test_a_malformed_batch_is_a_400(sheet, body):
    with pytest.raises(services.SyncRefused) as refused:
        services.sync_roll_call(body, sheet["staff"], now=NOW)
    assert refused.value.status == 400


def test_an_invalid_mark_is_answered_at_the_mark(sheet, bulk_people):
    activity, staff = sheet["activity"], sheet["staff"]
    stranger = bulk_people(1)[0]
    answer = sync(
        {
            "marks": [
                mark(activity, sheet["people"][0], "no-reason-01", "absent", None),
                mark(activity, stranger, "not-member-1"),
            ]
        },
        staff,
    )
    assert [(r["outcome"], r["message"]) for r in answer["results"]] == [
        ("invalid", "Choose the reason for the absence."),
        ("invalid", "That person is not expected at this session."),
    ]
    assert attendance(activity) == {}


# --- results --------------------------------------------------------------------------------


def row(entry, cid, version, **values):
    base = {"rank": "", "mark": "", "mark_value": "", "status": "OK", "medal": "none", "notes": ""}
    base.update(values)
    return {
        "client_id": cid,
        "entry_id": entry.id,
        "version": version,
        "values": base,
        "made_at": "2026-11-30T01:30:00Z",
    }


def result_of(entry):
    return db.session.scalar(
        sa.select(Result)
        .where(Result.entry_id == entry.id)
        .execution_options(populate_existing=True)
    )


def sync_results(body, user):
    answer = services.sync_results(body, user, now=NOW)
    db.session.commit()
    return answer


def test_a_results_row_is_saved_once(screen):
    blank, coach = screen["blank"], screen["coach"]
    batch = {"marks": [row(blank, "result-00001", "", rank="2", mark="640", medal="silver")]}
    first = sync_results(batch, coach)
    assert first["results"] == [
        {
            "client_id": "result-00001",
            "outcome": "applied",
            "saved": {
                "rank": "2",
                "mark": "640",
                "mark_value": "",
                "status": "OK",
                "medal": "silver",
                "notes": "",
            },
            "version": "1",
        }
    ]
    again = sync_results(batch, coach)
    assert again["results"] == [
        {"client_id": "result-00001", "outcome": "applied", "duplicate": True}
    ]
    saved = result_of(blank)
    assert (saved.rank, saved.mark, str(saved.medal), saved.version) == (2, "640", "silver", 1)
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.entity == "result", AuditEvent.entity_id == saved.id)
        )
        == 1
    )


def test_a_stale_results_row_is_a_conflict_with_both_versions(screen):
    blank, coach = screen["blank"], screen["coach"]
    sync_results(
        {"marks": [row(blank, "result-first", "", rank="1", mark="655", medal="gold")]}, coach
    )
    # A second phone had the row open before that result existed (no version).
    answer = sync_results(
        {
            "marks": [
                row(blank, "result-stale", "", rank="1", mark="650", medal="gold", notes="wind")
            ]
        },
        coach,
    )
    assert answer["results"] == [
        {
            "client_id": "result-stale",
            "outcome": "conflict",
            "yours": {
                "rank": "1",
                "mark": "650",
                "mark_value": "",
                "status": "OK",
                "medal": "gold",
                "notes": "wind",
            },
            "saved": {
                "rank": "1",
                "mark": "655",
                "mark_value": "",
                "status": "OK",
                "medal": "gold",
                "notes": "",
            },
            "version": "1",
        }
    ]
    saved = result_of(blank)
    assert (saved.mark, saved.notes) == ("655", "")


def test_an_official_result_changed_without_a_reason_is_answered_at_the_row(screen):
    from app.competitions.official import publish_results

    scored, coach = screen["scored"], screen["coach"]
    publish_results(screen["event"], actor=None)
    db.session.commit()
    version = str(result_of(scored).version)
    answer = sync_results(
        {"marks": [row(scored, "result-offic", version, rank="1", mark="650", medal="gold")]}, coach
    )
    assert answer["results"][0]["outcome"] == "invalid"
    assert answer["results"][0]["errors"][0]["field"] == "reason"
    assert result_of(scored).mark == "652"


def test_an_invalid_results_row_lists_its_problems(screen):
    answer = sync_results(
        {"marks": [row(screen["blank"], "result-bad01", "", rank="x", status="DNS", medal="gold")]},
        screen["coach"],
    )
    result = answer["results"][0]
    assert result["outcome"] == "invalid"
    assert [e["field"] for e in result["errors"]] == ["rank", "medal"]
    assert result_of(screen["blank"]) is None


def test_a_coach_of_other_athletes_is_refused(screen, make_user):
    stranger = make_user("coach")
    with pytest.raises(services.SyncRefused) as refused:
        services.sync_results(
            {"marks": [row(screen["blank"], "result-strg1", "", rank="3")]}, stranger, now=NOW
        )
    assert refused.value.status == 403


def test_a_batch_reads_the_session_once_and_writes_each_mark(
    sheet, bulk_people, add_members, count_queries
):
    """The members and the saved marks of a session are read once per batch: each further
    mark adds its own three statements (its upsert, its audit row, its client-id row), never
    a read of the session, its members, its saved marks or the user's homes again."""
    activity, staff = sheet["activity"], sheet["staff"]
    more = bulk_people(15)
    from app.homes.models import Home

    add_members(db.session.get(Home, activity.home_id), more)
    people = sheet["people"] + more

    def run(ids, prefix):
        batch = {"marks": [mark(activity, pid, f"{prefix}-{pid:08d}") for pid in ids]}
        with count_queries() as counted:
            answer = services.sync_roll_call(batch, staff, now=NOW)
            db.session.flush()
        db.session.commit()
        assert {r["outcome"] for r in answer["results"]} == {"applied"}
        return counted.count

    small = run(people[:2], "small")
    large = run(people[2:20], "large")
    # On PostgreSQL the audit and client-id rows of a flush go as one multi-row INSERT each
    # (SQLAlchemy's insertmanyvalues), so a further mark costs one statement there.
    per_mark = {"sqlite": 3, "postgresql": 1}[db.engine.dialect.name]
    assert large - small == per_mark * (18 - 2)


def test_a_synced_row_is_read_as_the_results_form_reads_it(screen, make_athlete, enter):
    """Full-width digits and pasted control characters: the sync stores the row exactly as the
    results form (results_screen.submit) stores the same row."""
    from decimal import Decimal

    from werkzeug.datastructures import MultiDict

    from app.competitions import results_screen

    coach, event, blank = screen["coach"], screen["event"], screen["blank"]
    other = enter(event, make_athlete(coaches=[coach]), result=False)
    typed = {
        "rank": "２ ",
        "mark": "６４０\x07",
        "mark_value": "６４０．５\x1b",
        "status": "",
        "medal": "ｓｉｌｖｅｒ",
        "notes": " 风速\x00２ m/s\u200b\tok\r ",
    }
    answer = sync_results({"marks": [row(blank, "fullwidth-1", "", **typed)]}, coach)
    assert answer["results"][0]["outcome"] == "applied"

    formdata = MultiDict({f"{name}-{other.id}": value for name, value in typed.items()})
    formdata[f"version-{other.id}"] = ""
    outcome = results_screen.submit(event, {other.id}, formdata, actor=coach)
    assert (outcome.status, outcome.saved) == (200, 1)

    def stored(entry):
        result = result_of(entry)
        fields = ("rank", "mark", "mark_value", "status", "medal", "notes")
        return {name: getattr(result, name) for name in fields}

    assert stored(blank) == stored(other)
    assert stored(blank) == {
        "rank": 2,
        "mark": "640",
        "mark_value": Decimal("640.5"),
        "status": "OK",
        "medal": "silver",
        "notes": "风速２ m/s\u200b\tok",
    }


def audit_count(*actions):
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action.in_(actions))
    )


def test_a_mark_changing_an_earlier_one_writes_one_audit_row(sheet):
    """One row per real change: the sync's own (with the mark it replaced), not the form's
    correction row beside it."""
    activity, person, staff = sheet["activity"], sheet["people"][0], sheet["staff"]
    sync({"marks": [mark(activity, person, "first-000001", made="2026-11-30T01:30:00Z")]}, staff)
    sync(
        {
            "marks": [
                mark(activity, person, "second-00001", "absent", "ill", made="2026-11-30T01:35:00Z")
            ]
        },
        staff,
    )
    assert attendance(activity)[person][:2] == (AttendanceStatus.ABSENT, AbsenceReason.ILL)
    assert audit_count("correct_attendance") == 0
    rows = audit_rows("sync_attendance")
    assert [details["client_id"] for _actor, details in rows] == ["first-000001", "second-00001"]
    assert rows[1][1]["previous"] == {
        "status": "present",
        "recorded_by_id": staff.id,
        "recorded_at": "2026-11-30T01:30:00+00:00",
    }
    assert [details["late"] for _actor, details in rows] == [False, False]


def test_a_mark_that_changes_nothing_writes_no_audit_row_and_tells_nobody(sheet):
    activity, person = sheet["activity"], sheet["people"][0]
    staff, colleague = sheet["staff"], sheet["colleague"]
    sync({"marks": [mark(activity, person, "staff-000011", made="2026-11-30T01:30:00Z")]}, staff)
    before = attendance(activity)
    answer = sync(
        {"marks": [mark(activity, person, "colleague-011", made="2026-11-30T01:40:00Z")]},
        colleague,
    )
    assert answer["results"] == [
        {
            "client_id": "colleague-011",
            "outcome": "applied",
            "saved": {"status": "present", "reason": None, "version": "2026-11-30T01:30:00+00:00"},
        }
    ]
    assert attendance(activity) == before  # still the staff member's mark, as it was
    assert audit_count("sync_attendance", "correct_attendance") == 1
    assert sync({"marks": []}, staff)["superseded"] == []  # their mark was not replaced
    # Sent twice, it is still one client id and no audit row.
    sync({"marks": [mark(activity, person, "colleague-011")]}, colleague)
    assert audit_count("sync_attendance", "correct_attendance") == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClientMark)) == 2


def test_a_results_batch_loads_its_entries_together(screen, make_athlete, enter, count_queries):
    """The entries of a batch, with their result and the athletes' coaches for the permission
    check, are read once per batch whatever its size, never one entry at a time. (Each row's
    own flush then keeps the calendar in step: app/calendars/sync.py's statements, per row.)"""
    coach, event = screen["coach"], screen["event"]
    blanks = [enter(event, make_athlete(coaches=[coach]), result=False) for _ in range(6)]

    def loads(entries, prefix):
        batch = {
            "marks": [
                row(entry, f"{prefix}-{entry.id:08d}", "", rank=str(n + 1))
                for n, entry in enumerate(entries)
            ]
        }
        db.session.expire_all()
        with count_queries() as counted:
            answer = services.sync_results(batch, coach, now=NOW)
            db.session.flush()
        db.session.commit()
        assert {r["outcome"] for r in answer["results"]} == {"applied"}
        reads = [" ".join(q.split()) for q in counted.statements]
        return {
            what: sum(1 for q in reads if q.startswith(f"SELECT {columns}"))
            for what, columns in (
                ("entries", "entries.id, entries.event_id,"),  # with event and competition
                ("results", "results.entry_id, results.id,"),
                ("athletes", "entry_members.entry_id, athlete_profiles.id,"),
                ("coaches", "athlete_coaches.athlete_id, users.id,"),
            )
        }

    once = {"entries": 1, "results": 1, "athletes": 1, "coaches": 1}
    assert loads(blanks[:2], "small") == once
    assert loads(blanks[2:], "large") == once


def test_a_results_batch_moves_the_versions_once_at_its_commit(screen):
    """Each row is saved in a savepoint: the versions are bumped once, at the batch's commit
    (not at each savepoint's release), and a row answered as a conflict (its savepoint
    rolled back) does not take the other rows' bump with it."""
    from sqlalchemy import event

    from app.core import versions

    scored, blank, coach = screen["scored"], screen["blank"], screen["coach"]
    before = versions.current(db.session, [versions.MEDALS, versions.LIVE])
    version = str(result_of(scored).version)
    bumps: list[str] = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO DATA_VERSIONS"):
            bumps.append(statement)

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        answer = sync_results(
            {
                "marks": [
                    row(scored, "result-a", version, rank="1", mark="653", medal="gold"),
                    row(blank, "result-b", "", rank="2", mark="640", medal="silver"),
                    row(scored, "result-c", "0", rank="3", mark="600", medal="bronze"),
                ]
            },
            coach,
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    assert [r["outcome"] for r in answer["results"]] == ["applied", "applied", "conflict"]
    assert len(bumps) == 1
    db.session.expire_all()
    after = versions.current(db.session, [versions.MEDALS, versions.LIVE])
    assert after[versions.MEDALS] != before[versions.MEDALS]
    assert after[versions.LIVE] != before[versions.LIVE]


def test_a_row_before_the_events_day_is_refused_at_the_row_for_good(
    make_user, make_competition, make_event, make_athlete, enter
):
    """Before the event's Beijing day a row is answered "invalid" with the day results open,
    whatever its boxes say and without naming a box (the whole row is refused); the client id
    is taken, so the phone's queue drops it and sending it again answers the same."""
    from datetime import date

    coach = make_user("coach")
    event = make_event(make_competition(start_on=date(2026, 12, 3)))
    entry = enter(event, make_athlete(coaches=[coach]), result=False)
    batch = {"marks": [row(entry, "result-early", "", rank="x", medal="gold")]}
    assert sync_results(batch, coach)["results"] == [
        {
            "client_id": "result-early",
            "outcome": "invalid",
            "message": "This event has not taken place yet: results can be entered from "
            "Dec 3, 2026.",
        }
    ]
    assert sync_results(batch, coach)["results"] == [
        {"client_id": "result-early", "outcome": "invalid", "duplicate": True}
    ]
    assert result_of(entry) is None
    assert [(m.client_id, m.target, m.outcome) for m in db.session.scalars(
        sa.select(ClientMark))] == [("result-early", f"result:{entry.id}", "invalid")]  # fmt: skip
