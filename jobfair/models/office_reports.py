"""A labour office's statistics over a period (the IPK III tables across all of its
fairs): the organisers' requests and the immutable versions compiled for them, as the
fair report keeps them (``models.reports``), numbered per office and period."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.db.base import Base, UTCDateTime, utcnow


class OfficeReportRequest(Base):
    """An organiser's request for a new version of the office's statistics over one
    period. As for fairs, the row is the request and the sweep compiles any still
    without ``compiled_at``; the version points here (unique)."""

    __tablename__ = "office_report_requests"
    __table_args__ = (Index("ix_office_report_requests_pending", "compiled_at", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(
        ForeignKey("labour_offices.id", ondelete="CASCADE"), index=True
    )
    period_kind: Mapped[str] = mapped_column(String(16))
    period_number: Mapped[int] = mapped_column(Integer, default=0)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    requested_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    compiled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OfficeReport(Base):
    """One compiled version of an office's statistics over a period (``period_key``
    is ``services.periods.Period.key``: ``2024-Q1``, ``2024-07``…)."""

    __tablename__ = "office_reports"
    __table_args__ = (UniqueConstraint("office_id", "period_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("labour_offices.id", ondelete="CASCADE"))
    period_key: Mapped[str] = mapped_column(String(32))
    period_kind: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    compiled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("office_report_requests.id", ondelete="SET NULL"), unique=True
    )
