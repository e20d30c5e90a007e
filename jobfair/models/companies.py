"""Companies, their recruiters and invitations, their booths in fairs, and each labour
office's verification of them.

Verification belongs to the office: an office decides for its own fairs only. A company
an office has rejected is off the public pages of that office's fairs (its booths and
vacancies), takes no applications there, and its recruiters no longer reach the
applicants of those fairs; other offices' fairs are untouched. No row for an office
means the office has not decided yet (pending), which hides nothing.
"""

from __future__ import annotations

import enum
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy import exists as sql_exists
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from jobfair.db.base import Base, UTCDateTime, utcnow
from jobfair.models.fairs import Fair, LabourOffice


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
    # Edits to an approved booth wait here for the office's review (field → new value,
    # fields of BOOTH_CONTENT only); the public sees the approved columns above.
    pending_changes: Mapped[dict[str, str | None] | None] = mapped_column(JSON(none_as_null=True))
    changes_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Why the office turned the last edits down (shown to the company).
    changes_reason: Mapped[str | None] = mapped_column(Text)

    company: Mapped[Company] = relationship(lazy="joined")


# What a company says on its booth and an office reviews before the public sees it.
BOOTH_CONTENT = ("description", "video_url", "contact_email", "contact_phone", "logo_file")


class OfficeVerification(Base):
    """One labour office's decision on one company (see the module docstring); its
    reason is shown to the company and to that office, never to another office."""

    __tablename__ = "company_verifications"
    __table_args__ = (UniqueConstraint("company_id", "office_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    office_id: Mapped[int] = mapped_column(
        ForeignKey("labour_offices.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=CompanyVerification.PENDING)
    # Why the office rejected the company, shown to its recruiters.
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    office: Mapped[LabourOffice] = relationship(lazy="joined")


def rejected_by_office(booth: Any = Booth) -> ColumnElement[bool]:
    """The labour office running the booth's fair has rejected the booth's company.

    ``booth`` is the Booth entity or an alias of it; the fair and the decision are
    looked up in a subquery of their own (aliased, so a query that already joins Fair
    is not correlated into it). Built once for the entity itself, like
    ``models.vacancies.is_public``."""
    if booth is Booth:
        return _booth_rejected()
    return _build_rejected_by_office(booth)


@cache
def _booth_rejected() -> ColumnElement[bool]:
    return _build_rejected_by_office(Booth)


def _build_rejected_by_office(booth: Any) -> ColumnElement[bool]:
    fair = aliased(Fair)
    decision = aliased(OfficeVerification)
    return (
        sql_exists()
        .where(
            fair.id == booth.fair_id,
            decision.office_id == fair.office_id,
            decision.company_id == booth.company_id,
            decision.status == CompanyVerification.REJECTED,
        )
        .correlate_except(fair, decision)
    )


def is_public_booth(booth: Any = Booth) -> ColumnElement[bool]:
    """Public: the booth the catalogue, the API, the counts and the report show. The
    organiser approved it and the fair's office has not rejected its company. The one
    definition (``models.vacancies.is_public`` builds on it)."""
    if booth is Booth:
        return _public_booth()
    return _build_is_public_booth(booth)


@cache
def _public_booth() -> ColumnElement[bool]:
    return _build_is_public_booth(Booth)


def _build_is_public_booth(booth: Any) -> ColumnElement[bool]:
    return and_(booth.status == BoothStatus.APPROVED, ~rejected_by_office(booth))


def company_reaches(company_id: Any, booth: Any = Booth) -> ColumnElement[bool]:
    """The booths whose applicants a company's recruiters may read and act on: the
    company's own, in fairs whose office has not rejected it. The one home of that
    rule for the application list and detail, contacts, CVs, exports and the API."""
    return and_(booth.company_id == company_id, ~rejected_by_office(booth))
