"""report requests: a requested compile is a row, and a version names its request

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 06:00:00

A report requested while the task queue was away (or queued just before Redis restarted
empty) was lost: the request is now a row the sweep compiles until it is done, and a
version stores the request it answers (unique), so a re-run writes no second version.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import jobfair.db.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_user_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", jobfair.db.base.UTCDateTime(), nullable=False),
        sa.Column("compiled_at", jobfair.db.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["fair_id"],
            ["fairs.id"],
            name=op.f("fk_report_requests_fair_id_fairs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_user_id"],
            ["users.id"],
            name=op.f("fk_report_requests_requested_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_requests")),
    )
    with op.batch_alter_table("report_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_requests_pending", ["compiled_at", "requested_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_report_requests_fair_id"), ["fair_id"], unique=False)
    with op.batch_alter_table("fair_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("request_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_fair_reports_request_id"), ["request_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_fair_reports_request_id_report_requests"),
            "report_requests",
            ["request_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("fair_reports", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_fair_reports_request_id_report_requests"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_fair_reports_request_id"), type_="unique")
        batch_op.drop_column("request_id")
    with op.batch_alter_table("report_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_requests_fair_id"))
        batch_op.drop_index("ix_report_requests_pending")
    op.drop_table("report_requests")
