"""Applicant profiles (one per applicant user) and their CV files.

The NIK is personal data (UU PDP 27/2022): stored encrypted, with a keyed hash for
uniqueness and a masked form for display. Sex, birth date, education and regencies stay
after an account is deleted (``anonymised_at`` set, identity erased) so that the
aggregate statistics of past fairs remain right.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jobfair.db.base import Base, UTCDateTime, utcnow


class Applicant(Base):
    __tablename__ = "applicants"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Nullable: an anonymised applicant has no user any more.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    nik_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    nik_hmac: Mapped[str | None] = mapped_column(String(64), unique=True)
    nik_masked: Mapped[str | None] = mapped_column(String(24))
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    birth_place: Mapped[str | None] = mapped_column(String(100))
    education_level: Mapped[str] = mapped_column(String(4))
    education_major: Mapped[str | None] = mapped_column(String(200))
    institution: Mapped[str | None] = mapped_column(String(200))
    graduation_year: Mapped[int | None] = mapped_column(Integer)
    # The occupation the job seeker looks for: a KBJI 2014 code of 1 to 6 digits, as a
    # vacancy's (jobfair.reference.kbji); None when not stated. IPK III/3 counts it by
    # major group.
    sought_kbji_code: Mapped[str | None] = mapped_column(String(6))
    # Whole years of work experience; None when the applicant has not said (profiles
    # made before the question was asked), which a vacancy asking for experience treats
    # as not shown rather than as none.
    experience_years: Mapped[int | None] = mapped_column(Integer)
    ktp_regency_code: Mapped[str] = mapped_column(String(5), index=True)
    domicile_regency_code: Mapped[str] = mapped_column(String(5))
    has_disability: Mapped[bool] = mapped_column(Boolean, default=False)
    # Comma-separated codes of jobfair.reference.disability (several may apply).
    disability_kinds: Mapped[str] = mapped_column(String(200), default="")
    ak1_number: Mapped[str | None] = mapped_column(String(24))
    skills: Mapped[str] = mapped_column(Text, default="")
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    consent_version: Mapped[str] = mapped_column(String(16), default="1")
    # Consent to share the profile with the ministry's systems (SIAPkerja/Karirhub), a
    # purpose of its own (UU PDP: consent per purpose); only these profiles are in the
    # interchange export. None: not given, or withdrawn (services.applicants
    # .set_interchange_consent; the time of a withdrawal is kept below).
    interchange_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    interchange_consent_withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A walk-in registration: the placement officer who registered the person at the
    # office and recorded their consent ("assisted"); None for self-registration.
    assisted_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_ak1_holder(self) -> bool:
        return bool(self.ak1_number)


class Cv(Base):
    """An uploaded CV; the file lives outside ``static/`` under a random name."""

    __tablename__ = "cvs"

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(
        ForeignKey("applicants.id", ondelete="CASCADE"), index=True
    )
    storage_name: Mapped[str] = mapped_column(String(100), unique=True)
    original_filename: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CvView(Base):
    """Who opened a CV and when (UU PDP: the applicant can see every access)."""

    __tablename__ = "cv_views"
    __table_args__ = (Index("ix_cv_views_applicant", "applicant_id", "viewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cv_id: Mapped[int | None] = mapped_column(ForeignKey("cvs.id", ondelete="SET NULL"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="CASCADE"))
    viewer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The company a recruiter viewed for, kept even if the recruiter's account goes.
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"))
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
