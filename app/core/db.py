"""Database foundations: the declarative Base with a naming convention, a UTC instant type,
CHECK-backed enums and the mixins every domain model uses."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from app.core import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

    @classmethod
    def link_table(
        cls, name: str, owner: tuple[str, str], other: tuple[str, str], *, ondelete: str
    ) -> sa.Table:
        """A many-to-many table: ``owner`` and ``other`` are (column, "table.id"); the primary
        key is both columns, a link goes with its owner (CASCADE), a delete of the other row
        does ``ondelete``, and the other column is indexed for the look-up the other way."""
        (owner_column, owner_target), (other_column, other_target) = owner, other
        return sa.Table(
            name,
            cls.metadata,
            sa.Column(
                owner_column, sa.ForeignKey(owner_target, ondelete="CASCADE"), primary_key=True
            ),
            sa.Column(
                other_column,
                sa.ForeignKey(other_target, ondelete=ondelete),
                primary_key=True,
                index=True,
            ),
        )

    def sync_rows(
        self, collection: str, row_class: type, column: str, wanted: Iterable[Any]
    ) -> bool:
        """Make ``self.<collection>``, rows of ``row_class`` each holding one enum value in
        ``column`` (a venue's features, a home's services, a user's roles), hold exactly
        ``wanted``: rows of other values go (the relationship's delete-orphan cascade deletes
        them), the missing ones are added in the enum's order. True when that changed
        anything."""
        wanted = set(wanted)
        rows = getattr(self, collection)
        have = {getattr(row, column) for row in rows}
        if wanted == have:
            return False
        kept = [row for row in rows if getattr(row, column) in wanted]
        added = sorted(wanted - have, key=lambda value: value.order)
        setattr(self, collection, kept + [row_class(**{column: value}) for value in added])
        return True


def foreign_key(
    target: str, *, ondelete: str | None = None, use_alter: bool = False, **column: Any
) -> Any:
    """A foreign-key column to ``target`` ("table.id"), saying what a delete there does to
    this row (``ondelete``); ``column``: mapped_column's own arguments (index, unique, ...)."""
    return mapped_column(sa.ForeignKey(target, ondelete=ondelete, use_alter=use_alter), **column)


class UTCDateTime(sa.types.TypeDecorator):
    """An instant stored in UTC. Refuses naive datetimes so local times cannot slip in;
    always returns aware UTC datetimes (SQLite keeps no zone, PostgreSQL uses timestamptz)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"UTCDateTime needs a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("UTCDateTime refuses a naive datetime; attach a timezone first")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(enum_cls: type[enum.Enum], name: str, **kwargs) -> sa.Enum:
    """An enum stored by its value in a VARCHAR with a named CHECK constraint (portable
    between SQLite and PostgreSQL, and readable in SQL)."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        values_callable=lambda cls: [member.value for member in cls],
        length=max(len(member.value) for member in enum_cls),
        **kwargs,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=clock.now, onupdate=clock.now, nullable=False
    )


class VersionedMixin:
    """Optimistic locking: ``version`` rises on every UPDATE and SQLAlchemy adds
    ``WHERE version = :old``, so a concurrent save raises StaleDataError instead of silently
    overwriting. Edit forms carry the version they were built from and services compare it
    first, so the user gets a conflict page with both values (core/errors.EditConflict)."""

    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)

    if TYPE_CHECKING:  # the mapped class's table (declarative sets it; the mixin has none)
        __table__: ClassVar[sa.Table]

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


def advisory_xact_locks(keys: list[tuple[int, int]]) -> None:
    """On PostgreSQL, take a transaction advisory lock per (key space, id), in the order
    given (callers sort them, so two transactions never wait for each other in a circle),
    released at commit or rollback; one statement whatever the number of keys. Elsewhere
    (SQLite, a single writer) nothing to do."""
    from app.extensions import db

    if not keys or db.session.get_bind().dialect.name != "postgresql":
        return
    db.session.execute(
        sa.text(
            "SELECT count(pg_advisory_xact_lock(k.kind, k.id)) "
            "FROM unnest(CAST(:kinds AS integer[]), CAST(:ids AS integer[])) "
            "WITH ORDINALITY AS k(kind, id, n)"
        ),
        {"kinds": [k for k, _ in keys], "ids": [i for _, i in keys]},
    )
