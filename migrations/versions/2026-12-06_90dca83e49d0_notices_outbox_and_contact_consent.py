"""notices outbox and contact consent

Issue 16: the outbox table ``notices`` (one row per recipient and channel, written with the
change; app/notices), an e-mail address on the person register (empty for everyone until
entered), and a fourth consent purpose ``contact`` (to be contacted about changes): only the
CHECK constraint of consents.kind changes.

Revision ID: 90dca83e49d0
Revises: e4b7c2a9d1f3
Create Date: 2026-12-06 23:16:09.495013

"""
from alembic import op
import sqlalchemy as sa

import app.core.db  # noqa: F401  (UTCDateTime in column definitions)


# revision identifiers, used by Alembic.
revision = '90dca83e49d0'
down_revision = 'e4b7c2a9d1f3'
branch_labels = None
depends_on = None


def _kinds(*values: str) -> str:
    return "kind IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Enum('email', 'sms', 'wecom', name='notice_channel', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('subject_kind', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('occurrence_start', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('change', sa.Enum('moved', 'cancelled', 'restored', 'booked', name='notice_change', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'sent', 'failed', name='notice_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_try_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('coalesce_key', sa.String(length=200), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('sent_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('provider_message_id', sa.String(length=200), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('purged_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_notices_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_notices_idempotency_key'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_coalesce_key'), ['coalesce_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_notices_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_notices_status_next_try_at', ['status', 'next_try_at'], unique=False)
        batch_op.create_index('ix_notices_subject', ['subject_kind', 'subject_id'], unique=False)

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), server_default='', nullable=False))
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('email', server_default=None)

    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_consents_consent_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_consents_consent_kind'),
            _kinds('collection', 'publication', 'scouting', 'contact'),
        )


def downgrade():
    op.execute("DELETE FROM consents WHERE kind = 'contact'")
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_consents_consent_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_consents_consent_kind'), _kinds('collection', 'publication', 'scouting')
        )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('email')

    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_subject')
        batch_op.drop_index('ix_notices_status_next_try_at')
        batch_op.drop_index(batch_op.f('ix_notices_person_id'))
        batch_op.drop_index(batch_op.f('ix_notices_coalesce_key'))

    op.drop_table('notices')
