"""indexes for two sweeps: open chats (conversations.ended_at) and bookings by booth

Logged query plans without statistics showed the timed-out-chat sweep reading every
conversation and the retention purge reading every slot booking.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-08 01:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_conversations_ended_at", "conversations", ["ended_at"])
    op.create_index("ix_slot_bookings_booth_id", "slot_bookings", ["booth_id"])


def downgrade() -> None:
    op.drop_index("ix_slot_bookings_booth_id", table_name="slot_bookings")
    op.drop_index("ix_conversations_ended_at", table_name="conversations")
