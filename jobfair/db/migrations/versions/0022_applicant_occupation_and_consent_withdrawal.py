"""applicants: the occupation sought (KBJI, for IPK III/3) and when the consent to the
ministry interchange was withdrawn

Revision ID: 0022
Revises: 0017
Create Date: 2026-12-04 20:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import jobfair.db.base

revision: str = "0022"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable both: the profiles that exist were never asked ("not stated"), and a
    # consent never withdrawn has no withdrawal time.
    with op.batch_alter_table("applicants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sought_kbji_code", sa.String(length=6), nullable=True))
        batch_op.add_column(
            sa.Column(
                "interchange_consent_withdrawn_at",
                jobfair.db.base.UTCDateTime(),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("applicants", schema=None) as batch_op:
        batch_op.drop_column("interchange_consent_withdrawn_at")
        batch_op.drop_column("sought_kbji_code")
