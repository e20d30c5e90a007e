"""Types of the reference-code fields, built from the code lists where they live
(``jobfair.reference`` and the model enums), so the document lists the same codes that
the forms and the database accept."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator

from jobfair.models.accounts import Role
from jobfair.models.applications import ApplicationStatus, PlacementConfirmation
from jobfair.models.fairs import FAIR_TIMEZONES, FairPhase
from jobfair.models.vacancies import EmploymentType, VacancyStatus
from jobfair.reference.countries import is_country, is_work_location
from jobfair.reference.disability import DISABILITY_CODES
from jobfair.reference.education import EDUCATION_LEVELS
from jobfair.reference.employer_types import EMPLOYER_TYPES
from jobfair.reference.kbji import is_valid_kbji
from jobfair.reference.kbli import KBLI_SECTIONS, is_valid_kbli
from jobfair.reference.regions import is_regency, provinces
from jobfair.schemas.problems import refuse
from jobfair.services.screening import COMPANY_STATUSES


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


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


# ------------------------------------------------------- checked reference codes
# Annotated types for input models (forms, the API, events/ files): each checks its
# code against the list in jobfair.reference and refuses with the allowed form.


def _code(check: Callable[[str], bool], english: str) -> Any:
    def validate(value: str) -> str:
        if not check(value):
            raise refuse("code", english.format(value=repr(value)))
        return value

    return Annotated[str, BeforeValidator(_stripped), AfterValidator(validate)]


def _digits(*lengths: int) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        return value.isascii() and value.isdigit() and len(value) in lengths

    return check


def _separators_dropped(value: Any) -> Any:
    # NIB and NPWP are often written with dots, dashes or spaces.
    return re.sub(r"[\s.-]", "", value) if isinstance(value, str) else value


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slug(limit: int = 60, reserved: frozenset[str] = frozenset()) -> Any:
    """Lower-case letters, digits and single hyphens, at most ``limit`` characters."""

    def validate(value: str) -> str:
        if value in reserved:
            raise refuse("slug", f"{value!r} is reserved; choose another slug")
        if len(value) > limit or not SLUG.match(value):
            raise refuse(
                "slug",
                f"{value!r} is not a slug; use lower-case letters, digits and single "
                f"hyphens, at most {limit} characters",
            )
        return value

    return Annotated[str, BeforeValidator(_stripped), AfterValidator(validate)]


Slug = slug()
RegencyCode = _code(
    is_regency,
    "{value} is not a regency or city code; use the Kemendagri code 'PP.RR' of the "
    "reference list (e.g. '12.09' for Kabupaten Asahan)",
)
ProvinceCode = _code(
    lambda value: value in {p.code for p in provinces()},
    "{value} is not a province code; use the two-digit Kemendagri code (e.g. '12')",
)
CountryCode = _code(
    is_country,
    "{value} is not a country abroad; use the ISO 3166-1 code (e.g. 'MY' for Malaysia)",
)
# Where a vacancy's work is: a regency at home, or a country abroad (AKAN).
WorkLocation = _code(
    is_work_location,
    "{value} is not a work location; use a regency or city code 'PP.RR' (e.g. '12.09') "
    "or, for work abroad, an ISO 3166-1 country code (e.g. 'MY')",
)
KbliCode = _code(
    is_valid_kbli, "{value} is not a KBLI 2020 code; expected 5 digits of an existing division"
)
KbjiCode = _code(is_valid_kbji, "{value} is not a KBJI 2014 code; expected 1 to 6 digits")
# The form of a NIK; what its digits say (birth date, age) is read by reference.nik
# against the clock, where a registration is checked.
NikDigits = _code(_digits(16), "{value} is not a NIK; expected 16 digits")
Nib = Annotated[
    _code(_digits(13), "{value} is not a NIB; expected 13 digits"),
    BeforeValidator(_separators_dropped),
]
Npwp = Annotated[
    _code(_digits(15, 16), "{value} is not a NPWP; expected 15 or 16 digits"),
    BeforeValidator(_separators_dropped),
]
# An education level code, as files and forms write it (upper case: SMA, S1).
EducationLevel = Annotated[
    EducationCode,
    BeforeValidator(lambda value: value.strip().upper() if isinstance(value, str) else value),
]
