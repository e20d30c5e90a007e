"""notifications: a kind and its parameters, rendered in the reader's language

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 11:50:00

A notification used to be stored as finished text in the language its user had when it
was written, which an English page then showed in Indonesian. New rows store what
happened (``kind`` and ``params``) and are worded when shown; ``subject`` and ``body``
stay for the rows written before, and are empty for new ones. The table is referenced by
no other, so SQLite's batch copy (to drop NOT NULL) cascades nowhere.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))
        batch_op.alter_column("subject", existing_type=sa.String(length=300), nullable=True)
        batch_op.alter_column("body", existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    # Rows of a kind have no text of their own: give them an empty one to satisfy NOT NULL.
    op.execute("UPDATE notifications SET subject = '' WHERE subject IS NULL")
    op.execute("UPDATE notifications SET body = '' WHERE body IS NULL")
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.alter_column("body", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("subject", existing_type=sa.String(length=300), nullable=False)
        batch_op.drop_column("params")
        batch_op.drop_column("kind")
