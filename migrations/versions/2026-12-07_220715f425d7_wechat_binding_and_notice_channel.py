"""wechat binding and notice channel

A person's WeChat binding (``people.wechat_openid``, their openid with the federation's
Official Account, "" when not bound) and the notices' fourth channel, ``wechat``: the
channel column widens from 5 to 6 characters and its CHECK constraint takes the new value.

Revision ID: 220715f425d7
Revises: b7d1e5a3c9f2
Create Date: 2026-12-07 03:10:40.734162

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '220715f425d7'
down_revision = 'b7d1e5a3c9f2'
branch_labels = None
depends_on = None


def _channels(*values: str) -> str:
    return "channel IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notices_notice_channel'), type_='check')
        batch_op.alter_column(
            'channel',
            existing_type=sa.String(length=5),
            type_=sa.String(length=6),
            existing_nullable=False,
        )
        batch_op.create_check_constraint(
            op.f('ck_notices_notice_channel'), _channels('email', 'sms', 'wecom', 'wechat')
        )

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('wechat_openid', sa.String(length=64), server_default='', nullable=False)
        )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('wechat_openid', server_default=None)


def downgrade():
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('wechat_openid')

    op.execute("DELETE FROM notices WHERE channel = 'wechat'")
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notices_notice_channel'), type_='check')
        batch_op.alter_column(
            'channel',
            existing_type=sa.String(length=6),
            type_=sa.String(length=5),
            existing_nullable=False,
        )
        batch_op.create_check_constraint(
            op.f('ck_notices_notice_channel'), _channels('email', 'sms', 'wecom')
        )
