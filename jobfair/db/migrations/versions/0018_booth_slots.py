"""booth slots, their bookings, and messages left at a booth

Revision ID: 0018
Revises: 0021
Create Date: 2026-12-03 14:40:00

New tables only. The bookings' unique constraints on ``active_slot_id`` and
(``applicant_id``, ``active_booth_id``) are what refuse a double booking under
concurrency (see jobfair.models.booth_slots).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import jobfair.db.base

revision: str = "0018"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = jobfair.db.base.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "booth_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTC(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("recruiter_user_id", sa.Integer(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("cancelled_at", UTC(), nullable=True),
        sa.CheckConstraint("minutes >= 10 AND minutes <= 30", name=op.f("ck_booth_slots_minutes_range")),
        sa.CheckConstraint("capacity = 1", name=op.f("ck_booth_slots_capacity_one")),
        sa.ForeignKeyConstraint(
            ["booth_id"], ["booths.id"], name=op.f("fk_booth_slots_booth_id_booths"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recruiter_user_id"],
            ["users.id"],
            name=op.f("fk_booth_slots_recruiter_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_booth_slots_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booth_slots")),
    )
    op.create_index("ix_booth_slots_booth_start", "booth_slots", ["booth_id", "starts_at"])
    op.create_table(
        "slot_bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("active_slot_id", sa.Integer(), nullable=True),
        sa.Column("active_booth_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("cancelled_at", UTC(), nullable=True),
        sa.Column("marked_at", UTC(), nullable=True),
        sa.Column("marked_by_user_id", sa.Integer(), nullable=True),
        sa.Column("reminder_sent_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["booth_slots.id"],
            name=op.f("fk_slot_bookings_slot_id_booth_slots"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["booth_id"], ["booths.id"], name=op.f("fk_slot_bookings_booth_id_booths"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["applicant_id"],
            ["applicants.id"],
            name=op.f("fk_slot_bookings_applicant_id_applicants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["marked_by_user_id"],
            ["users.id"],
            name=op.f("fk_slot_bookings_marked_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slot_bookings")),
        sa.UniqueConstraint("active_slot_id", name=op.f("uq_slot_bookings_active_slot_id")),
        sa.UniqueConstraint(
            "applicant_id",
            "active_booth_id",
            name=op.f("uq_slot_bookings_applicant_id_active_booth_id"),
        ),
    )
    op.create_index("ix_slot_bookings_reminder", "slot_bookings", ["state", "reminder_sent_at"])
    op.create_index(op.f("ix_slot_bookings_slot_id"), "slot_bookings", ["slot_id"])
    op.create_index(op.f("ix_slot_bookings_applicant_id"), "slot_bookings", ["applicant_id"])
    op.create_table(
        "booth_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booth_id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("answered_at", UTC(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["booth_id"], ["booths.id"], name=op.f("fk_booth_messages_booth_id_booths"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["applicant_id"],
            ["applicants.id"],
            name=op.f("fk_booth_messages_applicant_id_applicants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"],
            ["vacancies.id"],
            name=op.f("fk_booth_messages_vacancy_id_vacancies"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_user_id"],
            ["users.id"],
            name=op.f("fk_booth_messages_answered_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booth_messages")),
    )
    op.create_index("ix_booth_messages_booth", "booth_messages", ["booth_id", "answered_at"])
    op.create_index(op.f("ix_booth_messages_applicant_id"), "booth_messages", ["applicant_id"])


def downgrade() -> None:
    op.drop_table("booth_messages")
    op.drop_table("slot_bookings")
    op.drop_table("booth_slots")
