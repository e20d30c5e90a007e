"""company verification per labour office

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 06:00:00

Verification was one flag on the company, shown but never enforced, and any office's
decision overwrote another's. It becomes one row per (company, office). The old flag
is carried over to every office whose fairs the company has a booth in: those are the
offices that could have decided it (a booth approval verified the company, a console
decision was made by an office that sees the company through its booths). A pending
company gets no rows: no row means the office has not decided. The global columns are
dropped, so nothing can read the old flag by mistake.

Downgrade folds the rows back into one flag: rejected if any office rejected, else
verified if any verified, else pending (the reason and time of that decision).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import jobfair.db.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "company_verifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by_user_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", jobfair.db.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_company_verifications_company_id_companies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["users.id"],
            name=op.f("fk_company_verifications_decided_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["labour_offices.id"],
            name=op.f("fk_company_verifications_office_id_labour_offices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_verifications")),
        sa.UniqueConstraint(
            "company_id", "office_id", name=op.f("uq_company_verifications_company_id_office_id")
        ),
    )
    with op.batch_alter_table("company_verifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_company_verifications_office_id"), ["office_id"], unique=False
        )
    # The old decision, for each office the company has a booth with.
    op.execute(
        """
        INSERT INTO company_verifications (company_id, office_id, status, reason, decided_at)
        SELECT DISTINCT c.id, f.office_id, c.verification, c.verification_reason, c.verified_at
        FROM companies c
        JOIN booths b ON b.company_id = c.id
        JOIN fairs f ON f.id = b.fair_id
        WHERE c.verification IN ('verified', 'rejected')
        """
    )
    # A plain ALTER TABLE … DROP COLUMN (PostgreSQL; SQLite since 3.35), not a batch
    # copy: on SQLite the copy drops the old ``companies`` table, and with foreign keys
    # on that deletes every booth, recruiter and decision by cascade.
    for column in ("verification_reason", "verified_at", "verification"):
        op.drop_column("companies", column)


def downgrade() -> None:
    # Plain ALTER TABLE (see upgrade); the server default stays, a batch copy to drop it
    # would cascade-delete as above.
    op.add_column(
        "companies",
        sa.Column("verification", sa.String(length=16), nullable=False, server_default="pending"),
    )
    op.add_column("companies", sa.Column("verified_at", jobfair.db.base.UTCDateTime()))
    op.add_column("companies", sa.Column("verification_reason", sa.Text(), nullable=True))
    for status in ("verified", "rejected"):  # rejected last: it wins
        op.execute(
            f"""
            UPDATE companies SET
              verification = '{status}',
              verification_reason = (
                SELECT v.reason FROM company_verifications v
                WHERE v.company_id = companies.id AND v.status = '{status}'
                ORDER BY v.decided_at DESC LIMIT 1),
              verified_at = (
                SELECT MAX(v.decided_at) FROM company_verifications v
                WHERE v.company_id = companies.id AND v.status = '{status}')
            WHERE EXISTS (
              SELECT 1 FROM company_verifications v
              WHERE v.company_id = companies.id AND v.status = '{status}')
            """
        )
    with op.batch_alter_table("company_verifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_verifications_office_id"))
    op.drop_table("company_verifications")
