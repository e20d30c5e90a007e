"""applications: one index on (applicant, fair) instead of the applicant alone

Every apply reads the applicant's applications in the vacancy's fair. With only an
index on the applicant, SQLite's planner (no statistics unless ANALYZE runs) picked the
index on (fair, submitted_at) and read all of the fair's applications per apply.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-08 00:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_applications_applicant_fair", "applications", ["applicant_id", "fair_id"])
    # The new index's prefix serves every lookup the old one did.
    op.drop_index("ix_applications_applicant_id", table_name="applications")


def downgrade() -> None:
    op.create_index("ix_applications_applicant_id", "applications", ["applicant_id"])
    op.drop_index("ix_applications_applicant_fair", table_name="applications")
