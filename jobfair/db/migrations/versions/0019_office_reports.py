"""office_report_requests, office_reports: an office's statistics over a period

Revision ID: 0019
Revises: 0016
Create Date: 2026-12-03 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import jobfair.db.base

revision: str = "0019"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "office_report_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("period_kind", sa.String(length=16), nullable=False),
        sa.Column("period_number", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("requested_by_user_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", jobfair.db.base.UTCDateTime(), nullable=False),
        sa.Column("compiled_at", jobfair.db.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["office_id"], ["labour_offices.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requested_by_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_office_report_requests_office_id", "office_report_requests", ["office_id"])
    op.create_index(
        "ix_office_report_requests_pending",
        "office_report_requests",
        ["compiled_at", "requested_at"],
    )
    op.create_table(
        "office_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("period_key", sa.String(length=32), nullable=False),
        sa.Column("period_kind", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("compiled_at", jobfair.db.base.UTCDateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["office_id"], ["labour_offices.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["request_id"], ["office_report_requests.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "period_key", "version"),
        sa.UniqueConstraint("request_id"),
    )


def downgrade() -> None:
    op.drop_table("office_reports")
    op.drop_index("ix_office_report_requests_pending", table_name="office_report_requests")
    op.drop_index("ix_office_report_requests_office_id", table_name="office_report_requests")
    op.drop_table("office_report_requests")
