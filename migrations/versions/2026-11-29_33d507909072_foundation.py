"""foundation: accounts, people, venues, towns, audit

Revision ID: 33d507909072
Revises: 
Create Date: 2026-11-29 06:18:27.814896

"""
from alembic import op
import sqlalchemy as sa

import app.core.db  # noqa: F401  (UTCDateTime in column definitions)


# revision identifiers, used by Alembic.
revision = '33d507909072'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurred_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=60), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.Column('ip_address', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_events_entity', ['entity', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_occurred_at'), ['occurred_at'], unique=False)

    op.create_table('towns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('name_en', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.Enum('town', 'subdistrict', name='town_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_towns')),
    sa.UniqueConstraint('name', name=op.f('uq_towns_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.Enum('zh_Hans', 'en', name='language', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('is_active_account', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('last_login_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_person_id'), ['person_id'], unique=True)

    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_pinyin', sa.String(length=200), nullable=False),
    sa.Column('gender', sa.Enum('male', 'female', name='gender', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('birth_on', sa.Date(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('disability_category', sa.Enum('visual', 'hearing', 'speech', 'physical', 'intellectual', 'mental', 'multiple', name='disability_category', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('disability_grade', sa.Enum('1', '2', '3', '4', name='disability_grade', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('certificate_number', sa.String(length=20), nullable=True),
    sa.Column('certificate_masked', sa.String(length=20), nullable=False),
    sa.Column('certificate_hash', sa.String(length=64), nullable=True),
    sa.Column('guardian_name', sa.String(length=100), nullable=False),
    sa.Column('guardian_relation', sa.Enum('parent', 'grandparent', 'spouse', 'child', 'sibling', 'other_relative', 'carer', 'other', name='guardian_relation', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('guardian_phone', sa.String(length=40), nullable=False),
    sa.Column('guardian_person_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('archived_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('archived_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['archived_by_id'], ['users.id'], name=op.f('fk_people_archived_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['guardian_person_id'], ['people.id'], name=op.f('fk_people_guardian_person_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['town_id'], ['towns.id'], name=op.f('fk_people_town_id_towns'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_archived_by_id'), ['archived_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_certificate_hash'), ['certificate_hash'], unique=True)
        batch_op.create_index(batch_op.f('ix_people_disability_category'), ['disability_category'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_guardian_person_id'), ['guardian_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_is_archived'), ['is_archived'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_town_id'), ['town_id'], unique=False)

    # users.person_id -> people and people.archived_by_id -> users form a cycle: the users
    # table is created first and its foreign key added once people exists (batch mode
    # rebuilds the table on SQLite, which cannot ALTER a constraint in).
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_users_person_id_people'), 'people', ['person_id'], ['id'],
            ondelete='SET NULL',
        )

    op.create_table('user_roles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('admin', 'coach', 'organiser', 'home_staff', 'participant', name='role', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_roles'))
    )
    op.create_table('venues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('sports_venue', 'cultural_auditorium', 'work_therapy_workshop', 'school', 'community_centre', 'enterprise', 'sunshine_home', 'government_institution', 'other', name='venue_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('latitude', sa.Numeric(precision=9, scale=6), nullable=True),
    sa.Column('longitude', sa.Numeric(precision=9, scale=6), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('archived_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(latitude IS NULL AND longitude IS NULL) OR (latitude IS NOT NULL AND longitude IS NOT NULL)', name=op.f('ck_venues_coordinates_together')),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_venues_capacity_not_negative')),
    sa.CheckConstraint('latitude IS NULL OR (latitude >= -90 AND latitude <= 90)', name=op.f('ck_venues_latitude_range')),
    sa.CheckConstraint('longitude IS NULL OR (longitude >= -180 AND longitude <= 180)', name=op.f('ck_venues_longitude_range')),
    sa.ForeignKeyConstraint(['town_id'], ['towns.id'], name=op.f('fk_venues_town_id_towns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_venues')),
    sa.UniqueConstraint('town_id', 'name', name='uq_venues_town_id_name')
    )
    with op.batch_alter_table('venues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_venues_town_id'), ['town_id'], unique=False)

    op.create_table('consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('collection', 'publication', name='consent_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('given_by', sa.Enum('self', 'guardian', name='consent_given_by', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('guardian_name', sa.String(length=100), nullable=False),
    sa.Column('notice_version', sa.String(length=40), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('withdrawn_on IS NULL OR withdrawn_on >= given_on', name=op.f('ck_consents_withdrawn_after_given')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_consents_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_consents_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consents'))
    )
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consents_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consents_recorded_by_id'), ['recorded_by_id'], unique=False)

    op.create_table('venue_features',
    sa.Column('venue_id', sa.Integer(), nullable=False),
    sa.Column('feature', sa.Enum('step_free_entrance', 'accessible_toilet', 'lift', 'hearing_loop', 'sign_language', 'accessible_parking', 'tactile_paving', 'accessible_seating', name='accessibility_feature', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_venue_features_venue_id_venues'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('venue_id', 'feature', name=op.f('pk_venue_features'))
    )
    with op.batch_alter_table('venue_features', schema=None) as batch_op:
        batch_op.create_index('ix_venue_features_feature', ['feature', 'venue_id'], unique=False)



def downgrade():
    with op.batch_alter_table('venue_features', schema=None) as batch_op:
        batch_op.drop_index('ix_venue_features_feature')

    op.drop_table('venue_features')
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consents_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_consents_person_id'))

    op.drop_table('consents')
    with op.batch_alter_table('venues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_venues_town_id'))

    op.drop_table('venues')
    op.drop_table('user_roles')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_person_id_people'), type_='foreignkey')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_town_id'))
        batch_op.drop_index(batch_op.f('ix_people_is_archived'))
        batch_op.drop_index(batch_op.f('ix_people_guardian_person_id'))
        batch_op.drop_index(batch_op.f('ix_people_disability_category'))
        batch_op.drop_index(batch_op.f('ix_people_certificate_hash'))
        batch_op.drop_index(batch_op.f('ix_people_archived_by_id'))

    op.drop_table('people')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_person_id'))

    op.drop_table('users')
    op.drop_table('towns')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_occurred_at'))
        batch_op.drop_index('ix_audit_events_entity')
        batch_op.drop_index(batch_op.f('ix_audit_events_actor_id'))

    op.drop_table('audit_events')
