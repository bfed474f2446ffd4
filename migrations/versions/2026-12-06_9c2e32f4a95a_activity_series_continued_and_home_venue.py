"""activity series continued, and the home's own venue kept as a choice

``activities.previous_activity_id``: a change of an activity's days or times from a date
forward ends the old series the day before and starts a new one that continues it (issue 19
item 1). ``activities.uses_home_venue``: "the home's own venue" is kept as the choice, so the
activity follows the home when it moves (issue 19 item 11). Until now that choice was stored
as the home's venue id, so an activity at its home's venue is taken to have made it.

Revision ID: 9c2e32f4a95a
Revises: a7c4e1f09b2d
Create Date: 2026-12-06 20:13:32.221053

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c2e32f4a95a'
down_revision = 'a7c4e1f09b2d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('uses_home_venue', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column('previous_activity_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_activities_previous_activity_id'), ['previous_activity_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_activities_previous_activity_id_activities'), 'activities', ['previous_activity_id'], ['id'], ondelete='SET NULL')
    op.execute(
        sa.text(
            "UPDATE activities SET uses_home_venue = :yes WHERE venue_id IS NOT NULL AND "
            "venue_id = (SELECT homes.venue_id FROM homes WHERE homes.id = activities.home_id)"
        ).bindparams(yes=True)
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.alter_column('uses_home_venue', existing_type=sa.Boolean(), server_default=None)


def downgrade():
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_activities_previous_activity_id_activities'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_activities_previous_activity_id'))
        batch_op.drop_column('previous_activity_id')
        batch_op.drop_column('uses_home_venue')
