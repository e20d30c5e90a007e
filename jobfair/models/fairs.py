"""Labour offices and their time-boxed fairs.

A fair's stored ``status`` is the organiser's decision (draft, published, cancelled);
whether it is upcoming, open or closed is derived from the clock by ``Fair.phase``.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.db.base import Base, UTCDateTime, utcnow

FAIR_TIMEZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
TIMEZONE_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


class FairStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class FairPhase(enum.StrEnum):
    DRAFT = "draft"
    CANCELLED = "cancelled"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


class LabourOffice(Base):
    __tablename__ = "labour_offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    province_code: Mapped[str | None] = mapped_column(String(2))
    regency_code: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The report's letterhead and signature block, set by the office's organisers
    # (services.offices); None until set.
    address: Mapped[str | None] = mapped_column(Text)
    # A file under uploads/logos, stored as booth logos are (services.companies).
    logo_file: Mapped[str | None] = mapped_column(String(100))
    signing_place: Mapped[str | None] = mapped_column(String(100))
    signer_name: Mapped[str | None] = mapped_column(String(200))
    signer_nip: Mapped[str | None] = mapped_column(String(18))  # the 18 digits
    signer_position: Mapped[str | None] = mapped_column(String(200))


class Fair(Base):
    __tablename__ = "fairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("labour_offices.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(32), default="Asia/Jakarta")
    registration_opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decision_deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    local_hiring_target: Mapped[int | None] = mapped_column(Integer)
    application_cap: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=FairStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    office: Mapped[LabourOffice] = relationship(lazy="joined")
    host_regencies: Mapped[list[FairHostRegency]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="FairHostRegency.regency_code"
    )

    @property
    def host_regency_codes(self) -> list[str]:
        return [host.regency_code for host in self.host_regencies]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def timezone_abbreviation(self) -> str:
        return TIMEZONE_ABBREVIATIONS.get(self.timezone, self.timezone)

    def local(self, moment: datetime) -> datetime:
        """``moment`` as wall time in the fair's timezone."""
        return moment.astimezone(self.zone)

    def phase(self, now: datetime) -> FairPhase:
        """Where the fair stands at ``now``: open from ``opens_at`` up to, not including,
        ``closes_at``."""
        if self.status == FairStatus.DRAFT:
            return FairPhase.DRAFT
        if self.status == FairStatus.CANCELLED:
            return FairPhase.CANCELLED
        if now < self.opens_at:
            return FairPhase.UPCOMING
        if now < self.closes_at:
            return FairPhase.OPEN
        return FairPhase.CLOSED

    def registration_open(self, now: datetime) -> bool:
        return (
            self.status == FairStatus.PUBLISHED
            and self.registration_opens_at <= now < self.closes_at
        )


class FairHostRegency(Base):
    """A regency hosting the fair: applicants whose KTP regency is one of these are local.

    A table rather than a list column so the statistics can test residence in SQL.
    """

    __tablename__ = "fair_host_regencies"

    fair_id: Mapped[int] = mapped_column(
        ForeignKey("fairs.id", ondelete="CASCADE"), primary_key=True
    )
    regency_code: Mapped[str] = mapped_column(String(5), primary_key=True)


def is_local(ktp_regency_code: Any, fair_id: Any) -> ColumnElement[bool]:
    """Local: the applicant's KTP regency is one of the fair's host regencies. The one
    definition of "local" for the screening table, the exports and the report."""
    return ktp_regency_code.in_(
        select(FairHostRegency.regency_code).where(FairHostRegency.fair_id == fair_id)
    )
