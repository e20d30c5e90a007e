"""The OpenAPI 3.1 document of the JSON API, served at ``/api/v1/openapi.json``.

Written out by hand next to the handlers it describes; ``tests/web/api`` checks that
every API route is documented and that responses match these schemas.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from jobfair.reference.education import EDUCATION_CODES

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
