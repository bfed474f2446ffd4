"""User accounts and their roles. A user may be linked to one Person (the people register)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.accounts.enums import Language, Role
from app.core.db import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_column, foreign_key


class User(UserMixin, VersionedMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    person_id: Mapped[int | None] = foreign_key(
        "people.id", ondelete="SET NULL", use_alter=True, index=True, unique=True
    )
    language: Mapped[Language] = mapped_column(
        enum_column(Language, "language"), default=Language.ZH_HANS
    )
    is_active_account: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    # Bumped on logout and password change: every session carrying an older value ends.
    session_version: Mapped[int] = mapped_column(sa.Integer, default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    person = relationship("Person", foreign_keys=[person_id])

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        # The version still guards every UPDATE (WHERE version = :old), but only the services
        # that change what the admin's edit form shows raise it (services.bump_version):
        # signing in or out must not turn an admin's open edit form into a conflict.
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}

    @property
    def is_active(self) -> bool:  # Flask-Login
        return bool(self.is_active_account)

    def get_id(self) -> str:
        """Flask-Login stores this in the session; the session version makes old sessions
        stop matching once it is bumped."""
        return f"{self.id}:{self.session_version}"

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def set_roles(self, roles) -> None:
        self.sync_rows("role_rows", UserRole, "role", {Role(r) for r in roles})

    def has_role(self, role) -> bool:
        return Role(role) in self.roles

    def has_any_role(self, *roles) -> bool:
        mine = self.roles
        return Role.ADMIN in mine or any(Role(r) in mine for r in roles)

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = foreign_key("users.id", ondelete="CASCADE", primary_key=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")
