"""Issue 15 item 1: every write that can change a public page moves its topic's data version
in the same transaction (app/core/versions.py, listed in app/caching.py); an unrelated write
moves nothing; a rolled-back write moves nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified

from app.accounts.models import User
from app.athletes.models import Classification
from app.caching import PAGES, STATIC_PAGES, WATCH
from app.competitions.models import Entry, Result
from app.core import audit, versions
from app.extensions import db
from app.homes.models import Attendance
from app.performances.models import Performance, TroupeMember
from app.venues.models import VenueFeature


def _versions() -> dict[str, str]:
    db.session.expire_all()
    return versions.current(db.session, versions.TOPICS)


def _moved(before: dict, after: dict) -> set[str]:
    return {topic for topic in versions.TOPICS if before[topic] != after[topic]}


def _touch(model, column: str, change=None):
    row = db.session.scalars(sa.select(model).order_by(*model.__table__.primary_key)).first()
    assert row is not None, model
    if change is None:
        flag_modified(row, column)
    else:
        setattr(row, column, change(getattr(row, column)))
    return row


# (what changes, the topics it must move): one row of each kind the topics are about.
CASES = [
    ("result", lambda: _touch(Result, "rank", lambda r: (r or 0) + 1), {"medals", "live"}),
    ("entry", lambda: _touch(Entry, "status"), {"live", "medals"}),
    ("performance", lambda: _touch(Performance, "audience", lambda a: (a or 0) + 1), {"agenda"}),
    ("troupe member", lambda: _touch(TroupeMember, "person_id"), {"statistics"}),
    ("classification", lambda: _touch(Classification, "status"), {"report"}),
    ("venue feature", lambda: _touch(VenueFeature, "feature"), {"venues"}),
    ("attendance", lambda: _touch(Attendance, "recorded_at"), {"homes_stats"}),
]


@pytest.mark.parametrize("what, change, expected", CASES, ids=[c[0] for c in CASES])
def test_a_change_moves_its_topics_in_the_same_commit(demo, what, change, expected):
    before = _versions()
    row = change()
    model = type(row)
    db.session.commit()
    moved = _moved(before, _versions())
    assert expected <= moved
    # Exactly what the model feeds (the calendar's too when the sync re-rendered an item).
    assert moved - {versions.CALENDAR} == set(WATCH[model])


def test_a_visible_change_to_a_performance_moves_the_public_calendar(demo):
    before = _versions()
    performance = db.session.scalars(
        sa.select(Performance).where(Performance.is_public.is_(True)).order_by(Performance.id)
    ).first()
    performance.title = performance.title + "（加演）"
    db.session.commit()
    assert versions.CALENDAR in _moved(before, _versions())


def test_unrelated_writes_move_nothing(demo):
    before = _versions()
    audit.record("viewed", "person", 1, ())
    db.session.commit()
    assert _moved(before, _versions()) == set()


def test_a_user_renamed_moves_the_choice_lists_only(demo):
    # A user's name is in the forms' lists of coaches (app/core/choices.py); no public page
    # shows it.
    before = _versions()
    user = db.session.scalars(sa.select(User).order_by(User.id)).first()
    user.display_name = "Someone else"
    db.session.commit()
    assert _moved(before, _versions()) == {"reference"}


def test_a_rolled_back_change_moves_nothing(demo):
    before = _versions()
    _touch(Result, "rank", lambda r: (r or 0) + 1)
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert _moved(before, _versions()) == set()


def test_every_cached_page_is_a_public_endpoint(app):
    for endpoint in [*PAGES, *STATIC_PAGES]:
        view = app.view_functions[endpoint]
        assert getattr(view, "is_public", False), endpoint


def test_bump_answers_one_token_for_all_and_current_reads_it(app):
    token = versions.bump(db.session, ["medals", "venues"])
    db.session.commit()
    found = versions.current(db.session, ["medals", "venues", "agenda"])
    assert found == {"agenda": versions.INITIAL, "medals": token, "venues": token}
