"""results: provisional and official (issue 17): who published an event's results and when,
a result's provisional flag and its latest correction, an entry's protest note

Revision ID: e4b7d2a9c1f3
Revises: c3e8a1d5f7b2
Create Date: 2026-12-06 23:20:00

Results saved before this revision are official (``is_provisional`` false): they were the
ledger's medals, and the source report's figures stay as they are. Events are not marked
published (nobody published them); their results need a reason to change all the same,
because they are official.
"""

import sqlalchemy as sa
from alembic import op

from app.core.db import UTCDateTime

revision = "e4b7d2a9c1f3"
down_revision = "c3e8a1d5f7b2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("competition_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("results_published_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("results_published_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_competition_events_results_published_by_id"),
            ["results_published_by_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_competition_events_results_published_by_id_users"),
            "users",
            ["results_published_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("protest_note", sa.Text(), server_default="", nullable=False)
        )
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_provisional", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("corrected_at", UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("correction_reason", sa.Text(), server_default="", nullable=False)
        )
    # The empty defaults filled the existing rows; the models give new rows theirs.
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.alter_column("protest_note", server_default=None)
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.alter_column("correction_reason", server_default=None)


def downgrade():
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_column("correction_reason")
        batch_op.drop_column("corrected_at")
        batch_op.drop_column("is_provisional")
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.drop_column("protest_note")
    with op.batch_alter_table("competition_events", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_competition_events_results_published_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_competition_events_results_published_by_id"))
        batch_op.drop_column("results_published_by_id")
        batch_op.drop_column("results_published_at")
