"""athletes talent scouting

Revision ID: 03ae53d8e9f6
Revises: 33d507909072
Create Date: 2026-11-29 06:18:54.683543

"""
from alembic import op
import sqlalchemy as sa

import app.core.db  # noqa: F401  (UTCDateTime in column definitions)


# revision identifiers, used by Alembic.
revision = '03ae53d8e9f6'
down_revision = '33d507909072'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('class_hint', sa.String(length=120), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sports')),
    sa.UniqueConstraint('code', name=op.f('uq_sports_code')),
    sa.UniqueConstraint('name', name=op.f('uq_sports_name'))
    )
    op.create_table('assessment_measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sport_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('unit', sa.Enum('kg', 's', 'm', 'cm', 'points', 'score', 'count', name='measure_unit', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('min_value', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('max_value', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('lower_is_better', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('min_value <= max_value', name=op.f('ck_assessment_measures_range_in_order')),
    sa.ForeignKeyConstraint(['sport_id'], ['sports.id'], name=op.f('fk_assessment_measures_sport_id_sports'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_measures')),
    sa.UniqueConstraint('sport_id', 'name', name='uq_assessment_measures_sport_name')
    )
    with op.batch_alter_table('assessment_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_measures_sport_id'), ['sport_id'], unique=False)

    op.create_table('athlete_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('primary_sport_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('identified', 'screened', 'trial_training', 'reserve', 'squad', 'retired', name='athlete_stage', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('stage_since', sa.Date(), nullable=False),
    sa.Column('squad_level', sa.Enum('none', 'district', 'city', 'provincial', 'national', name='squad_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('discovery_source', sa.Enum('sunshine_home', 'special_school', 'community_survey', 'referral', 'competition', 'other', name='discovery_source', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('discovered_on', sa.Date(), nullable=False),
    sa.Column('identified_by_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['identified_by_id'], ['users.id'], name=op.f('fk_athlete_profiles_identified_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_athlete_profiles_person_id_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['primary_sport_id'], ['sports.id'], name=op.f('fk_athlete_profiles_primary_sport_id_sports'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_athlete_profiles')),
    sa.UniqueConstraint('person_id', name=op.f('uq_athlete_profiles_person_id'))
    )
    with op.batch_alter_table('athlete_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_athlete_profiles_identified_by_id'), ['identified_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_athlete_profiles_primary_sport_id'), ['primary_sport_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_athlete_profiles_stage'), ['stage'], unique=False)

    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('sport_id', sa.Integer(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('assessor_id', sa.Integer(), nullable=True),
    sa.Column('rating', sa.SmallInteger(), nullable=False),
    sa.Column('recommendation', sa.Enum('advance', 'hold', 'not_suitable', name='recommendation', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_assessments_rating_1_to_5')),
    sa.ForeignKeyConstraint(['assessor_id'], ['users.id'], name=op.f('fk_assessments_assessor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete_profiles.id'], name=op.f('fk_assessments_athlete_id_athlete_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sport_id'], ['sports.id'], name=op.f('fk_assessments_sport_id_sports'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_assessed_on'), ['assessed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_assessor_id'), ['assessor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_athlete_id'), ['athlete_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_sport_id'), ['sport_id'], unique=False)

    op.create_table('athlete_classifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('sport_id', sa.Integer(), nullable=False),
    sa.Column('class_code', sa.String(length=20), nullable=False),
    sa.Column('status', sa.Enum('new', 'review', 'review_by_date', 'confirmed', name='classification_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('classified_on', sa.Date(), nullable=True),
    sa.Column('review_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete_profiles.id'], name=op.f('fk_athlete_classifications_athlete_id_athlete_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sport_id'], ['sports.id'], name=op.f('fk_athlete_classifications_sport_id_sports'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_athlete_classifications')),
    sa.UniqueConstraint('athlete_id', 'sport_id', name='uq_athlete_classifications_sport')
    )
    with op.batch_alter_table('athlete_classifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_athlete_classifications_athlete_id'), ['athlete_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_athlete_classifications_review_on'), ['review_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_athlete_classifications_sport_id'), ['sport_id'], unique=False)

    op.create_table('athlete_coaches',
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete_profiles.id'], name=op.f('fk_athlete_coaches_athlete_id_athlete_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_athlete_coaches_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('athlete_id', 'user_id', name=op.f('pk_athlete_coaches'))
    )
    with op.batch_alter_table('athlete_coaches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_athlete_coaches_user_id'), ['user_id'], unique=False)

    op.create_table('athlete_sports',
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('sport_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete_profiles.id'], name=op.f('fk_athlete_sports_athlete_id_athlete_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sport_id'], ['sports.id'], name=op.f('fk_athlete_sports_sport_id_sports'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('athlete_id', 'sport_id', name=op.f('pk_athlete_sports'))
    )
    with op.batch_alter_table('athlete_sports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_athlete_sports_sport_id'), ['sport_id'], unique=False)

    op.create_table('athlete_stage_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', sa.Enum('identified', 'screened', 'trial_training', 'reserve', 'squad', 'retired', name='stage_change_from', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('to_stage', sa.Enum('identified', 'screened', 'trial_training', 'reserve', 'squad', 'retired', name='stage_change_to', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete_profiles.id'], name=op.f('fk_athlete_stage_changes_athlete_id_athlete_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_athlete_stage_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_athlete_stage_changes'))
    )
    with op.batch_alter_table('athlete_stage_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_athlete_stage_changes_athlete_id'), ['athlete_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_athlete_stage_changes_changed_by_id'), ['changed_by_id'], unique=False)

    op.create_table('assessment_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_values_assessment_id_assessments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_id'], ['assessment_measures.id'], name=op.f('fk_assessment_values_measure_id_assessment_measures'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_values')),
    sa.UniqueConstraint('assessment_id', 'measure_id', name='uq_assessment_values_measure')
    )
    with op.batch_alter_table('assessment_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_values_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_values_measure_id'), ['measure_id'], unique=False)



def downgrade():
    with op.batch_alter_table('assessment_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_values_measure_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_values_assessment_id'))

    op.drop_table('assessment_values')
    with op.batch_alter_table('athlete_stage_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_athlete_stage_changes_changed_by_id'))
        batch_op.drop_index(batch_op.f('ix_athlete_stage_changes_athlete_id'))

    op.drop_table('athlete_stage_changes')
    with op.batch_alter_table('athlete_sports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_athlete_sports_sport_id'))

    op.drop_table('athlete_sports')
    with op.batch_alter_table('athlete_coaches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_athlete_coaches_user_id'))

    op.drop_table('athlete_coaches')
    with op.batch_alter_table('athlete_classifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_athlete_classifications_sport_id'))
        batch_op.drop_index(batch_op.f('ix_athlete_classifications_review_on'))
        batch_op.drop_index(batch_op.f('ix_athlete_classifications_athlete_id'))

    op.drop_table('athlete_classifications')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_sport_id'))
        batch_op.drop_index(batch_op.f('ix_assessments_athlete_id'))
        batch_op.drop_index(batch_op.f('ix_assessments_assessor_id'))
        batch_op.drop_index(batch_op.f('ix_assessments_assessed_on'))

    op.drop_table('assessments')
    with op.batch_alter_table('athlete_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_athlete_profiles_stage'))
        batch_op.drop_index(batch_op.f('ix_athlete_profiles_primary_sport_id'))
        batch_op.drop_index(batch_op.f('ix_athlete_profiles_identified_by_id'))

    op.drop_table('athlete_profiles')
    with op.batch_alter_table('assessment_measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_measures_sport_id'))

    op.drop_table('assessment_measures')
    op.drop_table('sports')
