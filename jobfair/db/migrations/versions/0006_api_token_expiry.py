"""api tokens: an expiry fixed when the token is made

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 23:30:00

Tokens made before this revision counted their lifetime from ``created_at`` with the
setting of the day; an upgrade that introduced the limit ended every token older than
it at once. A token that exists now keeps working for the default lifetime (90 days)
from the upgrade, so clients can move to a new one in their own time.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

import jobfair.db.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The default of JOBFAIR_API_TOKEN_DAYS when this revision was written.
GRACE = timedelta(days=90)


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", jobfair.db.base.UTCDateTime(), nullable=True))
    tokens = sa.table("api_tokens", sa.column("expires_at", jobfair.db.base.UTCDateTime()))
    op.execute(tokens.update().values(expires_at=datetime.now(UTC) + GRACE))
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.alter_column(
            "expires_at", existing_type=jobfair.db.base.UTCDateTime(), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
