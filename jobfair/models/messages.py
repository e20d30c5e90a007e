"""Outgoing messages: the outbox the worker sends from, and the in-app inbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.db.base import Base, UTCDateTime, utcnow


def new_message_id() -> str:
    """A globally unique ``Message-ID`` header value, fixed when the row is made: every
    attempt sends the same one, so a re-send after a crash is recognisable downstream."""
    return f"<{uuid.uuid4().hex}@jobfair.local>"


class Outbox(Base):
    """An e-mail owed to someone; rows without ``sent_at`` or ``failed_at`` are re-driven
    by the sweep (jobfair.services.mail holds the rules)."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_unsent", "sent_at", "id"),
        # The console's count and /healthz read the failed rows often; keep them cheap.
        Index("ix_outbox_failed", "failed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Makes enqueueing idempotent: the same logical message is written once.
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    template: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Attempts since the row was made or last retried by an organiser.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Safe to show an organiser: no credentials, addresses masked (services.mail).
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(255), default=new_message_id)
    # A run that is sending the row holds it until then; nobody else claims it before.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Not tried again before then (the backoff); NULL means at once.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set at the first failure: the row is given up (failed_at) after a failure then.
    retry_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Notification(Base):
    """An in-app message. It stores what happened (``kind`` and ``params``, see
    jobfair.services.notifications) and is worded when shown, in the reader's language
    of the moment. ``subject`` and ``body`` hold the finished text of rows written
    before kinds existed (migration 0014); new rows leave them empty."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str | None] = mapped_column(String(60))
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
