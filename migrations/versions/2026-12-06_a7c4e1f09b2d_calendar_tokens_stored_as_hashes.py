"""calendar tokens stored as hashes

The personal feed's token is kept only as its SHA-256 (issue 13 item 12). Existing tokens are
hashed in place, so every subscribed calendar keeps working. Downgrading cannot recover the
tokens: it turns every personal feed off.

Revision ID: a7c4e1f09b2d
Revises: 5c0f3a9e2b1d
Create Date: 2026-12-06 07:40:00.000000

"""
import hashlib

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c4e1f09b2d'
down_revision = '5c0f3a9e2b1d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('calendar_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    tokens = sa.table(
        'calendar_tokens',
        sa.column('user_id', sa.Integer),
        sa.column('token', sa.String),
        sa.column('token_hash', sa.String),
    )
    for user_id, token in connection.execute(sa.select(tokens.c.user_id, tokens.c.token)).all():
        connection.execute(
            tokens.update()
            .where(tokens.c.user_id == user_id)
            .values(token_hash=hashlib.sha256(token.encode()).hexdigest())
        )
    with op.batch_alter_table('calendar_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_calendar_tokens_token'), type_='unique')
        batch_op.drop_column('token')
        batch_op.alter_column('token_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(op.f('uq_calendar_tokens_token_hash'), ['token_hash'])


def downgrade():
    op.execute(sa.text('DELETE FROM calendar_tokens'))
    with op.batch_alter_table('calendar_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_calendar_tokens_token_hash'), type_='unique')
        batch_op.drop_column('token_hash')
        batch_op.add_column(sa.Column('token', sa.String(length=64), nullable=False))
        batch_op.create_unique_constraint(op.f('uq_calendar_tokens_token'), ['token'])
