"""competition edits, performances, sunshine homes, calendar feeds

Competition events and entries gain a version (existing rows start at 1: the column is added
with a server default that is then dropped, as the models have none); performances
(programmes, troupes, bookings, reschedules, clash overrides, photos), sunshine homes (homes,
staff, memberships with a partial unique index on the active one, recurring activities and
their exceptions, attendance) and the calendar feeds' rendered items, feed marks and tokens.
After upgrading a database that already holds data, run ``flask calendars rebuild``.

Revision ID: b1362385bcd3
Revises: 3154e31789f0
Create Date: 2026-11-29 09:29:29.739661

"""
from alembic import op
import sqlalchemy as sa

import app.core.db  # noqa: F401  (UTCDateTime in column definitions)


# revision identifiers, used by Alembic.
revision = 'b1362385bcd3'
down_revision = '3154e31789f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feed_marks',
    sa.Column('feed_key', sa.String(length=60), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('changed_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('feed_key', name=op.f('pk_calendar_feed_marks'))
    )
    op.create_table('calendar_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('changed_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('ics_zh', sa.LargeBinary(), nullable=False),
    sa.Column('ics_en', sa.LargeBinary(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_calendar_items_dates_in_order')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_calendar_items_sequence_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_items')),
    sa.UniqueConstraint('kind', 'source_id', name='uq_calendar_items_kind_source'),
    sa.UniqueConstraint('uid', name=op.f('uq_calendar_items_uid'))
    )
    with op.batch_alter_table('calendar_items', schema=None) as batch_op:
        batch_op.create_index('ix_calendar_items_window', ['ends_on', 'starts_on'], unique=False)

    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('last_year', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('first_year BETWEEN 1949 AND 2100', name=op.f('ck_programmes_first_year_range')),
    sa.CheckConstraint('last_year IS NULL OR (last_year >= first_year AND last_year <= 2100)', name=op.f('ck_programmes_years_in_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes')),
    sa.UniqueConstraint('name', name=op.f('uq_programmes_name'))
    )
    op.create_table('troupes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_troupes')),
    sa.UniqueConstraint('name', name=op.f('uq_troupes_name'))
    )
    op.create_table('calendar_item_feeds',
    sa.Column('feed_key', sa.String(length=60), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['calendar_items.id'], name=op.f('fk_calendar_item_feeds_item_id_calendar_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('feed_key', 'item_id', name=op.f('pk_calendar_item_feeds'))
    )
    with op.batch_alter_table('calendar_item_feeds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_item_feeds_item_id'), ['item_id'], unique=False)

    op.create_table('calendar_tokens',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_calendar_tokens')),
    sa.UniqueConstraint('token', name=op.f('uq_calendar_tokens_token'))
    )
    op.create_table('programme_organisers',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_organisers_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_programme_organisers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'user_id', name=op.f('pk_programme_organisers'))
    )
    with op.batch_alter_table('programme_organisers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_organisers_user_id'), ['user_id'], unique=False)

    op.create_table('homes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('sunshine_home', 'work_therapy', name='home_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('operator', sa.String(length=120), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('contact', sa.String(length=120), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('archived_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_homes_capacity_not_negative')),
    sa.ForeignKeyConstraint(['town_id'], ['towns.id'], name=op.f('fk_homes_town_id_towns'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_homes_venue_id_venues'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_homes')),
    sa.UniqueConstraint('name', name=op.f('uq_homes_name'))
    )
    with op.batch_alter_table('homes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_homes_is_archived'), ['is_archived'], unique=False)
        batch_op.create_index(batch_op.f('ix_homes_town_id'), ['town_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_homes_venue_id'), ['venue_id'], unique=False)

    op.create_table('performances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('troupe_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('setting', sa.Enum('community', 'school', 'enterprise', 'village', 'government_institution', 'family_home', 'work_therapy_workshop', 'other', name='performance_setting', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'confirmed', 'postponed', 'cancelled', 'done', name='performance_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('audience', sa.Integer(), nullable=True),
    sa.Column('audience_disabled', sa.Integer(), nullable=True),
    sa.Column('beneficiaries', sa.Integer(), nullable=True),
    sa.Column('report', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('audience IS NULL OR audience >= 0', name=op.f('ck_performances_audience_not_negative')),
    sa.CheckConstraint('audience_disabled IS NULL OR audience IS NULL OR audience_disabled <= audience', name=op.f('ck_performances_disabled_within_audience')),
    sa.CheckConstraint('audience_disabled IS NULL OR audience_disabled >= 0', name=op.f('ck_performances_audience_disabled_not_negative')),
    sa.CheckConstraint('beneficiaries IS NULL OR beneficiaries >= 0', name=op.f('ck_performances_beneficiaries_not_negative')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_performances_times_in_order')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_performances_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_performances_programme_id_programmes'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['troupe_id'], ['troupes.id'], name=op.f('fk_performances_troupe_id_troupes'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_performances_venue_id_venues'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_performances'))
    )
    with op.batch_alter_table('performances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_performances_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_performances_held_on', ['held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_performances_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index('ix_performances_starts_at_ends_at', ['starts_at', 'ends_at'], unique=False)
        batch_op.create_index('ix_performances_status_held_on', ['status', 'held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_performances_troupe_id'), ['troupe_id'], unique=False)
        batch_op.create_index('ix_performances_venue_starts_at', ['venue_id', 'starts_at'], unique=False)

    op.create_table('troupe_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('troupe_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('performer', 'leader', 'caregiver', 'interpreter', name='troupe_role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_troupe_members_person_id_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['troupe_id'], ['troupes.id'], name=op.f('fk_troupe_members_troupe_id_troupes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_troupe_members')),
    sa.UniqueConstraint('troupe_id', 'person_id', name='uq_troupe_members_troupe_person')
    )
    with op.batch_alter_table('troupe_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_troupe_members_person_id'), ['person_id'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('home_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('rehab_exercise', 'recreation', 'craft_work', 'counselling', 'peer_support', 'sports', 'culture', 'outing', name='activity_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('leader_person_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('rrule', sa.String(length=200), nullable=False),
    sa.Column('series_end_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('is_archived', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_activities_capacity_not_negative')),
    sa.CheckConstraint('duration_minutes > 0 AND duration_minutes <= 1440', name=op.f('ck_activities_duration_range')),
    sa.CheckConstraint('series_end_at >= starts_at', name=op.f('ck_activities_series_end_after_start')),
    sa.ForeignKeyConstraint(['home_id'], ['homes.id'], name=op.f('fk_activities_home_id_homes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['leader_person_id'], ['people.id'], name=op.f('fk_activities_leader_person_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_activities_venue_id_venues'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_home_id_starts_at', ['home_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_leader_person_id'), ['leader_person_id'], unique=False)
        batch_op.create_index('ix_activities_starts_at_series_end_at', ['starts_at', 'series_end_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_activities_venue_id'), ['venue_id'], unique=False)

    op.create_table('home_services',
    sa.Column('home_id', sa.Integer(), nullable=False),
    sa.Column('service', sa.Enum('day_care', 'sheltered_employment', 'rehab_recreation', name='home_service', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['home_id'], ['homes.id'], name=op.f('fk_home_services_home_id_homes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('home_id', 'service', name=op.f('pk_home_services'))
    )
    op.create_table('home_staff',
    sa.Column('home_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['home_id'], ['homes.id'], name=op.f('fk_home_staff_home_id_homes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_home_staff_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('home_id', 'user_id', name=op.f('pk_home_staff'))
    )
    with op.batch_alter_table('home_staff', schema=None) as batch_op:
        batch_op.create_index('ix_home_staff_user_id', ['user_id', 'home_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('home_id', sa.Integer(), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('left_reason', sa.Enum('moved_away', 'found_work', 'health', 'family_choice', 'transferred', 'deceased', 'other', name='membership_left_reason', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('left_note', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(left_on IS NULL AND left_reason IS NULL) OR (left_on IS NOT NULL AND left_reason IS NOT NULL)', name=op.f('ck_memberships_left_with_reason')),
    sa.CheckConstraint('left_on IS NULL OR left_on >= joined_on', name=op.f('ck_memberships_left_after_joined')),
    sa.ForeignKeyConstraint(['home_id'], ['homes.id'], name=op.f('fk_memberships_home_id_homes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_memberships_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index('ix_memberships_home_id_joined_on', ['home_id', 'joined_on', 'left_on'], unique=False)
        batch_op.create_index('ix_memberships_joined_on', ['joined_on', 'left_on'], unique=False)
        batch_op.create_index('ix_memberships_person_id', ['person_id', 'joined_on'], unique=False)
        batch_op.create_index('uq_memberships_active_person_home', ['person_id', 'home_id'], unique=True, sqlite_where=sa.text('left_on IS NULL'), postgresql_where=sa.text('left_on IS NULL'))

    op.create_table('performance_clash_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('performance_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('clashes', sa.JSON(), nullable=False),
    sa.Column('recorded_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("reason <> ''", name=op.f('ck_performance_clash_overrides_reason_given')),
    sa.ForeignKeyConstraint(['performance_id'], ['performances.id'], name=op.f('fk_performance_clash_overrides_performance_id_performances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_performance_clash_overrides_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_performance_clash_overrides'))
    )
    with op.batch_alter_table('performance_clash_overrides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_performance_clash_overrides_performance_id'), ['performance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_performance_clash_overrides_recorded_by_id'), ['recorded_by_id'], unique=False)

    op.create_table('performance_needs',
    sa.Column('performance_id', sa.Integer(), nullable=False),
    sa.Column('need', sa.Enum('sign_language', 'step_free', 'accessible_seating', 'hearing_loop', 'accessible_toilet', 'audio_description', name='performance_need', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['performance_id'], ['performances.id'], name=op.f('fk_performance_needs_performance_id_performances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('performance_id', 'need', name=op.f('pk_performance_needs'))
    )
    op.create_table('performance_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('performance_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.Enum('performer', 'interpreter', 'caregiver', 'driver', name='booking_role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('is_guest', sa.Boolean(), nullable=False),
    sa.Column('uses_wheelchair', sa.Boolean(), nullable=False),
    sa.CheckConstraint("person_id IS NOT NULL OR name <> ''", name=op.f('ck_performance_people_person_or_name')),
    sa.ForeignKeyConstraint(['performance_id'], ['performances.id'], name=op.f('fk_performance_people_performance_id_performances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_performance_people_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_performance_people')),
    sa.UniqueConstraint('performance_id', 'person_id', name='uq_performance_people_performance_person')
    )
    with op.batch_alter_table('performance_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_performance_people_performance_id'), ['performance_id'], unique=False)
        batch_op.create_index('ix_performance_people_person_performance', ['person_id', 'performance_id'], unique=False)

    op.create_table('performance_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('performance_id', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('alt_text', sa.String(length=300), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("alt_text <> ''", name=op.f('ck_performance_photos_alt_text_given')),
    sa.CheckConstraint("content_type IN ('image/jpeg', 'image/png')", name=op.f('ck_performance_photos_image_type')),
    sa.ForeignKeyConstraint(['performance_id'], ['performances.id'], name=op.f('fk_performance_photos_performance_id_performances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_performance_photos_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_performance_photos')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_performance_photos_stored_name'))
    )
    with op.batch_alter_table('performance_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_performance_photos_performance_id'), ['performance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_performance_photos_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('performance_reschedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('performance_id', sa.Integer(), nullable=False),
    sa.Column('old_starts_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('old_ends_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('new_starts_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('new_ends_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['performance_id'], ['performances.id'], name=op.f('fk_performance_reschedules_performance_id_performances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_performance_reschedules_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_performance_reschedules'))
    )
    with op.batch_alter_table('performance_reschedules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_performance_reschedules_performance_id'), ['performance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_performance_reschedules_recorded_by_id'), ['recorded_by_id'], unique=False)

    op.create_table('activity_exceptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('original_start', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.Enum('cancelled', 'moved', name='exception_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('new_start', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('new_end', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('new_venue_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'cancelled' AND new_start IS NULL AND new_end IS NULL) OR (kind = 'moved' AND new_start IS NOT NULL AND new_end IS NOT NULL AND new_end > new_start)", name=op.f('ck_activity_exceptions_moved_has_times')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_exceptions_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activity_exceptions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['new_venue_id'], ['venues.id'], name=op.f('fk_activity_exceptions_new_venue_id_venues'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_exceptions')),
    sa.UniqueConstraint('activity_id', 'original_start', name='uq_activity_exceptions_activity_id_original')
    )
    with op.batch_alter_table('activity_exceptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_exceptions_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_activity_exceptions_new_start', ['new_start', 'new_end'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_exceptions_new_venue_id'), ['new_venue_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('occurrence_start', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('present', 'absent', name='attendance_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('absence_reason', sa.Enum('ill', 'family', 'transport', 'other', name='absence_reason', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'present' AND absence_reason IS NULL) OR (status = 'absent' AND absence_reason IS NOT NULL)", name=op.f('ck_attendance_absent_has_reason')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_attendance_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_attendance_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_attendance_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('activity_id', 'occurrence_start', 'person_id', name='uq_attendance_activity_id_occurrence_person')
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index('ix_attendance_occurrence_start', ['occurrence_start'], unique=False)
        batch_op.create_index('ix_attendance_person_id_occurrence_start', ['person_id', 'occurrence_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_recorded_by_id'), ['recorded_by_id'], unique=False)

    op.create_table('membership_services',
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('service', sa.Enum('day_care', 'sheltered_employment', 'rehab_recreation', name='membership_service', native_enum=False, create_constraint=True), nullable=False),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_membership_services_membership_id_memberships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('membership_id', 'service', name=op.f('pk_membership_services'))
    )
    with op.batch_alter_table('membership_services', schema=None) as batch_op:
        batch_op.create_index('ix_membership_services_service', ['service', 'membership_id'], unique=False)

    with op.batch_alter_table('competition_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.create_index('ix_competition_events_starts_at_ends_at', ['starts_at', 'ends_at'], unique=False)

    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))

    for table in ('competition_events', 'entries'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('version', server_default=None)



def downgrade():
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('competition_events', schema=None) as batch_op:
        batch_op.drop_index('ix_competition_events_starts_at_ends_at')
        batch_op.drop_column('version')

    with op.batch_alter_table('membership_services', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_services_service')

    op.drop_table('membership_services')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_recorded_by_id'))
        batch_op.drop_index('ix_attendance_person_id_occurrence_start')
        batch_op.drop_index('ix_attendance_occurrence_start')

    op.drop_table('attendance')
    with op.batch_alter_table('activity_exceptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_exceptions_new_venue_id'))
        batch_op.drop_index('ix_activity_exceptions_new_start')
        batch_op.drop_index(batch_op.f('ix_activity_exceptions_created_by_id'))

    op.drop_table('activity_exceptions')
    with op.batch_alter_table('performance_reschedules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_performance_reschedules_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_performance_reschedules_performance_id'))

    op.drop_table('performance_reschedules')
    with op.batch_alter_table('performance_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_performance_photos_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_performance_photos_performance_id'))

    op.drop_table('performance_photos')
    with op.batch_alter_table('performance_people', schema=None) as batch_op:
        batch_op.drop_index('ix_performance_people_person_performance')
        batch_op.drop_index(batch_op.f('ix_performance_people_performance_id'))

    op.drop_table('performance_people')
    op.drop_table('performance_needs')
    with op.batch_alter_table('performance_clash_overrides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_performance_clash_overrides_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_performance_clash_overrides_performance_id'))

    op.drop_table('performance_clash_overrides')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('uq_memberships_active_person_home', sqlite_where=sa.text('left_on IS NULL'), postgresql_where=sa.text('left_on IS NULL'))
        batch_op.drop_index('ix_memberships_person_id')
        batch_op.drop_index('ix_memberships_joined_on')
        batch_op.drop_index('ix_memberships_home_id_joined_on')

    op.drop_table('memberships')
    with op.batch_alter_table('home_staff', schema=None) as batch_op:
        batch_op.drop_index('ix_home_staff_user_id')

    op.drop_table('home_staff')
    op.drop_table('home_services')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_venue_id'))
        batch_op.drop_index('ix_activities_starts_at_series_end_at')
        batch_op.drop_index(batch_op.f('ix_activities_leader_person_id'))
        batch_op.drop_index('ix_activities_home_id_starts_at')

    op.drop_table('activities')
    with op.batch_alter_table('troupe_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_troupe_members_person_id'))

    op.drop_table('troupe_members')
    with op.batch_alter_table('performances', schema=None) as batch_op:
        batch_op.drop_index('ix_performances_venue_starts_at')
        batch_op.drop_index(batch_op.f('ix_performances_troupe_id'))
        batch_op.drop_index('ix_performances_status_held_on')
        batch_op.drop_index('ix_performances_starts_at_ends_at')
        batch_op.drop_index(batch_op.f('ix_performances_programme_id'))
        batch_op.drop_index('ix_performances_held_on')
        batch_op.drop_index(batch_op.f('ix_performances_created_by_id'))

    op.drop_table('performances')
    with op.batch_alter_table('homes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_homes_venue_id'))
        batch_op.drop_index(batch_op.f('ix_homes_town_id'))
        batch_op.drop_index(batch_op.f('ix_homes_is_archived'))

    op.drop_table('homes')
    with op.batch_alter_table('programme_organisers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_organisers_user_id'))

    op.drop_table('programme_organisers')
    op.drop_table('calendar_tokens')
    with op.batch_alter_table('calendar_item_feeds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_item_feeds_item_id'))

    op.drop_table('calendar_item_feeds')
    op.drop_table('troupes')
    op.drop_table('programmes')
    with op.batch_alter_table('calendar_items', schema=None) as batch_op:
        batch_op.drop_index('ix_calendar_items_window')

    op.drop_table('calendar_items')
    op.drop_table('calendar_feed_marks')
