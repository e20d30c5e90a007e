"""drives: hiring drives of an office, their locality rule, partners, fairs, and the
placements reported against them outside any fair

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 14:40:00

New tables only; nothing existing is altered.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import jobfair.db.base

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "drives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", jobfair.db.base.UTCDateTime(), nullable=False),
        sa.Column("updated_at", jobfair.db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["labour_offices.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_drives_office_id", "drives", ["office_id"])
    op.create_table(
        "drive_regencies",
        sa.Column("drive_id", sa.Integer(), nullable=False),
        sa.Column("regency_code", sa.String(length=5), nullable=False),
        sa.ForeignKeyConstraint(["drive_id"], ["drives.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("drive_id", "regency_code"),
    )
    op.create_table(
        "drive_partners",
        sa.Column("drive_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("added_at", jobfair.db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["drive_id"], ["drives.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("drive_id", "company_id"),
    )
    op.create_index("ix_drive_partners_company_id", "drive_partners", ["company_id"])
    op.create_table(
        "drive_fairs",
        sa.Column("drive_id", sa.Integer(), nullable=False),
        sa.Column("fair_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["drive_id"], ["drives.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["fair_id"], ["fairs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("drive_id", "fair_id"),
    )
    op.create_index("ix_drive_fairs_fair_id", "drive_fairs", ["fair_id"])
    op.create_table(
        "direct_placements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("drive_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("reported_by_user_id", sa.Integer(), nullable=True),
        sa.Column("reported_at", jobfair.db.base.UTCDateTime(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("job_title", sa.String(length=200), nullable=False),
        sa.Column("confirmation", sa.String(length=16), nullable=False),
        sa.Column("confirmed_at", jobfair.db.base.UTCDateTime(), nullable=True),
        sa.Column("denial_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["drive_id"], ["drives.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["applicant_id"], ["applicants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reported_by_user_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("drive_id", "company_id", "applicant_id"),
    )
    op.create_index(
        "ix_direct_placements_drive", "direct_placements", ["drive_id", "confirmation"]
    )
    op.create_index(
        "ix_direct_placements_applicant_id", "direct_placements", ["applicant_id"]
    )


def downgrade() -> None:
    op.drop_table("direct_placements")
    op.drop_table("drive_fairs")
    op.drop_table("drive_partners")
    op.drop_table("drive_regencies")
    op.drop_table("drives")
