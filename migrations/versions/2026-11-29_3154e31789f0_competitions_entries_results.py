"""competitions entries results

Revision ID: 3154e31789f0
Revises: 03ae53d8e9f6
Create Date: 2026-11-29 07:07:06.188140

"""
from alembic import op
import sqlalchemy as sa

import app.core.db  # noqa: F401  (UTCDateTime in column definitions)


# revision identifiers, used by Alembic.
revision = '3154e31789f0'
down_revision = '03ae53d8e9f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('competitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('level', sa.Enum('international', 'national', 'provincial', 'city', 'district', name='competition_level', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('series', sa.String(length=160), nullable=False),
    sa.Column('edition', sa.Integer(), nullable=True),
    sa.Column('host_city', sa.String(length=80), nullable=False),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('delegation', sa.String(length=80), nullable=False),
    sa.Column('status', sa.Enum('planned', 'entries_open', 'in_progress', 'finished', 'cancelled', name='competition_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('edition IS NULL OR edition >= 1', name=op.f('ck_competitions_edition_positive')),
    sa.CheckConstraint('end_on >= start_on', name=op.f('ck_competitions_dates_in_order')),
    sa.ForeignKeyConstraint(['manager_id'], ['users.id'], name=op.f('fk_competitions_manager_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_competitions_venue_id_venues'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competitions'))
    )
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competitions_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_competitions_manager_id'), ['manager_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competitions_start_on'), ['start_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_competitions_venue_id'), ['venue_id'], unique=False)

    op.create_table('competition_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('sport_id', sa.Integer(), nullable=False),
    sa.Column('gender', sa.Enum('women', 'men', 'mixed', 'open', name='event_gender', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('sport_class', sa.String(length=40), nullable=False),
    sa.Column('is_team', sa.Boolean(), nullable=False),
    sa.Column('starts_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ends_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('venue_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('starts_at IS NULL OR ends_at IS NULL OR ends_at >= starts_at', name=op.f('ck_competition_events_times_in_order')),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_events_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sport_id'], ['sports.id'], name=op.f('fk_competition_events_sport_id_sports'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['venue_id'], ['venues.id'], name=op.f('fk_competition_events_venue_id_venues'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_competition_events'))
    )
    with op.batch_alter_table('competition_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_events_competition_id'), ['competition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_events_sport_id'), ['sport_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_competition_events_venue_id'), ['venue_id'], unique=False)

    op.create_table('competition_sports',
    sa.Column('competition_id', sa.Integer(), nullable=False),
    sa.Column('sport_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['competition_id'], ['competitions.id'], name=op.f('fk_competition_sports_competition_id_competitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sport_id'], ['sports.id'], name=op.f('fk_competition_sports_sport_id_sports'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('competition_id', 'sport_id', name=op.f('pk_competition_sports'))
    )
    with op.batch_alter_table('competition_sports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_competition_sports_sport_id'), ['sport_id'], unique=False)

    op.create_table('entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('team_name', sa.String(length=80), nullable=False),
    sa.Column('status', sa.Enum('nominated', 'confirmed', 'withdrawn', name='entry_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['competition_events.id'], name=op.f('fk_entries_event_id_competition_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entries'))
    )
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entries_event_id'), ['event_id'], unique=False)

    op.create_table('entry_members',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['athlete_id'], ['athlete_profiles.id'], name=op.f('fk_entry_members_athlete_id_athlete_profiles'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_entry_members_entry_id_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('entry_id', 'athlete_id', name=op.f('pk_entry_members'))
    )
    with op.batch_alter_table('entry_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_members_athlete_id'), ['athlete_id'], unique=False)

    op.create_table('entry_support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('guide', 'assistant', 'companion', 'coach', name='support_role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.CheckConstraint("person_id IS NOT NULL OR name <> ''", name=op.f('ck_entry_support_person_or_name')),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_entry_support_entry_id_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_entry_support_person_id_people'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entry_support'))
    )
    with op.batch_alter_table('entry_support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_support_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_entry_support_person_id'), ['person_id'], unique=False)

    op.create_table('results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('mark', sa.String(length=40), nullable=False),
    sa.Column('mark_value', sa.Numeric(precision=12, scale=3), nullable=True),
    sa.Column('status', sa.Enum('OK', 'DNS', 'DNF', 'DSQ', name='result_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('medal', sa.Enum('gold', 'silver', 'bronze', 'none', name='medal', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("medal = 'none' OR status = 'OK'", name=op.f('ck_results_medal_needs_ok')),
    sa.CheckConstraint("rank IS NULL OR status = 'OK'", name=op.f('ck_results_rank_needs_ok')),
    sa.CheckConstraint('rank IS NULL OR rank >= 1', name=op.f('ck_results_rank_positive')),
    sa.ForeignKeyConstraint(['entry_id'], ['entries.id'], name=op.f('fk_results_entry_id_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_results')),
    sa.UniqueConstraint('entry_id', name=op.f('uq_results_entry_id'))
    )
    with op.batch_alter_table('results', schema=None) as batch_op:
        batch_op.create_index('ix_results_medal', ['medal'], unique=False)



def downgrade():
    with op.batch_alter_table('results', schema=None) as batch_op:
        batch_op.drop_index('ix_results_medal')

    op.drop_table('results')
    with op.batch_alter_table('entry_support', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_support_person_id'))
        batch_op.drop_index(batch_op.f('ix_entry_support_entry_id'))

    op.drop_table('entry_support')
    with op.batch_alter_table('entry_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_members_athlete_id'))

    op.drop_table('entry_members')
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entries_event_id'))

    op.drop_table('entries')
    with op.batch_alter_table('competition_sports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_sports_sport_id'))

    op.drop_table('competition_sports')
    with op.batch_alter_table('competition_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competition_events_venue_id'))
        batch_op.drop_index(batch_op.f('ix_competition_events_sport_id'))
        batch_op.drop_index(batch_op.f('ix_competition_events_competition_id'))

    op.drop_table('competition_events')
    with op.batch_alter_table('competitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_competitions_venue_id'))
        batch_op.drop_index(batch_op.f('ix_competitions_start_on'))
        batch_op.drop_index(batch_op.f('ix_competitions_manager_id'))
        batch_op.drop_index(batch_op.f('ix_competitions_level'))

    op.drop_table('competitions')
