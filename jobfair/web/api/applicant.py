"""JSON API for accounts and applicants: tokens, registration, own profile and CV,
applying, own applications, notifications and data rights (DESIGN §7)."""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from jobfair.context import AppContext
from jobfair.i18n import gettext
from jobfair.models import User
from jobfair.models.accounts import Role
from jobfair.services import applicants, applications, auth
from jobfair.services.applicants import CV_MAX_BYTES
from jobfair.services.errors import (
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
)
from jobfair.services.numbers import whole_number
from jobfair.web.api.serializers import iso
from jobfair.web.applicant import UPLOAD_SLACK
from jobfair.web.auth import limit, require

MAX_JSON_BYTES = 64 * 1024


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object, or a 4xx: too large, not JSON, not an object."""
    length = request.headers.get("content-length", "")
    if (whole_number(length, maximum=10**15) or 0) > MAX_JSON_BYTES:
        raise PayloadTooLarge(gettext("The request is too large."))
    body = await request.body()
    if len(body) > MAX_JSON_BYTES:
        raise PayloadTooLarge(gettext("The request is too large."))
    try:
        data = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed(gettext("The body must be a JSON object.")) from None
    if not isinstance(data, dict):
        raise ValidationFailed(gettext("The body must be a JSON object."))
    if not _storable(data):
        raise ValidationFailed(gettext("The text contains characters that are not allowed."))
    return data


def _storable(value: Any, depth: int = 0) -> bool:
    """No NUL and no lone surrogate in any string: neither can be stored as text
    (PostgreSQL refuses NUL; UTF-8 has no surrogates), so they are refused up front
    instead of failing deep in a query."""
    if isinstance(value, str):
        return _utf8(value)
    if depth > 50:
        return False
    if isinstance(value, dict):
        return all(_storable(k, depth + 1) and _storable(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(_storable(item, depth + 1) for item in value)
    return True


def _utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


# ------------------------------------------------------------------------ tokens


async def create_token(request: Request) -> JSONResponse:
    data = await json_body(request)
    login = data.get("email") or data.get("phone") or data.get("login") or ""
    password = data.get("password") or ""
    if not isinstance(login, str) or not isinstance(password, str):
        raise ValidationFailed(
            gettext("Please check the form."),
            fields={"email": gettext("Enter a valid e-mail address.")},
        )
    await limit(request, "login:address")
    await limit(request, "login:account", login.strip().lower()[:254])
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        user = await auth.authenticate(session, login[:254], password[:200])
        name = data.get("name") if isinstance(data.get("name"), str) else "api"
        raw, row = await auth.create_api_token(session, user, name)
        token_id = row.id
    return JSONResponse({"token": raw, "id": token_id, "role": user.role}, status_code=201)


async def revoke_token(request: Request) -> Response:
    signed_in = require(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        await auth.revoke_api_token(
            session, signed_in.user, request.path_params["token_id"], ctx.now()
        )
    return Response(status_code=204)


# ---------------------------------------------------------------------- applicants


def profile(user: Any, applicant: Any, cv: Any) -> dict[str, Any]:
    return {
        "id": user.id,
        "role": user.role,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "nik": applicant.nik_masked,
        "sex": applicant.sex,
        "birth_date": applicant.birth_date.isoformat(),
        "birth_place": applicant.birth_place,
        "education_level": applicant.education_level,
        "education_major": applicant.education_major,
        "institution": applicant.institution,
        "graduation_year": applicant.graduation_year,
        "ktp_regency_code": applicant.ktp_regency_code,
        "domicile_regency_code": applicant.domicile_regency_code,
        "disability": [kind for kind in applicant.disability_kinds.split(",") if kind],
        "ak1_number": applicant.ak1_number,
        "skills": applicant.skills,
        "cv": None
        if cv is None
        else {
            "filename": cv.original_filename,
            "size_bytes": cv.size_bytes,
            "uploaded_at": iso(cv.uploaded_at),
        },
    }


async def register(request: Request) -> JSONResponse:
    data = await json_body(request)
    await limit(request, "register:address")
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        user = await applicants.register_applicant(session, data, ctx.nik_vault, ctx.now())
        applicant = await applicants.applicant_of(session, user)
        body = profile(user, applicant, None)
    return JSONResponse(body, status_code=201)


async def me(request: Request) -> JSONResponse:
    signed_in = require(request)
    user = signed_in.user
    if user.role != Role.APPLICANT:
        return JSONResponse(
            {
                "id": user.id,
                "role": user.role,
                "full_name": user.full_name,
                "email": user.email,
                "phone": user.phone,
            }
        )
    async with _ctx(request).read() as session:
        applicant = await applicants.applicant_of(session, user)
        cv = await applicants.current_cv(session, applicant.id)
    return JSONResponse(profile(user, applicant, cv))


async def update_me(request: Request) -> JSONResponse:
    signed_in = require(request, Role.APPLICANT)
    data = await json_body(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        applicant = await applicants.update_profile(session, signed_in.user, data, ctx.now())
        cv = await applicants.current_cv(session, applicant.id)
        user = await session.get(User, signed_in.user.id)
        body = profile(user, applicant, cv)
    return JSONResponse(body)


async def delete_me(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    data = await json_body(request)
    password = data.get("password") if isinstance(data.get("password"), str) else ""
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        await applicants.delete_account(
            session, signed_in.user, password, ctx.settings.uploads_dir, ctx.now()
        )
    return Response(status_code=204)


async def my_data(request: Request) -> JSONResponse:
    signed_in = require(request, Role.APPLICANT)
    ctx = _ctx(request)
    async with ctx.read() as session:
        data = await applicants.export_my_data(session, signed_in.user, ctx.nik_vault)
    return JSONResponse(data, headers={"Cache-Control": "private, no-store"})


async def upload_cv(request: Request) -> JSONResponse:
    signed_in = require(request, Role.APPLICANT)
    length = request.headers.get("content-length", "")
    if (whole_number(length, maximum=10**15) or 0) > CV_MAX_BYTES + UPLOAD_SLACK:
        message = gettext("The CV is larger than 2 MB. Save it smaller and try again.")
        raise PayloadTooLarge(message, fields={"file": message})
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            message = gettext("Choose a PDF file to upload.")
            raise ValidationFailed(message, fields={"file": message})
        data = await upload.read(CV_MAX_BYTES + 1)
        filename = upload.filename or "cv.pdf"
    elif content_type == "application/pdf":
        data = b""
        async for chunk in request.stream():
            data += chunk
            if len(data) > CV_MAX_BYTES:
                break
        filename = request.headers.get("x-filename", "cv.pdf")[:150]
    else:
        message = gettext("The CV must be a PDF file.")
        raise UnsupportedMediaType(message, fields={"file": message})
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        cv = await applicants.store_cv(
            session, signed_in.user, data, filename, ctx.settings.uploads_dir, ctx.now()
        )
        body = {
            "filename": cv.original_filename,
            "size_bytes": cv.size_bytes,
            "uploaded_at": iso(cv.uploaded_at),
        }
    return JSONResponse(body, status_code=201)


# -------------------------------------------------------------------- applications


def application_json(item: applications.MyApplication) -> dict[str, Any]:
    return {
        "id": item.id,
        "status": item.status,
        "submitted_at": iso(item.submitted_at),
        "updated_at": iso(item.updated_at),
        "vacancy": {"id": item.vacancy_id, "title": item.vacancy_title},
        "company": {"slug": item.company_slug, "name": item.company_name},
        "fair": {"slug": item.fair_slug, "name": item.fair_name},
        "can_withdraw": item.can_withdraw,
    }


async def apply(request: Request) -> JSONResponse:
    signed_in = require(request, Role.APPLICANT)
    await limit(request, "apply:user", str(signed_in.user.id))
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        _application, item = await applications.submit(
            session, signed_in.user, request.path_params["vacancy_id"], ctx.now()
        )
    return JSONResponse(application_json(item), status_code=201)


async def my_applications(request: Request) -> JSONResponse:
    signed_in = require(request, Role.APPLICANT)
    async with _ctx(request).read() as session:
        mine = await applications.my_applications(session, signed_in.user)
    return JSONResponse({"applications": [application_json(item) for item in mine]})


async def my_application(request: Request) -> JSONResponse:
    signed_in = require(request, Role.APPLICANT)
    async with _ctx(request).read() as session:
        item, timeline = await applications.my_application(
            session, signed_in.user, request.path_params["application_id"]
        )
    body = application_json(item)
    body["timeline"] = [
        {"status": entry.status, "at": iso(entry.at), "note": entry.note} for entry in timeline
    ]
    return JSONResponse(body)


async def withdraw(request: Request) -> JSONResponse:
    signed_in = require(request, Role.APPLICANT)
    ctx = _ctx(request)
    application_id = request.path_params["application_id"]
    async with ctx.unit_of_work() as session:
        await applications.withdraw(session, signed_in.user, application_id, ctx.now())
    async with ctx.read() as session:
        item, _timeline = await applications.my_application(session, signed_in.user, application_id)
    return JSONResponse(application_json(item))


async def notifications(request: Request) -> JSONResponse:
    signed_in = require(request)
    async with _ctx(request).read() as session:
        rows = await applications.notifications(session, signed_in.user)
    return JSONResponse(
        {
            "notifications": [
                {
                    "id": n.id,
                    "subject": n.subject,
                    "body": n.body,
                    "link": n.link,
                    "created_at": iso(n.created_at),
                    "read_at": iso(n.read_at),
                }
                for n in rows
            ]
        }
    )
