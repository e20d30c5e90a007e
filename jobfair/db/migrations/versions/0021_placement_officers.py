"""placement officers (NIP, functional position, certification), walk-in registration
(assisted by an officer) and the consent to the ministry interchange

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 14:40:00

users gets plain ADD COLUMNs (no batch copy: users is referenced by most tables);
applicants gets its foreign key in a batch (SQLite recreates the table).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import jobfair.db.base

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

USER_COLUMNS = (
    ("nip", sa.String(length=18)),
    ("functional_position", sa.String(length=16)),
    ("certification", sa.String(length=200)),
    ("certified_on", sa.Date()),
)


def upgrade() -> None:
    for name, kind in USER_COLUMNS:
        op.add_column("users", sa.Column(name, kind, nullable=True))
    with op.batch_alter_table("applicants", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("interchange_consent_at", jobfair.db.base.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("assisted_by_user_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_applicants_assisted_by_user_id"), ["assisted_by_user_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_applicants_assisted_by_user_id_users"),
            "users",
            ["assisted_by_user_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("applicants", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_applicants_assisted_by_user_id_users"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_applicants_assisted_by_user_id"))
        batch_op.drop_column("assisted_by_user_id")
        batch_op.drop_column("interchange_consent_at")
    for name, _kind in reversed(USER_COLUMNS):
        op.drop_column("users", name)
