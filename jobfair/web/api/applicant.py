"""JSON API for accounts and applicants: tokens, registration, own profile and CV,
applying, own applications, notifications and data rights (DESIGN §7)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from jobfair.context import AppContext
from jobfair.i18n import gettext
from jobfair.models import User
from jobfair.models.accounts import Role
from jobfair.schemas.accounts import (
    DeleteAccount,
    ProfileUpdate,
    Registration,
    RegistrationReceived,
    Token,
    TokenRequest,
)
from jobfair.schemas.applications import MyApplicationList, NotificationList
from jobfair.services import applicants, applications, auth
from jobfair.services.applicants import CV_MAX_BYTES
from jobfair.services.errors import (
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
)
from jobfair.services.notifications import inbox
from jobfair.services.numbers import whole_number
from jobfair.web.api import serializers
from jobfair.web.api.bodies import json_body, parse, read
from jobfair.web.api.serializers import respond
from jobfair.web.applicant import UPLOAD_SLACK
from jobfair.web.auth import (
    limit,
    limit_identities,
    limited_confirmation,
    limited_sign_in,
    require,
)


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


# ------------------------------------------------------------------------ tokens


async def create_token(request: Request) -> JSONResponse:
    body = await read(request, TokenRequest)
    login = body.identifier[:254]
    ctx = _ctx(request)

    async def attempt(check: auth.LoginCheck) -> Token:
        async with ctx.unit_of_work() as session:
            user = await auth.authenticate(session, check)
            raw, row = await auth.create_api_token(
                session,
                user,
                body.name or "api",
                lifetime=ctx.settings.api_token_lifetime,
                now=ctx.now(),
            )
            return Token(token=raw, id=row.id, role=user.role)

    return respond(await limited_sign_in(request, login, body.password[:200], attempt), 201)


async def revoke_token(request: Request) -> Response:
    signed_in = require(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        await auth.revoke_api_token(
            session, signed_in.user, request.path_params["token_id"], ctx.now()
        )
    return Response(status_code=204)


# ---------------------------------------------------------------------- applicants


async def register(request: Request) -> JSONResponse:
    data = await json_body(request)
    await limit(request, "register:address")
    ctx = _ctx(request)
    registration = parse(Registration, data, {"today": ctx.now().date()})
    await limit_identities(
        request,
        "register:identity",
        applicants.registration_identities(registration, ctx.nik_vault),
    )
    password_hash = await ctx.passwords.hash(registration.password)
    async with ctx.unit_of_work() as session:
        # None when the details were registered already: the answer is the same.
        await applicants.register_applicant(
            session, registration, password_hash, ctx.nik_vault, ctx.now()
        )
    return respond(RegistrationReceived(), 201)


async def me(request: Request) -> JSONResponse:
    signed_in = require(request)
    user = signed_in.user
    if user.role != Role.APPLICANT:
        return respond(serializers.account(user))
    async with _ctx(request).read() as session:
        applicant = await applicants.applicant_of(session, user)
        cv = await applicants.current_cv(session, applicant.id)
    return respond(serializers.profile(user, applicant, cv))


async def update_me(request: Request) -> JSONResponse:
    signed_in = require(request, Role.APPLICANT)
    changes = await read(request, ProfileUpdate)
    ctx = _ctx(request)

    async def save() -> Any:
        password = await ctx.passwords.check(signed_in.user.password_hash, changes.current_password)
        async with ctx.unit_of_work() as session:
            applicant = await applicants.update_profile(
                session, signed_in.user, changes, password, ctx.now()
            )
            cv = await applicants.current_cv(session, applicant.id)
            user = await session.get(User, signed_in.user.id)
            return serializers.profile(user, applicant, cv)

    return respond(await limited_confirmation(request, signed_in.user, save))


async def delete_me(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    body = await read(request, DeleteAccount)
    ctx = _ctx(request)
    password = await ctx.passwords.check(signed_in.user.password_hash, body.password)
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
        body = serializers.cv_info(cv)
    return respond(body, 201)


# -------------------------------------------------------------------- applications


async def apply(request: Request) -> JSONResponse:
    signed_in = require(request, Role.APPLICANT)
    await limit(request, "apply:user", str(signed_in.user.id))
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        submitted = await applications.submit(
            session, signed_in.user, request.path_params["vacancy_id"], ctx.now()
        )
    return respond(serializers.submitted_application(submitted), 201)


async def my_applications(request: Request) -> JSONResponse:
    signed_in = require(request, Role.APPLICANT)
    async with _ctx(request).read() as session:
        mine = await applications.my_applications(session, signed_in.user)
    return respond(MyApplicationList(applications=[serializers.my_application(i) for i in mine]))


async def my_application(request: Request) -> JSONResponse:
    signed_in = require(request, Role.APPLICANT)
    async with _ctx(request).read() as session:
        item, timeline = await applications.my_application(
            session, signed_in.user, request.path_params["application_id"]
        )
    return respond(serializers.my_application_detail(item, timeline))


async def withdraw(request: Request) -> JSONResponse:
    signed_in = require(request, Role.APPLICANT)
    ctx = _ctx(request)
    application_id = request.path_params["application_id"]
    async with ctx.unit_of_work() as session:
        await applications.withdraw(session, signed_in.user, application_id, ctx.now())
    async with ctx.read() as session:
        item, _timeline = await applications.my_application(session, signed_in.user, application_id)
    return respond(serializers.my_application(item))


async def notifications(request: Request) -> JSONResponse:
    signed_in = require(request)
    async with _ctx(request).read() as session:
        rows = await inbox(session, signed_in.user)
    return respond(NotificationList(notifications=[serializers.notification(n) for n in rows]))
