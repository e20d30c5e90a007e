"""Hiring drives: an office's programme to place a number of people over some days,
across several fairs and placements reported outside any fair.

A drive has a locality rule (the KTP regencies whose residents count as local), partner
companies and linked fairs of its office. A partner company's recruiter may report a
placement made outside any fair (``DirectPlacement``); like a fair hire it counts only
once the applicant confirms it, through the same answer
(:func:`jobfair.services.screening.answer_placement`) and the same predicate
(:func:`jobfair.models.applications.is_confirmed`).

A direct placement is a table of its own rather than a ``Placement`` with no
application: every fair figure joins ``placements`` to ``applications`` and filters by
``fair_id``, and a row with neither would be one silent inner join away from leaking
into a fair's IPK tables.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.db.base import Base, UTCDateTime, utcnow
from jobfair.models.applications import PlacementConfirmation


class Drive(Base):
    __tablename__ = "drives"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(
        ForeignKey("labour_offices.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    # Whole days in the office's zone, both inclusive (services.periods.Period.between).
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    # People to place (not a percent).
    target: Mapped[int] = mapped_column(Integer)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    regencies: Mapped[list[DriveRegency]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="DriveRegency.regency_code"
    )

    @property
    def regency_codes(self) -> list[str]:
        return [row.regency_code for row in self.regencies]


class DriveRegency(Base):
    """The locality rule: an applicant whose KTP regency is listed counts as local."""

    __tablename__ = "drive_regencies"

    drive_id: Mapped[int] = mapped_column(
        ForeignKey("drives.id", ondelete="CASCADE"), primary_key=True
    )
    regency_code: Mapped[str] = mapped_column(String(5), primary_key=True)


class DrivePartner(Base):
    __tablename__ = "drive_partners"

    drive_id: Mapped[int] = mapped_column(
        ForeignKey("drives.id", ondelete="CASCADE"), primary_key=True
    )
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DriveFair(Base):
    __tablename__ = "drive_fairs"

    drive_id: Mapped[int] = mapped_column(
        ForeignKey("drives.id", ondelete="CASCADE"), primary_key=True
    )
    fair_id: Mapped[int] = mapped_column(
        ForeignKey("fairs.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class DirectPlacement(Base):
    """A hire outside any fair, reported against a drive by a partner company; it counts
    once the applicant confirms it (the columns mirror ``Placement``'s answer)."""

    __tablename__ = "direct_placements"
    __table_args__ = (
        UniqueConstraint("drive_id", "company_id", "applicant_id"),
        Index("ix_direct_placements_drive", "drive_id", "confirmation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("drives.id", ondelete="CASCADE"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), index=True
    )
    reported_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    start_date: Mapped[date] = mapped_column(Date)
    job_title: Mapped[str] = mapped_column(String(200))
    confirmation: Mapped[str] = mapped_column(String(16), default=PlacementConfirmation.PENDING)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    denial_reason: Mapped[str | None] = mapped_column(Text)
