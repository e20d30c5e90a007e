"""Vacancies with the content Perpres 57/2023 asks of a vacancy report."""

from __future__ import annotations

import enum
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    exists,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from jobfair.db.base import Base, UTCDateTime, utcnow
from jobfair.models.companies import Booth, is_public_booth
from jobfair.models.fairs import Fair, FairStatus


class VacancyStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class VacancyVerification(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class EmploymentType(enum.StrEnum):
    PKWTT = "pkwtt"  # permanent
    PKWT = "pkwt"  # fixed-term contract
    MAGANG = "magang"  # internship
    HARIAN = "harian"  # daily work
    PARUH_WAKTU = "paruh_waktu"  # part-time
    KEMITRAAN = "kemitraan"  # partnership


class Vacancy(Base):
    __tablename__ = "vacancies"
    __table_args__ = (
        UniqueConstraint("booth_id", "ref"),
        Index("ix_vacancies_fair_public", "fair_id", "verification", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booth_id: Mapped[int] = mapped_column(ForeignKey("booths.id", ondelete="CASCADE"), index=True)
    # Copied from the booth (never changes) so listing and statistics by fair need no join.
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"))
    # Stable key from an events/ definition, so loading a file twice updates in place.
    ref: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    kbji_code: Mapped[str] = mapped_column(String(6))
    openings_male: Mapped[int] = mapped_column(Integer, default=0)
    openings_female: Mapped[int] = mapped_column(Integer, default=0)
    openings_either: Mapped[int] = mapped_column(Integer, default=0)
    education_min: Mapped[str] = mapped_column(String(4))
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    experience_years: Mapped[int] = mapped_column(Integer, default=0)
    skills: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    salary_min: Mapped[int | None] = mapped_column(Integer)
    salary_max: Mapped[int | None] = mapped_column(Integer)
    work_regency_code: Mapped[str] = mapped_column(String(5))
    employment_type: Mapped[str] = mapped_column(String(16))
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=VacancyStatus.OPEN)
    verification: Mapped[str] = mapped_column(String(16), default=VacancyVerification.PENDING)
    verification_reason: Mapped[str | None] = mapped_column(Text)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    filled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    booth: Mapped[Booth] = relationship(lazy="joined")

    @property
    def openings(self) -> int:
        return self.openings_male + self.openings_female + self.openings_either

    @property
    def skill_list(self) -> list[str]:
        return [skill for skill in self.skills.split("\n") if skill.strip()]


def is_public(vacancy: Any = Vacancy) -> ColumnElement[bool]:
    """Public: the vacancy the public catalogue, the API, the live counts, the report
    and applying all see. It is verified by the organiser, its booth is public
    (``models.companies.is_public_booth``: approved, and the company not rejected by the
    fair's office) and its fair is not a draft (a cancelled fair stays visible, with its
    vacancies). A closed vacancy or one past its deadline stays public: it is shown as
    closed, not hidden.

    The one definition; ``vacancy`` is the Vacancy entity or an alias of it. The booth
    and the fair are looked up by key in subqueries of their own (aliased, so a query
    that already joins Booth or Fair is not correlated into them). For the entity
    itself the expression is built once (:func:`_public_vacancy`)."""
    if vacancy is Vacancy:
        return _public_vacancy()
    return _build_is_public(vacancy)


@cache
def _public_vacancy() -> ColumnElement[bool]:
    # Building the predicate (aliases, subqueries, comparisons of instrumented
    # attributes) cost a request more than running it: ~30 ms of CPU for the counts of
    # /api/v1/fairs. A built expression is immutable and may sit in any statement.
    return _build_is_public(Vacancy)


def _build_is_public(vacancy: Any) -> ColumnElement[bool]:
    booth = aliased(Booth)
    fair = aliased(Fair)
    return and_(
        vacancy.verification == VacancyVerification.VERIFIED,
        exists()
        .where(booth.id == vacancy.booth_id, is_public_booth(booth))
        .correlate_except(booth),
        exists()
        .where(fair.id == vacancy.fair_id, fair.status != FairStatus.DRAFT)
        .correlate_except(fair),
    )
