"""Two workers on PostgreSQL: rows are claimed with FOR UPDATE SKIP LOCKED, so each notice is
sent once. SQLite has one writer and no SKIP LOCKED (run one worker there): skipped on it,
run by the suite's PostgreSQL run."""

from __future__ import annotations

import asyncio
import threading

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.notices import worker
from app.notices.models import Notice
from tests.notices.conftest import AFTER_HOLD, at, save


@pytest.fixture
def postgresql_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("FOR UPDATE SKIP LOCKED is PostgreSQL's; on SQLite one worker runs")


def test_two_workers_send_each_notice_once(
    postgresql_only, app, smtp, contact_person, make_performance, frozen_clock
):
    people = [contact_person(email=f"p{i}@example.cn") for i in range(12)]
    performance = make_performance(people=[(p, "performer") for p in people])
    db.session.execute(sa.delete(Notice))
    db.session.commit()
    save(performance, starts_at=at(4, 9), ends_at=at(4, 11))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notice)) == 12
    frozen_clock.set(AFTER_HOLD)

    # Slow the server down so that the two workers overlap.
    handle = smtp.inbox.handle_DATA

    async def slow(server, session, envelope):
        await asyncio.sleep(0.05)
        return await handle(server, session, envelope)

    smtp.inbox.handle_DATA = slow
    tallies: dict[str, dict] = {}

    def run(name):
        with app.app_context():
            try:
                tallies[name] = dict(worker.run_once())
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert tallies["one"].get("sent", 0) + tallies["two"].get("sent", 0) == 12
    assert tallies["one"].get("sent", 0) > 0 and tallies["two"].get("sent", 0) > 0
    ids = [m["Message-ID"] for m in smtp.inbox.messages]
    assert len(ids) == 12 and len(set(ids)) == 12
    db.session.expire_all()
    assert set(db.session.scalars(sa.select(Notice.status))) == {
        Notice.status.type.enum_class("sent")
    }
