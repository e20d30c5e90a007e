"""The public catalogue: fairs with live counts, booths and vacancies, and the query
parameters of their listings. Times are ISO 8601 UTC, money integer rupiah."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import AwareDatetime, Field, NonNegativeInt

from jobfair.i18n import N_
from jobfair.schemas.base import FieldMessage, ResponseModel
from jobfair.schemas.codes import (
    EducationCode,
    EmployerTypeCode,
    EmploymentTypeCode,
    KbliSection,
    PublicFairPhase,
    Timezone,
    VacancyStatusCode,
)
from jobfair.services.catalogue import CatalogueFilters
from jobfair.services.filters import WholeNumber

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
MAX_OFFSET = 10_000_000


class SlugAndName(ResponseModel):
    slug: str
    name: str


class Counts(ResponseModel):
    companies: NonNegativeInt
    booths: NonNegativeInt
    vacancies: NonNegativeInt
    openings: NonNegativeInt
    applicants: NonNegativeInt
    applications: NonNegativeInt
    hires: NonNegativeInt = Field(
        description="hires confirmed by applicants (reported hires the applicant confirmed)"
    )
    online: NonNegativeInt = Field(description="people with the fair's pages open now")


class Fair(ResponseModel):
    slug: str
    name: str
    description: str
    office: SlugAndName
    timezone: Timezone
    status: PublicFairPhase
    registration_opens_at: AwareDatetime
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    decision_deadline: AwareDatetime
    host_regency_codes: list[str]
    local_hiring_target: int | None
    application_cap: int | None
    counts: Counts


class FairList(ResponseModel):
    fairs: list[Fair]


class Company(ResponseModel):
    slug: str
    name: str
    kbli: str
    sector: KbliSection = Field(description="KBLI 2020 section letter")
    employer_type: EmployerTypeCode = Field(description="IPK III/8 employer type, 21–26")
    regency_code: str
    website: str | None


class Booth(ResponseModel):
    id: int
    company: Company
    description: str
    video_url: str | None
    vacancies: int
    openings: int


class BoothList(ResponseModel):
    booths: list[Booth]
    total: int


class VacancyCompany(ResponseModel):
    slug: str
    name: str
    sector: KbliSection


class Openings(ResponseModel):
    male: int
    female: int
    either: int
    total: int


class Vacancy(ResponseModel):
    id: int
    title: str
    company: VacancyCompany
    kbji_code: str
    openings: Openings
    education_min: EducationCode
    age_min: int | None
    age_max: int | None
    experience_years: int
    skills: list[str]
    description: str
    salary_min: int | None
    salary_max: int | None
    work_regency_code: str = Field(
        description="where the work is: a regency code (12.09) or, abroad, a country (MY)"
    )
    employment_type: EmploymentTypeCode
    deadline: date | None
    status: VacancyStatusCode


class VacancyPage(ResponseModel):
    vacancies: list[Vacancy]
    total: int
    limit: int
    offset: int


# The listings' filters are the service's own model: one home for the pages and the API.
CatalogueQuery = CatalogueFilters


class VacancyQuery(CatalogueFilters):
    """The vacancy listing's filters and its page."""

    limit: WholeNumber = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: WholeNumber = Field(default=0, ge=0, le=MAX_OFFSET)

    messages: ClassVar = {
        **CatalogueFilters.messages,
        "limit": FieldMessage(N_("A whole number from 1 to %(limit)s."), {"limit": MAX_LIMIT}),
        "offset": FieldMessage(N_("A whole number from 0 to %(limit)s."), {"limit": MAX_OFFSET}),
    }
