"""Accounts and applicants: tokens, registration, the own profile and CV, the data
export (UU PDP) and account deletion."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

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

# Registration and the profile edit are the applicant's typed input; they live with
# their rules in jobfair.schemas.profile and are named here with the other account models.
from jobfair.schemas.profile import ProfileUpdate as ProfileUpdate
from jobfair.schemas.profile import Registration as Registration

_LOGIN = FieldMessage(N_("Enter a valid e-mail address."))


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


class RegistrationReceived(ResponseModel):
    """The answer to a registration, the same whether the account was made or its NIK,
    e-mail or phone was registered already (then the owner is mailed): it tells
    nobody whose details are on the platform. Sign in next (``POST /api/v1/tokens``)."""

    status: Literal["received"] = "received"
    sign_in: str = Field(default="/api/v1/tokens", description="where to sign in next")


# ---------------------------------------------------------------------- applicants


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
    sought_kbji_code: str | None = Field(
        default=None, description="KBJI 2014 code of the occupation sought; null: not stated"
    )
    ktp_regency_code: str
    domicile_regency_code: str
    disability: list[DisabilityCode]
    ak1_number: str | None
    skills: str
    interchange_consent_at: AwareDatetime | None = Field(
        default=None,
        description="when the consent to be shared with the ministry's systems was given; "
        "null: not given or withdrawn",
    )
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
    sought_kbji_code: str | None = Field(
        default=None, description="KBJI 2014 code of the occupation sought"
    )
    ktp_regency_code: str
    domicile_regency_code: str
    disability: list[DisabilityCode]
    ak1_number: str | None
    skills: str
    consent_at: AwareDatetime
    consent_version: str
    interchange_consent_at: AwareDatetime | None = Field(
        default=None, description="consent to be shared with the ministry's systems"
    )
    interchange_consent_withdrawn_at: AwareDatetime | None = Field(
        default=None, description="when that consent was last withdrawn"
    )
    assisted: bool = Field(
        default=False, description="registered at the labour office by a placement officer"
    )


class ExportCv(CvInfo):
    sha256: str


class ExportCvView(ResponseModel):
    company: str
    viewed_at: AwareDatetime


class ExportEvent(ResponseModel):
    status: StatusCode
    at: AwareDatetime | None
    note: str | None = Field(description="the note the company sent with the decision")


class ExportNote(ResponseModel):
    body: str
    written_at: AwareDatetime


class ExportApplication(ResponseModel):
    id: int
    fair: str = Field(description="the fair's slug")
    vacancy: str = Field(description="the vacancy's title")
    company: str = Field(description="the company's name")
    status: StatusCode
    submitted_at: AwareDatetime
    timeline: list[ExportEvent]
    rating: int | None = Field(description="the company's rating of the application, if any")
    recruiter_notes: list[ExportNote] = Field(
        description="the company's private notes on the application"
    )


class ExportNotification(ResponseModel):
    subject: str
    body: str
    created_at: AwareDatetime
    read_at: AwareDatetime | None


class ExportChatMessage(ResponseModel):
    sender: str = Field(description="who wrote it: applicant or recruiter")
    body: str
    at: AwareDatetime


class ExportBoothChat(ResponseModel):
    company: str = Field(description="the company whose booth the chat was at")
    started_at: AwareDatetime
    ended_at: AwareDatetime | None
    video_url: str | None = Field(description="the video-call link the recruiter added")
    note: str | None = Field(description="the recruiter's note after the chat")
    interest: str | None = Field(description="the recruiter's interested / not interested")
    messages: list[ExportChatMessage]


class ExportSlotBooking(ResponseModel):
    fair: str = Field(description="the fair's slug")
    company: str = Field(description="the company whose booth offered the 1:1 slot")
    starts_at: AwareDatetime
    minutes: int = Field(description="the slot's length")
    state: Literal["booked", "cancelled", "attended", "missed"]
    booked_at: AwareDatetime
    cancelled_at: AwareDatetime | None
    marked_at: AwareDatetime | None = Field(
        description="when the company marked it attended or missed"
    )


class ExportBoothMessage(ResponseModel):
    fair: str = Field(description="the fair's slug")
    company: str = Field(description="the company whose booth the message was left at")
    vacancy: str | None = Field(description="the vacancy it was about, if any")
    body: str = Field(description="what the applicant wrote")
    left_at: AwareDatetime
    answer: str | None = Field(description="the company's answer, once answered")
    answered_at: AwareDatetime | None


class MyData(ResponseModel):
    """Everything held about the applicant (UU PDP 27/2022, right of access)."""

    account: ExportAccount
    profile: ExportProfile
    cv: ExportCv | None
    cv_views: list[ExportCvView]
    applications: list[ExportApplication]
    notifications: list[ExportNotification]
    booth_chats: list[ExportBoothChat] = Field(
        description="the booth chats with their whole transcripts (services.conversations)"
    )
    slot_bookings: list[ExportSlotBooking] = Field(
        description="the 1:1 slots booked at booths, cancelled ones too (services.booth_slots)"
    )
    booth_messages: list[ExportBoothMessage] = Field(
        description="the messages left at booths, with the companies' answers "
        "(services.booth_slots)"
    )
