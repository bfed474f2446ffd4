"""client marks of the offline sync

The ids a phone gives the marks it queued offline (issue 18): unique, so a mark sent twice is
stored once; the target it wrote, so a later mark can flag it superseded and its sender be
told on their next sync.

Revision ID: 39fc0ea41a46
Revises: 90dca83e49d0
Create Date: 2026-12-06 23:14:33.646656

"""

import sqlalchemy as sa
from alembic import op

import app.core.db  # noqa: F401  (UTCDateTime in column definitions)

# revision identifiers, used by Alembic.
revision = "39fc0ea41a46"
down_revision = "90dca83e49d0"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "client_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("target", sa.String(length=120), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("made_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("told_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('applied', 'superseded', 'conflict', 'invalid')",
            name=op.f("ck_client_marks_client_mark_outcome"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_client_marks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_marks")),
        sa.UniqueConstraint("client_id", name="uq_client_marks_client_id"),
    )
    with op.batch_alter_table("client_marks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_marks_target"), ["target"], unique=False)
        batch_op.create_index(batch_op.f("ix_client_marks_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("client_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_marks_user_id"))
        batch_op.drop_index(batch_op.f("ix_client_marks_target"))

    op.drop_table("client_marks")
