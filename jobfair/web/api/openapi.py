"""The OpenAPI 3.1 document of the JSON API, served at ``/api/v1/openapi.json``.

The schemas are generated from the models of ``jobfair.schemas`` (the same ones the
handlers answer through); this module adds only the table of operations. ``tests/web/api``
checks that the table and ``jobfair/routes.py`` list the same operations.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, models_json_schema
from starlette.requests import Request
from starlette.responses import JSONResponse

from jobfair.schemas.accounts import (
    CvInfo,
    DeleteAccount,
    Me,
    MyData,
    Profile,
    ProfileUpdate,
    Registration,
    RegistrationReceived,
    Token,
    TokenRequest,
)
from jobfair.schemas.applications import (
    MyApplication,
    MyApplicationDetail,
    MyApplicationList,
    NotificationList,
    Placement,
    PlacementAnswer,
    SubmittedApplication,
)
from jobfair.schemas.catalogue import (
    BoothList,
    CatalogueQuery,
    Fair,
    FairList,
    VacancyPage,
    VacancyQuery,
)
from jobfair.schemas.drives import DriveProgress
from jobfair.schemas.errors import Error
from jobfair.schemas.fairs import DeadlineMove, FairWindow
from jobfair.schemas.office_reports import OfficeCompileQuery, OfficeReportData, OfficeReportQuery
from jobfair.schemas.reports import CompileQueued, Report, ReportQuery
from jobfair.schemas.screening import (
    BulkStageRequest,
    BulkStageResult,
    CompanyApplication,
    CompanyApplicationPage,
    ReleaseResult,
    ScreeningQuery,
    StageRequest,
    UndoResult,
)

PREFIX = "/api/v1"
REF = "#/components/schemas/{model}"
PDF = "application/pdf"
# PUT /me/cv takes the file itself, not JSON.
CV_UPLOAD: Mapping[str, Any] = {
    PDF: {"schema": {"type": "string", "format": "binary"}},
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "properties": {"file": {"type": "string", "format": "binary"}},
            "required": ["file"],
        }
    },
}


@dataclass(frozen=True)
class Op:
    """One operation: ``answer`` is the model of the ``ok`` answer, a media type for a
    file, or None for no content; ``errors`` are the statuses answered with ``Error``
    (``auth`` adds 401 and 403)."""

    method: str
    path: str
    operation_id: str
    summary: str
    ok: int
    answer: type[BaseModel] | str | None
    errors: tuple[int, ...] = ()
    body: type[BaseModel] | Mapping[str, Any] | None = None
    query: type[BaseModel] | None = None
    auth: bool = False


# fmt: off
OPERATIONS: tuple[Op, ...] = (
    Op(
        "GET",
        "/fairs",
        "listFairs",
        "Published fairs with their status and live counts",
        200,
        FairList,
    ),
    Op(
        "GET",
        "/fairs/{slug}",
        "getFair",
        "One fair: window, status and live counts",
        200,
        Fair,
        (404,),
    ),
    Op(
        "GET",
        "/fairs/{slug}/booths",
        "listBooths",
        "Approved booths with company and vacancy count",
        200,
        BoothList,
        (404, 422),
        query=CatalogueQuery,
    ),
    Op(
        "GET",
        "/fairs/{slug}/vacancies",
        "listVacancies",
        "Verified vacancies, filtered and paged",
        200,
        VacancyPage,
        (404, 422),
        query=VacancyQuery,
    ),
    Op(
        "GET",
        "/fairs/{slug}/report",
        "getFairReport",
        "The fair's compiled report (latest version, or ?version=N); organisers of its office",
        200,
        Report,
        (404, 422),
        query=ReportQuery,
        auth=True,
    ),
    Op(
        "POST",
        "/fairs/{slug}/report",
        "compileFairReport",
        "Queue a new version of the fair's report (provisional before the fair closes)",
        202,
        CompileQueued,
        (404, 409),
        auth=True,
    ),
    Op(
        "GET",
        "/offices/{office_id}/report",
        "getOfficeReport",
        "The office's statistics over a period (IPK III tables across its fairs; latest "
        "version, or ?version=N); organisers of the office",
        200,
        OfficeReportData,
        (404, 422),
        query=OfficeReportQuery,
        auth=True,
    ),
    Op(
        "POST",
        "/offices/{office_id}/report",
        "compileOfficeReport",
        "Queue a new version of the office's statistics over a period",
        202,
        CompileQueued,
        (404, 422),
        query=OfficeCompileQuery,
        auth=True,
    ),
    Op(
        "POST",
        "/fairs/{slug}/close",
        "closeFair",
        "Close the fair now, before its planned close; the decision deadline stays",
        200,
        FairWindow,
        (404, 409),
        auth=True,
    ),
    Op(
        "GET",
        "/drives/{drive_id}/progress",
        "getDriveProgress",
        "A hiring drive's progress: people placed (each once), local, per week and partner",
        200,
        DriveProgress,
        (404,),
        auth=True,
    ),
    Op(
        "POST",
        "/fairs/{slug}/deadline",
        "moveFairDeadline",
        "Move the decision deadline (earlier or later) while it has not passed",
        200,
        FairWindow,
        (404, 409, 422),
        body=DeadlineMove,
        auth=True,
    ),
    Op(
        "POST",
        "/tokens",
        "createToken",
        "Sign in: exchange e-mail (or phone) and password for a bearer token",
        201,
        Token,
        (401, 422, 429),
        body=TokenRequest,
    ),
    Op(
        "DELETE",
        "/tokens/{token_id}",
        "revokeToken",
        "Revoke one of your tokens",
        204,
        None,
        (404,),
        auth=True,
    ),
    Op(
        "POST",
        "/applicants",
        "registerApplicant",
        "Register a job seeker (the same answer when the details are registered already)",
        201,
        RegistrationReceived,
        (413, 422, 429),
        body=Registration,
    ),
    Op(
        "GET",
        "/me",
        "getMe",
        "Your own profile (NIK masked); recruiters and organisers get their account",
        200,
        Me,
        auth=True,
    ),
    Op(
        "PATCH",
        "/me",
        "updateMe",
        "Change the editable part of your profile",
        200,
        Profile,
        (409, 413, 422),
        body=ProfileUpdate,
        auth=True,
    ),
    Op(
        "DELETE",
        "/me",
        "deleteMe",
        "Delete your account (your password confirms); applications stay anonymised",
        204,
        None,
        (413, 422),
        body=DeleteAccount,
        auth=True,
    ),
    Op(
        "GET",
        "/me/data",
        "exportMyData",
        "Everything held about you, NIK included (UU PDP)",
        200,
        MyData,
        auth=True,
    ),
    Op("GET", "/me/cv", "downloadMyCv", "Your CV as a PDF attachment", 200, PDF, (404,), auth=True),
    Op(
        "PUT",
        "/me/cv",
        "uploadMyCv",
        "Upload your CV: a PDF body, or multipart with a `file` field; at most 2 MB",
        201,
        CvInfo,
        (400, 413, 415, 422),
        body=CV_UPLOAD,
        auth=True,
    ),
    Op(
        "POST",
        "/vacancies/{vacancy_id}/applications",
        "apply",
        "Apply to a vacancy of an open fair; without a CV the answer warns (no_cv)",
        201,
        SubmittedApplication,
        (404, 409, 422, 429),
        auth=True,
    ),
    Op(
        "GET",
        "/me/applications",
        "listMyApplications",
        "Your applications with their released status",
        200,
        MyApplicationList,
        auth=True,
    ),
    Op(
        "GET",
        "/me/applications/{application_id}",
        "getMyApplication",
        "One application with its released timeline",
        200,
        MyApplicationDetail,
        (404,),
        auth=True,
    ),
    Op(
        "POST",
        "/me/applications/{application_id}/withdraw",
        "withdrawMyApplication",
        "Withdraw an application not yet decided",
        200,
        MyApplication,
        (404, 409),
        auth=True,
    ),
    Op(
        "GET",
        "/me/notifications",
        "listMyNotifications",
        "Your in-app notifications, newest first",
        200,
        NotificationList,
        auth=True,
    ),
    Op(
        "POST",
        "/me/applications/{application_id}/placement",
        "answerPlacement",
        "Confirm or deny a hire the company reported (only confirmed hires count)",
        200,
        Placement,
        (404, 409, 413, 422),
        body=PlacementAnswer,
        auth=True,
    ),
    Op(
        "GET",
        "/company/applications",
        "listCompanyApplications",
        "Your company's applications, filtered, sorted and paged",
        200,
        CompanyApplicationPage,
        (422,),
        query=ScreeningQuery,
        auth=True,
    ),
    Op(
        "POST",
        "/company/applications/status",
        "stageStatusBulk",
        "Stage a status for many applications: `ids`, or every one matching `filter`",
        200,
        BulkStageResult,
        (404, 413, 422),
        body=BulkStageRequest,
        auth=True,
    ),
    Op(
        "POST",
        "/company/applications/{application_id}/status",
        "stageStatus",
        "Stage a status change; the applicant sees it only after release",
        200,
        CompanyApplication,
        (404, 409, 413, 422),
        body=StageRequest,
        auth=True,
    ),
    Op(
        "GET",
        "/company/applications/{application_id}/cv",
        "getApplicantCv",
        "The applicant's CV (PDF attachment); every view is recorded",
        200,
        PDF,
        (404,),
        auth=True,
    ),
    Op(
        "POST",
        "/company/decisions/release",
        "releaseDecisions",
        "Send the staged decisions; they are delivered after the undo window",
        200,
        ReleaseResult,
        auth=True,
    ),
    Op(
        "POST",
        "/company/decisions/undo",
        "undoDecisions",
        "Take back sent decisions still inside the undo window",
        200,
        UndoResult,
        auth=True,
    ),
)
# fmt: on


class _Generator(GenerateJsonSchema):
    """Pydantic's JSON Schema without a ``title`` on every property (the name says it)."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def _components() -> tuple[dict[Any, dict[str, Any]], dict[str, Any]]:
    """Every model's schema under ``components/schemas``; answers as serialised, bodies
    and query parameters as validated."""
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [(Error, "serialization")]
    for op in OPERATIONS:
        if isinstance(op.answer, type):
            wanted.append((op.answer, "serialization"))
        if isinstance(op.body, type):
            wanted.append((op.body, "validation"))
        if op.query is not None:
            wanted.append((op.query, "validation"))
    refs, schema = models_json_schema(
        list(dict.fromkeys(wanted)), ref_template=REF, schema_generator=_Generator
    )
    return refs, schema.get("$defs", {})


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter's schema without the ``null`` of an optional field: a query
    string has no null, only a parameter that is left out."""
    options = [option for option in schema.get("anyOf", []) if option != {"type": "null"}]
    if len(options) == 1:
        rest = {key: value for key, value in schema.items() if key != "anyOf"}
        schema = {**options[0], **rest}
    if schema.get("default", "") is None:
        schema = {key: value for key, value in schema.items() if key != "default"}
    return schema


def _parameters(op: Op, components: dict[str, Any]) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer"} if name.endswith("_id") else {"type": "string"},
        }
        for name in re.findall(r"\{(\w+)\}", op.path)
    ]
    if op.query is not None:
        schema = components[op.query.__name__]
        required = set(schema.get("required", []))
        for name, raw in schema["properties"].items():
            field = _not_null(raw)
            parameter = {"name": name, "in": "query", "required": name in required}
            if "description" in field:
                parameter["description"] = field.pop("description")
            parameters.append({**parameter, "schema": field})
    return parameters


def _json(schema: dict[str, Any], status: int) -> dict[str, Any]:
    return {
        "description": HTTPStatus(status).phrase,
        "content": {"application/json": {"schema": schema}},
    }


def _operation(op: Op, refs: dict[Any, dict[str, Any]], components: dict[str, Any]) -> dict:
    error = _json(refs[(Error, "serialization")], 400)
    responses: dict[str, Any] = {}
    if isinstance(op.answer, type):
        responses[str(op.ok)] = _json(refs[(op.answer, "serialization")], op.ok)
    elif isinstance(op.answer, str):
        responses[str(op.ok)] = {"description": "The file", "content": {op.answer: {}}}
    else:
        responses[str(op.ok)] = {"description": HTTPStatus(op.ok).phrase}
    # A JSON body that cannot be read at all (nested too deeply) is a 400 on every
    # operation that takes one.
    unreadable = (400,) if isinstance(op.body, type) else ()
    for status in sorted({*op.errors, *unreadable, *((401, 403) if op.auth else ())}):
        responses[str(status)] = {**error, "description": HTTPStatus(status).phrase}
    operation: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "responses": responses,
    }
    if parameters := _parameters(op, components):
        operation["parameters"] = parameters
    if isinstance(op.body, type):
        schema = refs[(op.body, "validation")]
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
    elif op.body is not None:
        operation["requestBody"] = {"required": True, "content": dict(op.body)}
    if op.auth:
        operation["security"] = [{"bearer": []}]
    return operation


@cache
def document() -> dict[str, Any]:
    refs, components = _components()
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(PREFIX + op.path, {})[op.method.lower()] = _operation(op, refs, components)
    # Query models are spelled out as parameters; they are no schemas of their own.
    queries = {op.query.__name__ for op in OPERATIONS if op.query is not None}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Jobfair API",
            "version": "1",
            "description": "Virtual job fairs for public labour offices. Errors are "
            '`{"error": {"code", "message", "fields"?}}`.',
        },
        "paths": paths,
        "components": {
            "schemas": {name: s for name, s in components.items() if name not in queries},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


async def openapi_json(request: Request) -> JSONResponse:
    return JSONResponse(document())
