"""booths: edits to an approved booth wait for the office's review

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-03 07:05:00

Plain ADD COLUMN (no batch copy): booths are referenced by vacancies, and a batch copy
of a referenced table on SQLite would cascade-delete them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import jobfair.db.base

revision: str = "0013"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("booths", sa.Column("pending_changes", sa.JSON(), nullable=True))
    op.add_column(
        "booths", sa.Column("changes_submitted_at", jobfair.db.base.UTCDateTime(), nullable=True)
    )
    op.add_column("booths", sa.Column("changes_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place (no table copy).
    op.drop_column("booths", "changes_reason")
    op.drop_column("booths", "changes_submitted_at")
    op.drop_column("booths", "pending_changes")
