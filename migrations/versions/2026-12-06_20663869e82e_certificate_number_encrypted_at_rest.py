"""certificate number encrypted at rest

``people.certificate_number`` becomes TEXT holding a Fernet token (app/core/crypto.py); the
numbers already stored are encrypted with the first key of PERSONAL_DATA_ENCRYPTION_KEYS
(`flask db upgrade` runs inside the app, so the configured keys are at hand). The downgrade
decrypts them back into VARCHAR(20).

Revision ID: 20663869e82e
Revises: b1362385bcd3
Create Date: 2026-12-06 03:46:44.246632

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20663869e82e'
down_revision = 'b1362385bcd3'
branch_labels = None
depends_on = None

people = sa.table(
    'people',
    sa.column('id', sa.Integer),
    sa.column('certificate_number', sa.Text),
)


def _rewrite(convert) -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(people.c.id, people.c.certificate_number).where(
            people.c.certificate_number.is_not(None)
        )
    ).all()
    for person_id, value in rows:
        conn.execute(
            people.update()
            .where(people.c.id == person_id)
            .values(certificate_number=convert(value))
        )


def upgrade():
    from app.core.crypto import encrypt

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('certificate_number',
               existing_type=sa.VARCHAR(length=20),
               type_=sa.Text(),
               existing_nullable=True)
    _rewrite(encrypt)


def downgrade():
    from app.core.crypto import decrypt

    _rewrite(decrypt)
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('certificate_number',
               existing_type=sa.Text(),
               type_=sa.VARCHAR(length=20),
               existing_nullable=True)
