"""Types of the reference-code fields, built from the code lists where they live
(``jobfair.reference`` and the model enums), so the document lists the same codes that
the forms and the database accept."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from jobfair.models.accounts import Role
from jobfair.models.applications import ApplicationStatus, PlacementConfirmation
from jobfair.models.fairs import FAIR_TIMEZONES, FairPhase
from jobfair.models.vacancies import EmploymentType, VacancyStatus
from jobfair.reference.disability import DISABILITY_CODES
from jobfair.reference.education import EDUCATION_LEVELS
from jobfair.reference.employer_types import EMPLOYER_TYPES
from jobfair.reference.kbli import KBLI_SECTIONS
from jobfair.services.screening import COMPANY_STATUSES


def one_of(codes: Iterable[Any]) -> Any:
    """A ``Literal`` of ``codes`` (a JSON Schema ``enum``)."""
    return Literal[tuple(codes)]  # type: ignore[valid-type]


EducationCode = one_of(level.code for level in EDUCATION_LEVELS)
DisabilityCode = one_of(sorted(DISABILITY_CODES))
KbliSection = one_of(section.letter for section in KBLI_SECTIONS)
EmployerTypeCode = one_of(kind.code for kind in EMPLOYER_TYPES)
Timezone = one_of(FAIR_TIMEZONES)
# Drafts are never public, so a fair in the API is in one of the other phases.
PublicFairPhase = one_of(phase.value for phase in FairPhase if phase is not FairPhase.DRAFT)
StatusCode = one_of(status.value for status in ApplicationStatus)
# What a company may move an application to.
CompanyStatus = one_of(sorted(status.value for status in COMPANY_STATUSES))
ConfirmationCode = one_of(value.value for value in PlacementConfirmation)
VacancyStatusCode = one_of(value.value for value in VacancyStatus)
EmploymentTypeCode = one_of(value.value for value in EmploymentType)
RoleCode = one_of(role.value for role in Role)
StaffRole = one_of(role.value for role in Role if role is not Role.APPLICANT)
ApplicantRole = one_of([Role.APPLICANT.value])
# The sex as the KTP and the NIK encode it: laki-laki, perempuan.
Sex = Literal["L", "P"]
