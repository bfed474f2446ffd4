"""data versions

One row per topic of public pages (app/core/versions.py): its version moves in the same
transaction as every write that can change those pages, and the public page cache keys pages
by it (issue 15). The rows start at "0", as a topic never bumped reads.

Revision ID: d5a9c2e7b1f4
Revises: c6ea1cd60356
Create Date: 2026-12-06 23:50:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd5a9c2e7b1f4'
down_revision = 'c6ea1cd60356'
branch_labels = None
depends_on = None

TOPICS = ('medals', 'live', 'agenda', 'statistics', 'report', 'venues', 'homes_stats', 'calendar')


def upgrade():
    table = op.create_table(
        'data_versions',
        sa.Column('topic', sa.String(length=40), nullable=False),
        sa.Column('version', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('topic', name=op.f('pk_data_versions')),
    )
    op.bulk_insert(table, [{'topic': topic, 'version': '0'} for topic in TOPICS])


def downgrade():
    op.drop_table('data_versions')
