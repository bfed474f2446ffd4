"""entries: bib, heat and lane (issue 17, before the start)

Optional start positions of an entry: the bib (text, empty when not given), the heat (a whole
number from 1) and the lane or target (text such as "4" or "12B", empty when not given).
Existing entries get none. Bibs are unique per athlete within a competition by a rule of
app/competitions/startlists.py, not by a constraint (one athlete keeps one bib in every event).

Revision ID: c6ea1cd60356
Revises: e4b7d2a9c1f3
Create Date: 2026-12-06 23:13:45.107223

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c6ea1cd60356'
down_revision = 'e4b7d2a9c1f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bib', sa.String(length=8), server_default='', nullable=False))
        batch_op.add_column(sa.Column('heat', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('lane', sa.String(length=4), server_default='', nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_entries_heat_positive'), 'heat IS NULL OR heat >= 1'
        )
    # The server defaults only filled the existing rows; the model gives new rows theirs.
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.alter_column('bib', server_default=None)
        batch_op.alter_column('lane', server_default=None)


def downgrade():
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_entries_heat_positive'), type_='check')
        batch_op.drop_column('lane')
        batch_op.drop_column('heat')
        batch_op.drop_column('bib')
