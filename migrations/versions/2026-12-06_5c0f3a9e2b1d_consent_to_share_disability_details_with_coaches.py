"""consent to share disability details with coaches

A third consent purpose, ``scouting``: the coaches of a person's athlete profile may see their
disability category and grade (PIPL art. 23). Only the CHECK constraint of consents.kind
changes (the column is wide enough).

Revision ID: 5c0f3a9e2b1d
Revises: 20663869e82e
Create Date: 2026-12-06 06:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5c0f3a9e2b1d'
down_revision = '20663869e82e'
branch_labels = None
depends_on = None


def _kinds(*values: str) -> str:
    return "kind IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_consents_consent_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_consents_consent_kind'), _kinds('collection', 'publication', 'scouting')
        )


def downgrade():
    op.execute("DELETE FROM consents WHERE kind = 'scouting'")
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_consents_consent_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_consents_consent_kind'), _kinds('collection', 'publication')
        )
