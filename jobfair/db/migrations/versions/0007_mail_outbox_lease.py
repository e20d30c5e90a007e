"""outbox: a lease while a row is sent, a stable Message-ID, backoff and failure

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 06:00:00

Every row gets a ``message_id`` (random, globally unique, like the ones new rows get);
rows the old rule abandoned after five attempts are marked failed now, so an organiser
sees them and may send them again.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import jobfair.db.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The old MAX_ATTEMPTS: a row with this many attempts and no sent_at was never tried again.
OLD_MAX_ATTEMPTS = 5


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.String(length=255), nullable=True))
        batch_op.add_column(
            sa.Column("claimed_until", jobfair.db.base.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("next_attempt_at", jobfair.db.base.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("retry_until", jobfair.db.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("failed_at", jobfair.db.base.UTCDateTime(), nullable=True))
        batch_op.create_index("ix_outbox_failed", ["failed_at"], unique=False)
    # One statement, not a loop over rows: the outbox of a large fair is big.
    if op.get_bind().dialect.name == "postgresql":
        random_hex = "md5(random()::text || clock_timestamp()::text || id::text)"
    else:
        random_hex = "lower(hex(randomblob(16)))"
    op.execute(f"UPDATE outbox SET message_id = '<' || {random_hex} || '@jobfair.local>'")
    outbox = sa.table(
        "outbox",
        sa.column("sent_at", jobfair.db.base.UTCDateTime()),
        sa.column("attempts", sa.Integer()),
        sa.column("failed_at", jobfair.db.base.UTCDateTime()),
    )
    op.execute(
        outbox.update()
        .where(outbox.c.sent_at.is_(None), outbox.c.attempts >= OLD_MAX_ATTEMPTS)
        .values(failed_at=datetime.now(UTC))
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("message_id", existing_type=sa.String(length=255), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_failed")
        batch_op.drop_column("failed_at")
        batch_op.drop_column("retry_until")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("message_id")
