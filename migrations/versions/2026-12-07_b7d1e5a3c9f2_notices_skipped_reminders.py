"""notices: a notice can be withheld (status ``skipped`` with a reason), the ``reminder``
change, and a person's wish for day-before reminders

A queued notice whose recipient withdrew their contact consent, was erased, or whose only
dependant named in it was erased is not sent: status ``skipped`` and ``skip_reason``
(``no_consent``, ``archived``, ``erased``, ``about_erased``). ``people.wants_reminders`` (false for everyone
already registered: nobody has asked yet) and the change ``reminder`` serve
``flask notices remind``.

Revision ID: b7d1e5a3c9f2
Revises: 39fc0ea41a46
Create Date: 2026-12-07 03:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "b7d1e5a3c9f2"
down_revision = "39fc0ea41a46"
branch_labels = None
depends_on = None


def _in(column: str, *values: str) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade():
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notices_notice_status"), type_="check")
        batch_op.drop_constraint(op.f("ck_notices_notice_change"), type_="check")
        batch_op.alter_column(
            "status", existing_type=sa.String(length=6), type_=sa.String(length=7)
        )
        batch_op.add_column(
            sa.Column(
                "skip_reason",
                sa.Enum(
                    "no_consent", "archived", "erased", "about_erased", name="notice_skip_reason",
                    native_enum=False, create_constraint=True,
                ),
                nullable=True,
            )
        )  # fmt: skip
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_notices_notice_status"), _in("status", "queued", "sent", "failed", "skipped")
        )
        batch_op.create_check_constraint(
            op.f("ck_notices_notice_change"),
            _in("change", "moved", "cancelled", "restored", "booked", "reminder"),
        )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("wants_reminders", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.alter_column("wants_reminders", server_default=None)


def downgrade():
    op.execute("DELETE FROM notices WHERE status = 'skipped' OR change = 'reminder'")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("wants_reminders")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notices_notice_status"), type_="check")
        batch_op.drop_constraint(op.f("ck_notices_notice_change"), type_="check")
        batch_op.drop_constraint(op.f("ck_notices_notice_skip_reason"), type_="check")
        batch_op.drop_column("skip_reason")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.alter_column(
            "status", existing_type=sa.String(length=7), type_=sa.String(length=6)
        )
        batch_op.create_check_constraint(
            op.f("ck_notices_notice_status"), _in("status", "queued", "sent", "failed")
        )
        batch_op.create_check_constraint(
            op.f("ck_notices_notice_change"),
            _in("change", "moved", "cancelled", "restored", "booked"),
        )
