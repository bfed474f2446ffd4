"""screening measures editable, names reusable

Screening measures get an edit form (issue 19 item 9): a version for optimistic locking
(existing rows start at 1), and their name is unique only among the measures in use of a
template, so a measure taken out leaves its name free (a partial unique index replaces the
unique constraint on sport and name). Downgrading fails if two measures of one template share
a name by then.

Revision ID: c3e8a1d5f7b2
Revises: c3e8a1d4f7b2
Create Date: 2026-12-06 20:40:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3e8a1d5f7b2'
down_revision = 'c3e8a1d4f7b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment_measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.drop_constraint('uq_assessment_measures_sport_name', type_='unique')
    with op.batch_alter_table('assessment_measures', schema=None) as batch_op:
        batch_op.alter_column('version', server_default=None)
    op.create_index(
        'uq_assessment_measures_active_name',
        'assessment_measures',
        ['sport_id', 'name'],
        unique=True,
        postgresql_where=sa.text('is_active'),
        sqlite_where=sa.text('is_active'),
    )


def downgrade():
    op.drop_index('uq_assessment_measures_active_name', table_name='assessment_measures')
    with op.batch_alter_table('assessment_measures', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_assessment_measures_sport_name', ['sport_id', 'name'])
        batch_op.drop_column('version')
