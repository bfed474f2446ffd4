"""competition events: all_day (a day and no time; issue 19 item 10)

Revision ID: c3e8a1d4f7b2
Revises: 9c2e32f4a95a
Create Date: 2026-12-06 20:45:00

Existing events stay timed (all_day false): an event saved before this change with a day and
no time has a 00:00 start, which the organiser can clear in the event form.
"""

import sqlalchemy as sa
from alembic import op

revision = "c3e8a1d4f7b2"
down_revision = "9c2e32f4a95a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("competition_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("all_day", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("competition_events", schema=None) as batch_op:
        batch_op.drop_column("all_day")
