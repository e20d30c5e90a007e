"""trusted networks: address ranges exempt from the per-address rate ceilings

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 06:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import jobfair.db.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trusted_networks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cidr", sa.String(length=43), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", jobfair.db.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["labour_offices.id"],
            name=op.f("fk_trusted_networks_office_id_labour_offices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_trusted_networks_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trusted_networks")),
        sa.UniqueConstraint("cidr", name=op.f("uq_trusted_networks_cidr")),
    )
    with op.batch_alter_table("trusted_networks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trusted_networks_office_id"), ["office_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("trusted_networks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trusted_networks_office_id"))
    op.drop_table("trusted_networks")
