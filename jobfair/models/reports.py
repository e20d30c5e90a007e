"""Compiled post-event statistics: immutable snapshots, a new version per compilation,
and the organisers' requests for one (durable, so a request outlives a Redis outage)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.db.base import Base, UTCDateTime, utcnow


class ReportRequest(Base):
    """An organiser's (or admin's) request for a new report version of a fair.

    The row is the request: the task queue only speeds it up, and the sweep compiles any
    request still without ``compiled_at``. ``compiled_at`` is set in the transaction that
    writes the version (whose ``request_id`` points here, unique), or when the request
    is closed without one (the fair stopped being published meanwhile). The link lives
    on the report only, so the two tables do not reference each other in a cycle.
    """

    __tablename__ = "report_requests"
    # The sweep's question: the pending ones, oldest first.
    __table_args__ = (Index("ix_report_requests_pending", "compiled_at", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    # Kept when the account goes (the report is the office's, not the person's).
    requested_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    compiled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FairReport(Base):
    __tablename__ = "fair_reports"
    __table_args__ = (UniqueConstraint("fair_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    compiled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The request this version answers (None: the scheduled compile at the close, the
    # sweep's, the command line's). Unique: a re-run of the same request — a worker
    # killed after the commit, the sweep meeting the queued job — writes no second one.
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("report_requests.id", ondelete="SET NULL"), unique=True
    )
