"""The applicant's side of applications: own applications with their released status
and timeline, notifications, and the answer to a reported hire."""

from __future__ import annotations

from typing import ClassVar

from pydantic import AwareDatetime, Field

from jobfair.i18n import N_
from jobfair.schemas.base import FieldMessage, RequestModel, ResponseModel
from jobfair.schemas.catalogue import SlugAndName
from jobfair.schemas.codes import ConfirmationCode, StatusCode


class VacancyRef(ResponseModel):
    id: int
    title: str


class MyApplication(ResponseModel):
    id: int
    status: StatusCode = Field(description="the released status: staged decisions are not shown")
    submitted_at: AwareDatetime
    updated_at: AwareDatetime
    vacancy: VacancyRef
    company: SlugAndName
    fair: SlugAndName
    can_withdraw: bool


class TimelineEntry(ResponseModel):
    status: StatusCode
    at: AwareDatetime
    note: str | None = Field(description="the company's message that came with a decision")


class ApplyWarning(ResponseModel):
    code: str = Field(description="machine-readable, e.g. no_cv")
    message: str = Field(description="for people, in the request's language")


class SubmittedApplication(MyApplication):
    """The answer to applying: the new application and what to know about it (an
    application without a CV is taken, with a ``no_cv`` warning)."""

    warnings: list[ApplyWarning] = Field(default_factory=list)


class MyApplicationDetail(MyApplication):
    """One application with its released events."""

    timeline: list[TimelineEntry]


class MyApplicationList(ResponseModel):
    applications: list[MyApplication]


class Notification(ResponseModel):
    id: int
    subject: str
    body: str
    link: str | None
    created_at: AwareDatetime
    read_at: AwareDatetime | None


class NotificationList(ResponseModel):
    notifications: list[Notification]


class PlacementAnswer(RequestModel):
    """The applicant confirms (``true``) or denies a hire the company reported."""

    confirm: bool
    reason: str | None = Field(default=None, description="why, when denying")

    messages: ClassVar = {"confirm": FieldMessage(N_("Answer yes or no."))}


class Placement(ResponseModel):
    confirmation: ConfirmationCode
    confirmed_at: AwareDatetime | None
