"""Companies, their recruiters and invitations, and their booths in fairs."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobfair.db.base import Base, UTCDateTime, utcnow


class CompanyVerification(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class RecruiterRole(enum.StrEnum):
    OWNER = "owner"
    RECRUITER = "recruiter"


class BoothStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    nib: Mapped[str] = mapped_column(String(13), unique=True)
    npwp: Mapped[str | None] = mapped_column(String(16))
    kbli: Mapped[str] = mapped_column(String(5))
    # KBLI section letter, derived from ``kbli`` on write so reports can GROUP BY it.
    kbli_section: Mapped[str] = mapped_column(String(1), index=True)
    employer_type: Mapped[int] = mapped_column(Integer)
    regency_code: Mapped[str] = mapped_column(String(5))
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    verification: Mapped[str] = mapped_column(String(16), default=CompanyVerification.PENDING)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Why an organiser rejected the company, shown to its recruiters.
    verification_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Recruiter(Base):
    """Membership of a user in a company."""

    __tablename__ = "recruiters"
    __table_args__ = (UniqueConstraint("company_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default=RecruiterRole.RECRUITER)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CompanyInvitation(Base):
    __tablename__ = "company_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Booth(Base):
    """A company's presence in one fair."""

    __tablename__ = "booths"
    __table_args__ = (UniqueConstraint("fair_id", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=BoothStatus.REQUESTED)
    description: Mapped[str] = mapped_column(Text, default="")
    logo_file: Mapped[str | None] = mapped_column(String(100))
    video_url: Mapped[str | None] = mapped_column(String(300))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    company: Mapped[Company] = relationship(lazy="joined")
