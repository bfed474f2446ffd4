"""Issue 15 review: the domains' commit work (calendar sync, notices, attendance counts, data
versions) runs at the outer commit only (app/core/commit_hooks.py). A savepoint released
then the outer commit: each runs once, with the savepoint's changes; a savepoint rolled back:
its changes move nothing, and the changes made around it still do. Before, SQLAlchemy's
``before_commit`` ran them at every savepoint release, and ``after_rollback`` of a savepoint
dropped the outer transaction's notes (a venue's version bump was lost)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm.attributes import flag_modified

from app.caching import WATCH
from app.calendars import sync as calendar_sync
from app.calendars.models import CalendarItem
from app.competitions.models import Result
from app.core import clock, versions
from app.extensions import db
from app.homes.models import Attendance, AttendanceDay
from app.notices import outbox
from app.performances.enums import PerformanceStatus
from app.performances.models import Performance
from app.venues.models import VenueFeature


class Undo(Exception):
    """Raised inside ``begin_nested()`` to roll the savepoint back."""


def _versions() -> dict[str, str]:
    db.session.expire_all()
    return versions.current(db.session, versions.TOPICS)


def _moved(before: dict, after: dict) -> set[str]:
    return {topic for topic in versions.TOPICS if before[topic] != after[topic]}


def _first(model, *where):
    return db.session.scalars(
        sa.select(model).where(*where).order_by(*model.__table__.primary_key)
    ).first()


@pytest.fixture
def bumps(app):
    """The statements that write ``data_versions`` (one per bump)."""
    seen: list[str] = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO DATA_VERSIONS"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", watch)
    yield seen
    event.remove(db.engine, "before_cursor_execute", watch)


def _change_a_result_in_a_savepoint(undo: bool) -> None:
    try:
        with db.session.begin_nested():
            result = _first(Result)
            result.rank = (result.rank or 0) + 1
            db.session.flush()
            if undo:
                raise Undo
    except Undo:
        pass


def test_a_rolled_back_savepoint_keeps_the_bump_of_the_change_made_before_it(demo):
    before = _versions()
    feature = _first(VenueFeature)
    flag_modified(feature, "feature")
    db.session.flush()
    _change_a_result_in_a_savepoint(undo=True)
    db.session.commit()
    moved = _moved(before, _versions())
    # The venue's topics moved; the result's rolled-back change moved none of its own.
    assert moved - {versions.CALENDAR} == set(WATCH[VenueFeature])
    assert versions.MEDALS not in moved


def test_a_change_noted_but_not_flushed_before_the_savepoint_keeps_its_bump(demo):
    before = _versions()
    flag_modified(_first(VenueFeature), "feature")  # flushed by begin_nested(), at the outer level
    _change_a_result_in_a_savepoint(undo=True)
    db.session.commit()
    assert _moved(before, _versions()) - {versions.CALENDAR} == set(WATCH[VenueFeature])


def test_savepoints_released_bump_once_at_the_outer_commit(demo, bumps):
    before = _versions()
    results = db.session.scalars(sa.select(Result).order_by(Result.id).limit(3)).all()
    for result in results:
        with db.session.begin_nested():
            result.rank = (result.rank or 0) + 1
    assert bumps == []  # nothing at a release
    db.session.commit()
    assert len(bumps) == 1
    assert {versions.MEDALS, versions.LIVE} <= _moved(before, _versions())


def test_a_savepoint_inside_a_released_one_rolled_back_moves_only_the_outer_ones(demo):
    before = _versions()
    with db.session.begin_nested():
        flag_modified(_first(VenueFeature), "feature")
        db.session.flush()
        _change_a_result_in_a_savepoint(undo=True)
    db.session.commit()
    assert _moved(before, _versions()) - {versions.CALENDAR} == set(WATCH[VenueFeature])


def test_a_rolled_back_transaction_after_a_released_savepoint_moves_nothing(demo, bumps):
    before = _versions()
    _change_a_result_in_a_savepoint(undo=False)
    db.session.rollback()
    db.session.commit()
    assert bumps == []
    assert _moved(before, _versions()) == set()


def _public_performances(count):
    return db.session.scalars(
        sa.select(Performance)
        .where(Performance.is_public.is_(True), Performance.status != PerformanceStatus.CANCELLED)
        .order_by(Performance.id)
        .limit(count)
    ).all()


def _item_text(performance) -> str:
    db.session.expire_all()
    item = db.session.scalars(
        sa.select(CalendarItem).where(
            CalendarItem.kind == "performance", CalendarItem.source_id == performance.id
        )
    ).one()
    return item.ics_zh.decode()


def test_the_calendar_sync_runs_once_for_savepoints_released(demo, monkeypatch):
    calls = []
    real = calendar_sync.sync

    def counted(session, item_keys, feed_keys=(), **kwargs):
        calls.append(set(item_keys))
        return real(session, item_keys, feed_keys, **kwargs)

    monkeypatch.setattr(calendar_sync, "sync", counted)
    performances = _public_performances(2)
    assert len(performances) == 2
    for performance in performances:
        with db.session.begin_nested():
            performance.title = performance.title + "（加演）"
    assert calls == []
    db.session.commit()
    assert calls == [{("performance", p.id) for p in performances}]
    for performance in performances:
        assert "（加演）" in _item_text(performance)


def test_a_rolled_back_savepoint_leaves_the_calendar_sync_of_the_outer_change(demo):
    kept, undone = _public_performances(2)
    undone_text = _item_text(undone)
    kept.title = kept.title + "（加演）"
    try:
        with db.session.begin_nested():
            undone.title = undone.title + "（取消）"
            db.session.flush()
            raise Undo
    except Undo:
        pass
    db.session.commit()
    assert "（加演）" in _item_text(kept)
    assert _item_text(undone) == undone_text


def _recorded(activity_id, day):
    db.session.expire_all()
    return db.session.scalar(
        sa.select(AttendanceDay.recorded).where(
            AttendanceDay.activity_id == activity_id, AttendanceDay.day == day
        )
    )


def test_a_rolled_back_savepoint_keeps_the_attendance_recount_of_the_outer_change(demo):
    attendance = _first(Attendance)
    activity_id, day = attendance.activity_id, clock.local_date(attendance.occurrence_start)
    before = _recorded(activity_id, day)
    assert before >= 2
    db.session.delete(_first(Attendance))
    db.session.flush()
    _change_a_result_in_a_savepoint(undo=True)
    db.session.commit()
    assert _recorded(activity_id, day) == before - 1


@pytest.fixture
def queued(monkeypatch):
    calls = []

    def record(session, kind, subject_id, occurrence, change, old=None, only=None):
        calls.append((kind, subject_id, str(change)))
        return 0

    monkeypatch.setattr(outbox, "queue", record)
    return calls


def test_a_rolled_back_savepoint_keeps_the_notice_of_the_outer_change(demo, queued):
    performance = _public_performances(1)[0]
    performance.starts_at += timedelta(hours=1)
    performance.ends_at += timedelta(hours=1)
    db.session.flush()
    _change_a_result_in_a_savepoint(undo=True)
    db.session.commit()
    assert queued == [("performance", performance.id, "moved")]


def test_one_notice_for_a_change_made_in_two_released_savepoints(demo, queued):
    performance = _public_performances(1)[0]
    for _ in range(2):
        with db.session.begin_nested():
            performance.starts_at += timedelta(hours=1)
            performance.ends_at += timedelta(hours=1)
    assert queued == []
    db.session.commit()
    assert queued == [("performance", performance.id, "moved")]


def test_session_commit_inside_an_open_savepoint_runs_the_hooks_once(demo, caplog, bumps):
    # session.commit() commits the savepoint first, then the outer transaction: the hooks
    # run at the latter, once, with the savepoint's changes.
    before = _versions()
    db.session.begin_nested()
    flag_modified(_first(VenueFeature), "feature")
    db.session.commit()
    assert len(bumps) == 1
    assert _moved(before, _versions()) - {versions.CALENDAR} == set(WATCH[VenueFeature])
    assert "commit hooks skipped" not in caplog.text


def test_the_outer_transaction_committed_by_hand_over_an_open_savepoint_is_logged(
    demo, caplog, bumps
):
    # Committing the outer SessionTransaction object itself while a savepoint is open fires
    # its before_commit exactly as a release would: the hooks cannot run; the log says so.
    feature = _first(VenueFeature)  # the outer transaction begins
    outer = db.session().get_transaction()
    db.session.begin_nested()
    flag_modified(feature, "feature")
    outer.commit()
    assert bumps == []
    assert "commit hooks skipped" in caplog.text
