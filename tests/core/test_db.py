"""The UTC instant type, CHECK-backed enums and optimistic locking."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from app.accounts.models import User
from app.core.audit import AuditEvent
from app.core.db import UTCDateTime, VersionedMixin
from app.extensions import db


def test_utc_datetime_refuses_naive_values(app):
    column_type = UTCDateTime()
    with pytest.raises(ValueError, match="naive"):
        column_type.process_bind_param(datetime(2026, 1, 1, 8, 0), db.engine.dialect)


def test_utc_datetime_stores_instant_and_returns_aware_utc(app):
    shanghai = timezone(timedelta(hours=8))
    event = AuditEvent(
        action="test",
        entity="x",
        entity_id=1,
        occurred_at=datetime(2026, 3, 1, 9, 30, tzinfo=shanghai),
    )
    db.session.add(event)
    db.session.commit()
    db.session.expire_all()
    loaded = db.session.get(AuditEvent, event.id)
    assert loaded.occurred_at == datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
    assert loaded.occurred_at.tzinfo is not None


def test_enum_column_has_check_constraint(app, make_user):
    user = make_user("coach")
    with pytest.raises(sa.exc.IntegrityError):
        with db.engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE users SET language = 'fr' WHERE id = :id"), {"id": user.id}
            )


def test_version_rises_and_stale_write_is_refused():
    class LocalBase(DeclarativeBase):
        pass

    class Thing(VersionedMixin, LocalBase):
        __tablename__ = "things"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(sa.String(20))

    engine = sa.create_engine("sqlite://")
    LocalBase.metadata.create_all(engine)
    with Session(engine) as session:
        thing = Thing(name="a")
        session.add(thing)
        session.commit()
        assert thing.version == 1
        thing.name = "b"
        session.commit()
        assert thing.version == 2
        # Another process saved meanwhile: our UPDATE ... WHERE version = 2 matches nothing.
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE things SET version = 3"))
        thing.name = "lost update"
        with pytest.raises(StaleDataError):
            session.commit()


def test_defaults_are_evaluated_per_row(app, make_user):
    first = make_user("coach")
    second = make_user("coach")
    assert first.created_at <= second.created_at
    assert User.__table__.c.created_at.default.is_callable
