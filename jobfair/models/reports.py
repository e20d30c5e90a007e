"""Compiled post-event statistics: immutable snapshots, a new version per compilation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.db.base import Base, UTCDateTime, utcnow


class FairReport(Base):
    __tablename__ = "fair_reports"
    __table_args__ = (UniqueConstraint("fair_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    compiled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
