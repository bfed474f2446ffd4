"""attendance days

Per-day attendance aggregates (issue 15 item 3): present and recorded marks per activity and
local day, kept in the same transaction as the marks (app/homes/aggregates.py); the homes'
statistics and the term report add them up instead of counting every mark. Filled from the
existing marks here (grouped by occurrence, each occurrence's local day in Asia/Shanghai, the
federation's zone, +08:00 without daylight saving); `flask stats rebuild` recounts them.

Revision ID: e8b3f6a2c9d1
Revises: d5a9c2e7b1f4
Create Date: 2026-12-06 23:55:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e8b3f6a2c9d1'
down_revision = 'd5a9c2e7b1f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'attendance_days',
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('present', sa.Integer(), nullable=False),
        sa.Column('recorded', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['activity_id'],
            ['activities.id'],
            name=op.f('fk_attendance_days_activity_id_activities'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('activity_id', 'day', name=op.f('pk_attendance_days')),
    )
    op.create_index('ix_attendance_days_day', 'attendance_days', ['day'], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        local_day = "(occurrence_start AT TIME ZONE 'Asia/Shanghai')::date"
    else:
        local_day = "date(occurrence_start, '+8 hours')"
    op.execute(
        "INSERT INTO attendance_days (activity_id, day, present, recorded) "
        f"SELECT activity_id, {local_day}, "
        "sum(CASE WHEN status = 'present' THEN 1 ELSE 0 END), count(*) "
        f"FROM attendance GROUP BY activity_id, {local_day}"
    )


def downgrade():
    op.drop_index('ix_attendance_days_day', table_name='attendance_days')
    op.drop_table('attendance_days')
