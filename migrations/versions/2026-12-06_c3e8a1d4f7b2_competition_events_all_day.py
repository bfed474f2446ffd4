"""competition events: all_day (a day and no time; issue 19 item 10)

Revision ID: c3e8a1d4f7b2
Revises: 9c2e32f4a95a
Create Date: 2026-12-06 20:45:00

Existing events saved by the old form with a day and no time (a 00:00 start in the
federation's zone and no end) become all-day events; every other event stays timed.
"""

from datetime import time

import sqlalchemy as sa
from alembic import op

revision = "c3e8a1d4f7b2"
down_revision = "9c2e32f4a95a"
branch_labels = None
depends_on = None


def all_day_ids(rows, zone) -> list[int]:
    """Ids of the (id, starts_at, ends_at) rows that start at 00:00 local time with no end:
    what the old form stored for a day without times."""
    return [
        row_id
        for row_id, starts_at, ends_at in rows
        if starts_at is not None
        and ends_at is None
        and starts_at.astimezone(zone).time() == time(0, 0)
    ]


def upgrade():
    from app.core import clock
    from app.core.db import UTCDateTime

    with op.batch_alter_table("competition_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("all_day", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    events = sa.table(
        "competition_events",
        sa.column("id", sa.Integer),
        sa.column("starts_at", UTCDateTime()),
        sa.column("ends_at", UTCDateTime()),
        sa.column("all_day", sa.Boolean),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(events.c.id, events.c.starts_at, events.c.ends_at).where(
            events.c.starts_at.is_not(None), events.c.ends_at.is_(None)
        )
    ).all()
    ids = all_day_ids(rows, clock.zone())
    if ids:
        connection.execute(events.update().where(events.c.id.in_(ids)).values(all_day=True))


def downgrade():
    with op.batch_alter_table("competition_events", schema=None) as batch_op:
        batch_op.drop_column("all_day")
