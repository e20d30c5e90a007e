"""labour_offices: the report's letterhead (address, logo) and signing officer

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-03 11:55:00

Plain ADD COLUMN (no batch copy): labour_offices is referenced by fairs and users.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("address", sa.Text()),
    ("logo_file", sa.String(length=100)),
    ("signing_place", sa.String(length=100)),
    ("signer_name", sa.String(length=200)),
    ("signer_nip", sa.String(length=18)),
    ("signer_position", sa.String(length=200)),
)


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("labour_offices", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place (no table copy).
    for name, _kind in reversed(COLUMNS):
        op.drop_column("labour_offices", name)
