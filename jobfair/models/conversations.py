"""Booth conversations: the queue to talk to a recruiter, the 1:1 chats, their messages,
abuse reports and per-fair chat blocks.

The rules live in :mod:`jobfair.services.conversations`; these are the rows. A message's
id is its order: a reconnecting client asks for everything after the last id it saw.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.db.base import Base, UTCDateTime, utcnow


class QueueState(enum.StrEnum):
    WAITING = "waiting"
    TAKEN = "taken"
    LEFT = "left"
    EXPIRED = "expired"


class Party(enum.StrEnum):
    APPLICANT = "applicant"
    RECRUITER = "recruiter"
    SYSTEM = "system"


class Interest(enum.StrEnum):
    INTERESTED = "interested"
    NOT_INTERESTED = "not_interested"


class QueueEntry(Base):
    """One applicant waiting at one booth; ``last_seen_at`` keeps the place through a
    reload or a reconnect for the grace period."""

    __tablename__ = "chat_queue_entries"
    __table_args__ = (Index("ix_chat_queue_booth_state", "booth_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"))
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), index=True
    )
    vacancy_id: Mapped[int | None] = mapped_column(ForeignKey("vacancies.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(16), default=QueueState.WAITING)
    # A booked slot's applicant goes first (see services.conversations.join_queue).
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"), index=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), index=True
    )
    recruiter_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    queue_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_queue_entries.id", ondelete="SET NULL")
    )
    vacancy_id: Mapped[int | None] = mapped_column(ForeignKey("vacancies.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Indexed for the sweep that ends timed-out chats (the open ones, ended_at NULL):
    # without it, each sweep read every chat the fairs ever had, in a write transaction.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    ended_by: Mapped[str | None] = mapped_column(String(16))
    # Minutes the company allows a chat (None: no timer), copied when it starts.
    timer_minutes: Mapped[int | None] = mapped_column(Integer)
    video_url: Mapped[str | None] = mapped_column(String(300))
    # The applicant shared their CV in the chat: the recruiter may open it.
    cv_shared: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    interest: Mapped[str | None] = mapped_column(String(16))
    invited_vacancy_id: Mapped[int | None] = mapped_column(
        ForeignKey("vacancies.id", ondelete="SET NULL")
    )


class ChatMessage(Base):
    """One line of a conversation, stored before it is acknowledged."""

    __tablename__ = "chat_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    sender: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChatSetting(Base):
    """What a company sets for its chats (the timer)."""

    __tablename__ = "company_chat_settings"

    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    timer_minutes: Mapped[int | None] = mapped_column(Integer)


class AbuseReport(Base):
    __tablename__ = "chat_abuse_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    reporter_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reported_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChatBlock(Base):
    """A user the organiser barred from chatting in one fair."""

    __tablename__ = "chat_blocks"
    __table_args__ = (UniqueConstraint("fair_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    blocked_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
