"""The company's side: screening applications, staging status changes (one or in bulk),
releasing and undoing decisions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import AwareDatetime, Field

from jobfair.i18n import N_
from jobfair.schemas.applications import VacancyRef
from jobfair.schemas.base import FieldMessage, RequestModel, ResponseModel
from jobfair.schemas.codes import CompanyStatus, EducationCode, Sex, StatusCode
from jobfair.services.numbers import MAX_ID
from jobfair.services.screening import MAX_NOTE, ScreeningFilters, StageNote

MAX_BULK_IDS = 5000

_NOTE = FieldMessage(N_("A note has 1 to %(limit)s characters."), {"limit": MAX_NOTE})
_STATUS = FieldMessage(N_("Unknown status."))


class ApplicantSummary(ResponseModel):
    id: int
    full_name: str
    sex: Sex
    birth_date: date
    education_level: EducationCode
    ktp_regency_code: str
    domicile_regency_code: str
    has_disability: bool
    is_local: bool = Field(description="KTP regency among the fair's host regencies")


class CompanyApplication(ResponseModel):
    id: int
    status: StatusCode = Field(description="the company's view, staged decisions included")
    released_status: StatusCode = Field(description="what the applicant has been told")
    pending: bool = Field(description="a staged decision not yet released")
    rating: int | None
    submitted_at: AwareDatetime
    vacancy: VacancyRef
    applicant: ApplicantSummary


class CompanyApplicationPage(ResponseModel):
    applications: list[CompanyApplication]
    total: int
    page: int
    pages: int
    counts: dict[str, int] = Field(
        description="applications per status under every filter but the status"
    )


# The list's filters are the service's own model: one home for the page and the API.
ScreeningQuery = ScreeningFilters


BulkIds = Annotated[
    list[Annotated[int, Field(ge=1, le=MAX_ID)]], Field(min_length=1, max_length=MAX_BULK_IDS)
]


class StageRequest(RequestModel):
    status: CompanyStatus
    note: StageNote = Field(default=None, description="the message sent with the decision")

    messages: ClassVar = {"status": _STATUS, "note": _NOTE}


class BulkStageRequest(StageRequest):
    """``ids``, or every application matching ``filter``."""

    ids: BulkIds | None = None
    filter: dict[str, Any] | None = Field(
        default=None, description="the filters of GET /api/v1/company/applications"
    )

    messages: ClassVar = {
        **StageRequest.messages,
        "ids": FieldMessage(N_("Give 1 to %(limit)s application ids."), {"limit": MAX_BULK_IDS}),
        "filter": FieldMessage(N_("Give the application ids or a filter.")),
    }


class BulkStageResult(ResponseModel):
    changed: int
    refused: dict[str, str] = Field(description="application id → why it was not changed")


class ReleaseResult(ResponseModel):
    released: int
    deliver_at: AwareDatetime | None
    undo_seconds: int


class UndoResult(ResponseModel):
    undone: int
