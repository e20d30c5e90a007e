"""The OpenAPI 3.1 document of the JSON API, served at ``/api/v1/openapi.json``.

Written out by hand next to the handlers it describes; ``tests/web/api`` checks that
every API route is documented and that responses match these schemas.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from jobfair.models.applications import ApplicationStatus
from jobfair.reference.disability import DISABILITY_CODES
from jobfair.reference.education import EDUCATION_CODES
from jobfair.services.screening import COMPANY_STATUSES

_INT = {"type": "integer"}
_STR = {"type": "string"}
_NULLABLE_STR = {"type": ["string", "null"]}
_NULLABLE_INT = {"type": ["integer", "null"]}
_TIME = {"type": "string", "format": "date-time"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
    }


SCHEMAS: dict[str, Any] = {
    "Error": _obj(
        {
            "error": _obj(
                {
                    "code": _STR,
                    "message": _STR,
                    "fields": {"type": "object", "additionalProperties": _STR},
                },
                required=["code", "message"],
            )
        }
    ),
    "Counts": _obj(
        {
            name: {**_INT, "minimum": 0}
            for name in (
                "companies",
                "booths",
                "vacancies",
                "openings",
                "applicants",
                "applications",
                "hires",
                "online",
            )
        }
    ),
    "Fair": _obj(
        {
            "slug": _STR,
            "name": _STR,
            "description": _STR,
            "office": _obj({"slug": _STR, "name": _STR}),
            "timezone": {"enum": ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]},
            "status": {"enum": ["upcoming", "open", "closed", "cancelled"]},
            "registration_opens_at": _TIME,
            "opens_at": _TIME,
            "closes_at": _TIME,
            "decision_deadline": _TIME,
            "host_regency_codes": {"type": "array", "items": _STR},
            "local_hiring_target": _NULLABLE_INT,
            "application_cap": _NULLABLE_INT,
            "counts": _ref("Counts"),
        }
    ),
    "Company": _obj(
        {
            "slug": _STR,
            "name": _STR,
            "kbli": _STR,
            "sector": {**_STR, "description": "KBLI 2020 section letter"},
            "employer_type": {**_INT, "minimum": 21, "maximum": 26},
            "regency_code": _STR,
            "website": _NULLABLE_STR,
        }
    ),
    "Booth": _obj(
        {
            "id": _INT,
            "company": _ref("Company"),
            "description": _STR,
            "video_url": _NULLABLE_STR,
            "vacancies": _INT,
            "openings": _INT,
        }
    ),
    "Vacancy": _obj(
        {
            "id": _INT,
            "title": _STR,
            "company": _obj({"slug": _STR, "name": _STR, "sector": _STR}),
            "kbji_code": _STR,
            "openings": _obj({"male": _INT, "female": _INT, "either": _INT, "total": _INT}),
            "education_min": {"enum": sorted(EDUCATION_CODES)},
            "age_min": _NULLABLE_INT,
            "age_max": _NULLABLE_INT,
            "experience_years": _INT,
            "skills": {"type": "array", "items": _STR},
            "description": _STR,
            "salary_min": _NULLABLE_INT,
            "salary_max": _NULLABLE_INT,
            "work_regency_code": _STR,
            "employment_type": _STR,
            "deadline": {"type": ["string", "null"], "format": "date"},
            "status": {"enum": ["open", "closed"]},
        }
    ),
    "Token": _obj({"token": _STR, "id": _INT, "role": _STR}),
    "Registration": {
        "type": "object",
        "required": [
            "nik",
            "full_name",
            "password",
            "birth_date",
            "sex",
            "education_level",
            "ktp_regency_code",
            "domicile_regency_code",
            "consent",
        ],
        "properties": {
            "nik": {**_STR, "pattern": "^[0-9]{16}$"},
            "full_name": {**_STR, "maxLength": 200},
            "email": {**_STR, "format": "email", "description": "email and/or phone"},
            "phone": {**_STR, "description": "Indonesian mobile number, e.g. 081234567890"},
            "password": {**_STR, "minLength": 8, "maxLength": 128},
            "birth_date": {**_STR, "format": "date"},
            "sex": {"enum": ["L", "P"]},
            "education_level": {"enum": sorted(EDUCATION_CODES)},
            "ktp_regency_code": {**_STR, "description": "dotted Kemendagri code, e.g. 12.09"},
            "domicile_regency_code": _STR,
            "disability": {"type": "array", "items": {"enum": sorted(DISABILITY_CODES)}},
            "ak1_number": _STR,
            "birth_place": _STR,
            "education_major": _STR,
            "institution": _STR,
            "consent": {"const": True},
        },
    },
    "Profile": _obj(
        {
            "id": _INT,
            "role": _STR,
            "full_name": _STR,
            "email": _NULLABLE_STR,
            "phone": _NULLABLE_STR,
            "nik": {**_STR, "description": "masked: region and serial only"},
            "sex": {"enum": ["L", "P"]},
            "birth_date": {**_STR, "format": "date"},
            "birth_place": _NULLABLE_STR,
            "education_level": _STR,
            "education_major": _NULLABLE_STR,
            "institution": _NULLABLE_STR,
            "graduation_year": _NULLABLE_INT,
            "ktp_regency_code": _STR,
            "domicile_regency_code": _STR,
            "disability": {"type": "array", "items": _STR},
            "ak1_number": _NULLABLE_STR,
            "skills": _STR,
            "cv": {"anyOf": [{"type": "null"}, _ref("CvInfo")]},
        }
    ),
    "CvInfo": _obj({"filename": _STR, "size_bytes": _INT, "uploaded_at": _TIME}),
    "Account": _obj(
        {
            "id": _INT,
            "role": {"enum": ["recruiter", "organiser", "admin"]},
            "full_name": _STR,
            "email": _NULLABLE_STR,
            "phone": _NULLABLE_STR,
        }
    ),
    "MyApplication": _obj(
        {
            "id": _INT,
            "status": {"enum": [s.value for s in ApplicationStatus]},
            "submitted_at": _TIME,
            "updated_at": _TIME,
            "vacancy": _obj({"id": _INT, "title": _STR}),
            "company": _obj({"slug": _STR, "name": _STR}),
            "fair": _obj({"slug": _STR, "name": _STR}),
            "can_withdraw": {"type": "boolean"},
            # Only on GET /me/applications/{id}: the released events, with the
            # company's message that came with a decision.
            "timeline": {
                "type": "array",
                "items": _obj(
                    {
                        "status": {"enum": [s.value for s in ApplicationStatus]},
                        "at": _TIME,
                        "note": _NULLABLE_STR,
                    }
                ),
            },
        },
        required=[
            "id",
            "status",
            "submitted_at",
            "updated_at",
            "vacancy",
            "company",
            "fair",
            "can_withdraw",
        ],
    ),
    "Notification": _obj(
        {
            "id": _INT,
            "subject": _STR,
            "body": _STR,
            "link": _NULLABLE_STR,
            "created_at": _TIME,
            "read_at": {"type": ["string", "null"], "format": "date-time"},
        }
    ),
}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERROR = _json(_ref("Error"), "Error")
_SLUG = {"name": "slug", "in": "path", "required": True, "schema": _STR}
_FILTERS = [
    {
        "name": "q",
        "in": "query",
        "schema": {**_STR, "maxLength": 100},
        "description": "keyword in title, skills, description or company name",
    },
    {"name": "sector", "in": "query", "schema": _STR, "description": "KBLI section letter"},
    {
        "name": "education",
        "in": "query",
        "schema": {"enum": sorted(EDUCATION_CODES)},
        "description": "the searcher's education: vacancies whose minimum it meets",
    },
    {"name": "regency", "in": "query", "schema": _STR, "description": "work regency, e.g. 12.09"},
    {
        "name": "kbli",
        "in": "query",
        "schema": _STR,
        "description": "KBLI section letter or leading digits of a KBLI code",
    },
]

PATHS: dict[str, Any] = {
    "/api/v1/fairs": {
        "get": {
            "operationId": "listFairs",
            "summary": "Published fairs with their status and live counts",
            "responses": {
                "200": _json(_obj({"fairs": {"type": "array", "items": _ref("Fair")}})),
            },
        }
    },
    "/api/v1/fairs/{slug}": {
        "get": {
            "operationId": "getFair",
            "summary": "One fair: window, status and live counts",
            "parameters": [_SLUG],
            "responses": {"200": _json(_ref("Fair")), "404": _ERROR},
        }
    },
    "/api/v1/fairs/{slug}/booths": {
        "get": {
            "operationId": "listBooths",
            "summary": "Approved booths with company and vacancy count",
            "parameters": [_SLUG, *_FILTERS],
            "responses": {
                "200": _json(
                    _obj({"booths": {"type": "array", "items": _ref("Booth")}, "total": _INT})
                ),
                "404": _ERROR,
                "422": _ERROR,
            },
        }
    },
    "/api/v1/fairs/{slug}/vacancies": {
        "get": {
            "operationId": "listVacancies",
            "summary": "Verified vacancies, filtered and paged",
            "parameters": [
                _SLUG,
                *_FILTERS,
                {
                    "name": "limit",
                    "in": "query",
                    "schema": {**_INT, "minimum": 1, "maximum": 500, "default": 100},
                },
                {"name": "offset", "in": "query", "schema": {**_INT, "minimum": 0, "default": 0}},
            ],
            "responses": {
                "200": _json(
                    _obj(
                        {
                            "vacancies": {"type": "array", "items": _ref("Vacancy")},
                            "total": _INT,
                            "limit": _INT,
                            "offset": _INT,
                        }
                    )
                ),
                "404": _ERROR,
                "422": _ERROR,
            },
        }
    },
}


_BEARER = [{"bearer": []}]
_AUTH_ERRORS = {"401": _ERROR, "403": _ERROR}
_APPLICATION_ID = {"name": "application_id", "in": "path", "required": True, "schema": _INT}


def _op(operation_id: str, summary: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"operationId": operation_id, "summary": summary, "responses": responses, **extra}


PATHS.update(
    {
        "/api/v1/tokens": {
            "post": _op(
                "createToken",
                "Sign in: exchange e-mail (or phone) and password for a bearer token",
                {"201": _json(_ref("Token")), "401": _ERROR, "422": _ERROR, "429": _ERROR},
                requestBody={
                    "content": {
                        "application/json": {
                            "schema": _obj(
                                {"email": _STR, "password": _STR, "name": _STR},
                                required=["email", "password"],
                            )
                        }
                    }
                },
            )
        },
        "/api/v1/tokens/{token_id}": {
            "delete": _op(
                "revokeToken",
                "Revoke one of your tokens",
                {"204": {"description": "Revoked"}, "404": _ERROR, **_AUTH_ERRORS},
                parameters=[{"name": "token_id", "in": "path", "required": True, "schema": _INT}],
                security=_BEARER,
            )
        },
        "/api/v1/applicants": {
            "post": _op(
                "registerApplicant",
                "Register a job seeker",
                {
                    "201": _json(_ref("Profile")),
                    "409": _ERROR,
                    "413": _ERROR,
                    "422": _ERROR,
                    "429": _ERROR,
                },
                requestBody={"content": {"application/json": {"schema": _ref("Registration")}}},
            )
        },
        "/api/v1/me": {
            "get": _op(
                "getMe",
                "Your own profile (NIK masked); recruiters and organisers get their account",
                {"200": _json({"anyOf": [_ref("Profile"), _ref("Account")]}), **_AUTH_ERRORS},
                security=_BEARER,
            ),
            "patch": _op(
                "updateMe",
                "Change the editable part of your profile",
                {"200": _json(_ref("Profile")), "409": _ERROR, "422": _ERROR, **_AUTH_ERRORS},
                security=_BEARER,
            ),
            "delete": _op(
                "deleteMe",
                'Delete your account (body: {"password"}); applications stay anonymised',
                {"204": {"description": "Deleted"}, "422": _ERROR, **_AUTH_ERRORS},
                security=_BEARER,
            ),
        },
        "/api/v1/me/data": {
            "get": _op(
                "exportMyData",
                "Everything held about you, NIK included (UU PDP)",
                {"200": _json({"type": "object"}), **_AUTH_ERRORS},
                security=_BEARER,
            )
        },
        "/api/v1/me/cv": {
            "get": _op(
                "downloadMyCv",
                "Your CV as a PDF attachment",
                {
                    "200": {"description": "PDF", "content": {"application/pdf": {}}},
                    "404": _ERROR,
                    **_AUTH_ERRORS,
                },
                security=_BEARER,
            ),
            "put": _op(
                "uploadMyCv",
                "Upload your CV: a PDF body, or multipart with a `file` field; at most 2 MB",
                {
                    "201": _json(_ref("CvInfo")),
                    "400": _ERROR,
                    "413": _ERROR,
                    "415": _ERROR,
                    "422": _ERROR,
                    **_AUTH_ERRORS,
                },
                requestBody={
                    "content": {
                        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                        "multipart/form-data": {
                            "schema": _obj({"file": {"type": "string", "format": "binary"}})
                        },
                    }
                },
                security=_BEARER,
            ),
        },
        "/api/v1/vacancies/{vacancy_id}/applications": {
            "post": _op(
                "apply",
                "Apply to a vacancy of an open fair",
                {
                    "201": _json(_ref("MyApplication")),
                    "404": _ERROR,
                    "409": _ERROR,
                    "422": _ERROR,
                    "429": _ERROR,
                    **_AUTH_ERRORS,
                },
                parameters=[{"name": "vacancy_id", "in": "path", "required": True, "schema": _INT}],
                security=_BEARER,
            )
        },
        "/api/v1/me/applications": {
            "get": _op(
                "listMyApplications",
                "Your applications with their released status",
                {
                    "200": _json(
                        _obj({"applications": {"type": "array", "items": _ref("MyApplication")}})
                    ),
                    **_AUTH_ERRORS,
                },
                security=_BEARER,
            )
        },
        "/api/v1/me/applications/{application_id}": {
            "get": _op(
                "getMyApplication",
                "One application with its released timeline",
                {"200": _json(_ref("MyApplication")), "404": _ERROR, **_AUTH_ERRORS},
                parameters=[_APPLICATION_ID],
                security=_BEARER,
            )
        },
        "/api/v1/me/applications/{application_id}/withdraw": {
            "post": _op(
                "withdrawMyApplication",
                "Withdraw an application not yet decided",
                {"200": _json(_ref("MyApplication")), "404": _ERROR, "409": _ERROR, **_AUTH_ERRORS},
                parameters=[_APPLICATION_ID],
                security=_BEARER,
            )
        },
        "/api/v1/me/notifications": {
            "get": _op(
                "listMyNotifications",
                "Your in-app notifications, newest first",
                {
                    "200": _json(
                        _obj({"notifications": {"type": "array", "items": _ref("Notification")}})
                    ),
                    **_AUTH_ERRORS,
                },
                security=_BEARER,
            )
        },
    }
)


_FILTER_PARAMS = [
    {"name": name, "in": "query", "schema": schema, "description": description}
    for name, schema, description in (
        ("status", {"enum": [s.value for s in ApplicationStatus]}, "company view of the status"),
        ("vacancy", _INT, "one vacancy of the company"),
        ("education", {"enum": sorted(EDUCATION_CODES)}, "applicant's education level"),
        ("regency", _STR, "applicant's KTP regency, e.g. 12.09"),
        ("locality", {"enum": ["local", "nonlocal"]}, "KTP regency among the fair's hosts"),
        ("disability", {"enum": ["yes", "no"]}, "applicant declared a disability"),
        ("q", _STR, "name, skills or vacancy title"),
        ("pending", {"enum": ["1"]}, "only applications with a staged decision"),
        ("sort", {"enum": ["submitted", "-submitted", "name", "education", "status"]}, "order"),
        ("page", _INT, "page of 50"),
    )
]
_STAGE_BODY = {
    "content": {
        "application/json": {
            "schema": _obj(
                {"status": {"enum": sorted(COMPANY_STATUSES)}, "note": _STR}, required=["status"]
            )
        }
    }
}
SCHEMAS["CompanyApplication"] = _obj(
    {
        "id": _INT,
        "status": {"enum": [s.value for s in ApplicationStatus]},
        "released_status": {"enum": [s.value for s in ApplicationStatus]},
        "pending": {"type": "boolean"},
        "rating": _NULLABLE_INT,
        "submitted_at": _TIME,
        "vacancy": _obj({"id": _INT, "title": _STR}),
        "applicant": _obj(
            {
                "id": _INT,
                "full_name": _STR,
                "sex": {"enum": ["L", "P"]},
                "birth_date": {**_STR, "format": "date"},
                "education_level": _STR,
                "ktp_regency_code": _STR,
                "domicile_regency_code": _STR,
                "has_disability": {"type": "boolean"},
                "is_local": {"type": "boolean"},
            }
        ),
    }
)
PATHS.update(
    {
        "/api/v1/me/applications/{application_id}/placement": {
            "post": _op(
                "answerPlacement",
                "Confirm or deny a hire the company reported (only confirmed hires count)",
                {
                    "200": _json(_obj({"confirmation": _STR, "confirmed_at": _TIME})),
                    "404": _ERROR,
                    "409": _ERROR,
                    "422": _ERROR,
                    **_AUTH_ERRORS,
                },
                parameters=[_APPLICATION_ID],
                requestBody={
                    "content": {
                        "application/json": {
                            "schema": _obj(
                                {"confirm": {"type": "boolean"}, "reason": _STR},
                                required=["confirm"],
                            )
                        }
                    }
                },
                security=_BEARER,
            )
        },
        "/api/v1/company/applications": {
            "get": _op(
                "listCompanyApplications",
                "Your company's applications, filtered, sorted and paged",
                {
                    "200": _json(
                        _obj(
                            {
                                "applications": {
                                    "type": "array",
                                    "items": _ref("CompanyApplication"),
                                },
                                "total": _INT,
                                "page": _INT,
                                "pages": _INT,
                                "counts": {"type": "object", "additionalProperties": _INT},
                            }
                        )
                    ),
                    "422": _ERROR,
                    **_AUTH_ERRORS,
                },
                parameters=_FILTER_PARAMS,
                security=_BEARER,
            )
        },
        "/api/v1/company/applications/status": {
            "post": _op(
                "stageStatusBulk",
                "Stage a status for many applications: `ids`, or every one matching `filter`",
                {
                    "200": _json(
                        _obj(
                            {
                                "changed": _INT,
                                "refused": {"type": "object", "additionalProperties": _STR},
                            }
                        )
                    ),
                    "404": _ERROR,
                    "422": _ERROR,
                    **_AUTH_ERRORS,
                },
                requestBody={
                    "content": {
                        "application/json": {
                            "schema": _obj(
                                {
                                    "status": {"enum": sorted(COMPANY_STATUSES)},
                                    "note": _STR,
                                    "ids": {"type": "array", "items": _INT},
                                    "filter": {"type": "object"},
                                },
                                required=["status"],
                            )
                        }
                    }
                },
                security=_BEARER,
            )
        },
        "/api/v1/company/applications/{application_id}/status": {
            "post": _op(
                "stageStatus",
                "Stage a status change; the applicant sees it only after release",
                {
                    "200": _json(_ref("CompanyApplication")),
                    "404": _ERROR,
                    "409": _ERROR,
                    "422": _ERROR,
                    **_AUTH_ERRORS,
                },
                parameters=[_APPLICATION_ID],
                requestBody=_STAGE_BODY,
                security=_BEARER,
            )
        },
        "/api/v1/company/applications/{application_id}/cv": {
            "get": _op(
                "getApplicantCv",
                "The applicant's CV (PDF attachment); every view is recorded",
                {
                    "200": {"description": "PDF", "content": {"application/pdf": {}}},
                    "404": _ERROR,
                    **_AUTH_ERRORS,
                },
                parameters=[_APPLICATION_ID],
                security=_BEARER,
            )
        },
        "/api/v1/company/decisions/release": {
            "post": _op(
                "releaseDecisions",
                "Send the staged decisions; they are delivered after the undo window",
                {
                    "200": _json(
                        _obj(
                            {
                                "released": _INT,
                                "deliver_at": {"type": ["string", "null"], "format": "date-time"},
                                "undo_seconds": _INT,
                            }
                        )
                    ),
                    **_AUTH_ERRORS,
                },
                security=_BEARER,
            )
        },
        "/api/v1/company/decisions/undo": {
            "post": _op(
                "undoDecisions",
                "Take back sent decisions still inside the undo window",
                {"200": _json(_obj({"undone": _INT})), **_AUTH_ERRORS},
                security=_BEARER,
            )
        },
    }
)


# The compiled fair report (jobfair/stats/report_format.md): aggregates only.
SCHEMAS["Report"] = _obj(
    {
        "format": _INT,
        "version": _INT,
        "compiled_at": _TIME,
        "provisional": {"type": "boolean"},
        "fair": {"type": "object"},
        "headline": {
            "type": "array",
            "items": _obj(
                {
                    "key": _STR,
                    "label": _STR,
                    "value": {"description": "an integer, a ratio (number) or null"},
                    "definition": _STR,
                },
            ),
        },
        "tables": {
            "type": "array",
            "items": _obj(
                {
                    "key": _STR,
                    "title": _STR,
                    "definition": _STR,
                    "columns": {"type": "array", "items": {"type": "object"}},
                    "rows": {"type": "array", "items": {"type": "object"}},
                },
            ),
        },
    }
)
PATHS["/api/v1/fairs/{slug}/report"] = {
    "get": _op(
        "getFairReport",
        "The fair's compiled report (latest version, or ?version=N); organisers of its office",
        {"200": _json(_ref("Report")), "404": _ERROR, "422": _ERROR, **_AUTH_ERRORS},
        parameters=[
            _SLUG,
            {"name": "version", "in": "query", "schema": {**_INT, "minimum": 1}},
        ],
        security=_BEARER,
    ),
    "post": _op(
        "compileFairReport",
        "Queue a new version of the fair's report (provisional before the fair closes)",
        {
            "202": _json(
                _obj({"status": {"enum": ["queued"]}, "provisional": {"type": "boolean"}}),
                "Queued",
            ),
            "404": _ERROR,
            "409": _ERROR,
            **_AUTH_ERRORS,
        },
        parameters=[_SLUG],
        security=_BEARER,
    ),
}


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Jobfair API",
            "version": "1",
            "description": "Virtual job fairs for public labour offices. Errors are "
            '`{"error": {"code", "message", "fields"?}}`.',
        },
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


async def openapi_json(request: Request) -> JSONResponse:
    return JSONResponse(document())
