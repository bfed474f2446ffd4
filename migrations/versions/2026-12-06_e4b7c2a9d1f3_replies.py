"""replies

One table for "I will come / I cannot come" answers (issue 16, replies): one row per person
and occurrence of a performance, a competition event or a home session, with who answered
(a user, the signed link, and the caregiver when one answered for a dependant) and a version.

Revision ID: e4b7c2a9d1f3
Revises: e8b3f6a2c9d1
Create Date: 2026-12-06 23:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

import app.core.db  # noqa: F401  (UTCDateTime in column definitions)


# revision identifiers, used by Alembic.
revision = 'e4b7c2a9d1f3'
down_revision = 'e8b3f6a2c9d1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sa.Enum('performance', 'event', 'session', name='reply_subject_kind', native_enum=False, create_constraint=True, length=11), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('occurrence_start', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('occurrence_end', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.Enum('coming', 'not_coming', name='reply_answer', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('via_link', sa.Boolean(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('caregiver_person_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_replies_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['caregiver_person_id'], ['people.id'], name=op.f('fk_replies_caregiver_person_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_replies_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_replies')),
    sa.UniqueConstraint('person_id', 'subject_kind', 'subject_id', 'occurrence_start', name='uq_replies_person_subject_occurrence')
    )
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_replies_answered_by_id'), ['answered_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_replies_caregiver_person_id'), ['caregiver_person_id'], unique=False)
        batch_op.create_index('ix_replies_person_id_occurrence_start', ['person_id', 'occurrence_start'], unique=False)
        batch_op.create_index('ix_replies_subject', ['subject_kind', 'subject_id', 'occurrence_start'], unique=False)


def downgrade():
    with op.batch_alter_table('replies', schema=None) as batch_op:
        batch_op.drop_index('ix_replies_subject')
        batch_op.drop_index('ix_replies_person_id_occurrence_start')
        batch_op.drop_index(batch_op.f('ix_replies_caregiver_person_id'))
        batch_op.drop_index(batch_op.f('ix_replies_answered_by_id'))
    op.drop_table('replies')
