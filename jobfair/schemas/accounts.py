"""Accounts and applicants: tokens, registration, the own profile and CV, the data
export (UU PDP) and account deletion."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import AwareDatetime, Field, RootModel

from jobfair.i18n import N_
from jobfair.schemas.base import FieldMessage, RequestModel, ResponseModel
from jobfair.schemas.codes import (
    ApplicantRole,
    DisabilityCode,
    EducationCode,
    RoleCode,
    Sex,
    StaffRole,
    StatusCode,
)
from jobfair.services.accounts import MAX_PASSWORD, MIN_PASSWORD
from jobfair.services.applicants import AK1_PATTERN, TEXT_LIMITS
from jobfair.services.requirements import EXPERIENCE_MAX

_LOGIN = FieldMessage(N_("Enter a valid e-mail address."))


def _text(name: str) -> Any:
    return Field(default=None, max_length=TEXT_LIMITS[name])


# ------------------------------------------------------------------------ tokens


class TokenRequest(RequestModel):
    """Sign in with the e-mail address or the phone number (``login`` takes either)."""

    email: str | None = Field(default=None, json_schema_extra={"format": "email"})
    phone: str | None = None
    login: str | None = Field(default=None, description="an e-mail address or a phone number")
    password: str
    name: str | None = Field(default=None, description="a label for the token (default api)")

    messages: ClassVar = {
        "email": _LOGIN,
        "phone": _LOGIN,
        "login": _LOGIN,
        "password": FieldMessage(N_("The e-mail, phone number or password is wrong.")),
    }

    @property
    def identifier(self) -> str:
        return self.email or self.phone or self.login or ""


class Token(ResponseModel):
    token: str = Field(description="send as `Authorization: Bearer <token>`")
    id: int
    role: RoleCode


# ---------------------------------------------------------------------- applicants


class _ProfileFields(RequestModel):
    """What registration and the profile edit share. These bodies are read by the
    applicant service, which is the home of their rules and messages; the models say
    what the fields are."""

    full_name: str | None = _text("full_name")
    email: str | None = Field(
        default=None, json_schema_extra={"format": "email"}, description="email and/or phone"
    )
    phone: str | None = Field(
        default=None, description="Indonesian mobile number, e.g. 081234567890"
    )
    birth_place: str | None = _text("birth_place")
    education_level: EducationCode | None = None
    education_major: str | None = _text("education_major")
    institution: str | None = _text("institution")
    graduation_year: int | None = None
    experience_years: int | None = Field(
        default=None, ge=0, le=EXPERIENCE_MAX, description="whole years of work; 0 for none"
    )
    domicile_regency_code: str | None = Field(
        default=None, description="dotted Kemendagri code, e.g. 12.09"
    )
    disability: list[DisabilityCode] | None = None
    # Empty means none, as on the form.
    ak1_number: str | None = Field(default=None, pattern="^$|" + AK1_PATTERN.pattern)
    skills: str | None = _text("skills")


class Registration(_ProfileFields):
    """``POST /api/v1/applicants`` (DESIGN §7): the fields of the KTP and the consent."""

    nik: str = Field(pattern=r"^[0-9]{16}$")
    full_name: str = Field(max_length=TEXT_LIMITS["full_name"])  # type: ignore[assignment]
    password: str = Field(min_length=MIN_PASSWORD, max_length=MAX_PASSWORD)
    # Field-level lax: the ISO text of a JSON body is the date.
    birth_date: date = Field(strict=False)
    sex: Sex
    education_level: EducationCode  # type: ignore[assignment]
    ktp_regency_code: str = Field(description="dotted Kemendagri code, e.g. 12.09")
    domicile_regency_code: str  # type: ignore[assignment]
    consent: Literal[True] = Field(description="the applicant agrees to the processing")


class ProfileUpdate(_ProfileFields):
    """``PATCH /api/v1/me``: only the fields present change. NIK, sex, birth date and KTP
    regency come from the KTP and cannot be changed (they are ignored)."""


class DeleteAccount(RequestModel):
    password: str = ""

    messages: ClassVar = {"password": FieldMessage(N_("The password is wrong."))}


class CvInfo(ResponseModel):
    filename: str
    size_bytes: int
    uploaded_at: AwareDatetime


class Profile(ResponseModel):
    id: int
    role: ApplicantRole
    full_name: str
    email: str | None
    phone: str | None
    nik: str = Field(description="masked: region and serial only")
    sex: Sex
    birth_date: date
    birth_place: str | None
    education_level: EducationCode
    education_major: str | None
    institution: str | None
    graduation_year: int | None
    experience_years: int | None = Field(description="whole years; null when not said")
    ktp_regency_code: str
    domicile_regency_code: str
    disability: list[DisabilityCode]
    ak1_number: str | None
    skills: str
    cv: CvInfo | None


class Account(ResponseModel):
    """``GET /api/v1/me`` for recruiters, organisers and administrators."""

    id: int
    role: StaffRole
    full_name: str
    email: str | None
    phone: str | None


class Me(RootModel[Profile | Account]):
    """The applicant's profile, or a staff account."""


# ------------------------------------------------------------------- data export


class ExportAccount(ResponseModel):
    full_name: str
    email: str | None
    phone: str | None
    role: RoleCode
    created_at: AwareDatetime
    last_login_at: AwareDatetime | None


class ExportProfile(ResponseModel):
    nik: str | None = Field(description="the whole NIK: this is the owner's own copy")
    sex: Sex
    birth_date: date
    birth_place: str | None
    education_level: EducationCode
    education_major: str | None
    institution: str | None
    graduation_year: int | None
    experience_years: int | None
    ktp_regency_code: str
    domicile_regency_code: str
    disability: list[DisabilityCode]
    ak1_number: str | None
    skills: str
    consent_at: AwareDatetime
    consent_version: str


class ExportCv(CvInfo):
    sha256: str


class ExportCvView(ResponseModel):
    company: str
    viewed_at: AwareDatetime


class ExportEvent(ResponseModel):
    status: StatusCode
    at: AwareDatetime | None


class ExportApplication(ResponseModel):
    id: int
    fair: str = Field(description="the fair's slug")
    vacancy: str = Field(description="the vacancy's title")
    company: str = Field(description="the company's name")
    status: StatusCode
    submitted_at: AwareDatetime
    timeline: list[ExportEvent]


class ExportNotification(ResponseModel):
    subject: str
    body: str
    created_at: AwareDatetime
    read_at: AwareDatetime | None


class MyData(ResponseModel):
    """Everything held about the applicant (UU PDP 27/2022, right of access)."""

    account: ExportAccount
    profile: ExportProfile
    cv: ExportCv | None
    cv_views: list[ExportCvView]
    applications: list[ExportApplication]
    notifications: list[ExportNotification]
