"""The applicant's own pages: profile, CV, applications, notifications, data rights,
and the apply button of a vacancy page."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from jobfair.context import AppContext
from jobfair.i18n import gettext
from jobfair.models.accounts import Role
from jobfair.schemas.problems import parse
from jobfair.schemas.profile import InterchangeConsentChoice, ProfileUpdate
from jobfair.services import (
    applicants,
    applications,
    catalogue,
    fairs,
    job_posting,
    notifications,
)
from jobfair.services.applicants import CV_MAX_BYTES
from jobfair.services.errors import DomainError, NotFound, PayloadTooLarge, ValidationFailed
from jobfair.services.numbers import whole_number
from jobfair.web import personal_data
from jobfair.web.account import _form_values, region_choices
from jobfair.web.auth import checked_form, current, limit, limited_confirmation, require, sign_out
from jobfair.web.downloads import download, file_download
from jobfair.web.htmx import render
from jobfair.web.links import absolute_link, see_other
from jobfair.web.middleware import FRAMEABLE_BY_SELF
from jobfair.web.templating import long_date

# Multipart overhead allowed on top of the CV itself before the body is refused unread.
UPLOAD_SLACK = 64 * 1024


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


async def _home(
    request: Request, *, cv_error: str | None = None, status_code: int = 200
) -> Response:
    signed_in = require(request, Role.APPLICANT)
    ctx = _ctx(request)
    async with ctx.read() as session:
        applicant = await applicants.applicant_of(session, signed_in.user)
        cv = await applicants.current_cv(session, applicant.id)
        views = await applicants.cv_views(session, applicant.id, limit=20)
        mine = await applications.my_applications(session, signed_in.user)
    return render(
        request,
        "pages/me/home.html",
        {
            "user": signed_in.user,
            "applicant": applicant,
            "cv": cv,
            "views": views,
            "applications": mine[:5],
            "application_total": len(mine),
            # Counted with the session lookup, as the header's badge is.
            "unread": signed_in.unread,
            "welcome": request.query_params.get("welcome") == "1",
            "cv_saved": request.query_params.get("cv") == "1",
            "cv_error": cv_error,
        },
        status_code=status_code,
    )


async def me(request: Request) -> Response:
    return await _home(request)


def _profile_values(user: Any, applicant: Any) -> dict[str, Any]:
    return {
        "full_name": user.full_name,
        "email": user.email or "",
        "phone": user.phone or "",
        "birth_place": applicant.birth_place or "",
        "education_level": applicant.education_level,
        "education_major": applicant.education_major or "",
        "institution": applicant.institution or "",
        "graduation_year": applicant.graduation_year or "",
        # 0 is an answer ("none"), unlike None ("not said").
        "experience_years": ""
        if applicant.experience_years is None
        else str(applicant.experience_years),
        "sought_kbji_code": applicant.sought_kbji_code or "",
        "domicile_regency_code": applicant.domicile_regency_code,
        "disability": [k for k in applicant.disability_kinds.split(",") if k],
        "ak1_number": applicant.ak1_number or "",
        "skills": applicant.skills,
    }


def _profile_form(
    request: Request, values: dict[str, Any], errors: dict[str, str], status_code: int = 200
) -> Response:
    return render(
        request,
        "pages/me/profile.html",
        {
            "values": values,
            "errors": errors,
            "domicile": region_choices(values, "domicile"),
        },
        status_code=status_code,
    )


async def profile_page(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    async with _ctx(request).read() as session:
        applicant = await applicants.applicant_of(session, signed_in.user)
    return _profile_form(request, _profile_values(signed_in.user, applicant), {})


async def profile_submit(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    form = await checked_form(request)
    values = _form_values(form)
    if form.get("action") == "regions":
        return _profile_form(request, values, {})
    ctx = _ctx(request)
    try:
        # Only the editable fields count; NIK, sex, birth date and KTP regency are ignored.
        changes = parse(
            ProfileUpdate,
            {**values, "current_password": str(form.get("current_password", "")) or None},
            strict=False,
        )

        async def save() -> None:
            password = await ctx.passwords.check(
                signed_in.user.password_hash, changes.current_password
            )
            async with ctx.unit_of_work() as session:
                await applicants.update_profile(
                    session, signed_in.user, changes, password, ctx.now()
                )

        await limited_confirmation(request, signed_in.user, save)
    except DomainError as error:
        return _profile_form(request, values, error.fields or {"form": error.message}, error.status)
    return see_other(request, "me:home", {"profile": "1"})


async def sharing_page(request: Request) -> Response:
    """The consent to be shared with the ministry's systems: its state, given or
    withdrawn here (UU PDP: as easy to withdraw as to give)."""
    signed_in = require(request, Role.APPLICANT)
    async with _ctx(request).read() as session:
        applicant = await applicants.applicant_of(session, signed_in.user)
    return render(
        request,
        "pages/me/sharing.html",
        {"applicant": applicant, "saved": request.query_params.get("saved") == "1"},
    )


async def sharing_submit(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    form = await checked_form(request)
    choice = parse(InterchangeConsentChoice, dict(form), strict=False)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        await applicants.set_interchange_consent(
            session, signed_in.user, choice.interchange_consent, ctx.now()
        )
    return see_other(request, "me:sharing", {"saved": "1"})


def _too_big(request: Request) -> bool:
    length = request.headers.get("content-length", "")
    return (whole_number(length, maximum=10**15) or 0) > CV_MAX_BYTES + UPLOAD_SLACK


async def cv_upload(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    ctx = _ctx(request)
    try:
        if _too_big(request):
            message = gettext("The CV is larger than 2 MB. Save it smaller and try again.")
            raise PayloadTooLarge(message, fields={"file": message})
        form = await checked_form(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            message = gettext("Choose a PDF file to upload.")
            raise ValidationFailed(message, fields={"file": message})
        data, filename = await upload.read(CV_MAX_BYTES + 1), upload.filename
        async with ctx.unit_of_work() as session:
            await applicants.store_cv(
                session, signed_in.user, data, filename, ctx.settings.uploads_dir, ctx.now()
            )
    except DomainError as error:
        message = (error.fields or {}).get("file", error.message)
        return await _home(request, cv_error=message, status_code=error.status)
    return see_other(request, "me:home", {"cv": "1"})


def cv_response(cv_file: applicants.CvFile, *, inline: bool = False) -> Response:
    """The CV as a download, or ``inline`` for the preview frame of this site's pages
    (the only answer that may be framed, and only by this site)."""
    if not cv_file.path.is_file():
        raise NotFound("cv file missing")
    response = file_download(cv_file.path, "application/pdf", cv_file.filename, inline=inline)
    if inline:
        response.headers.update(FRAMEABLE_BY_SELF)
    return response


async def cv_download(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        applicant = await applicants.applicant_of(session, signed_in.user)
        cv_file = await applicants.open_cv(
            session, signed_in.user, applicant.id, ctx.settings.uploads_dir, ctx.now()
        )
    return cv_response(cv_file)


async def my_applications(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    async with _ctx(request).read() as session:
        mine = await applications.my_applications(session, signed_in.user)
    return render(request, "pages/me/applications.html", {"applications": mine})


async def my_application(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    async with _ctx(request).read() as session:
        item, timeline = await applications.my_application(
            session, signed_in.user, request.path_params["application_id"]
        )
        placement = await applications.placement_of(session, signed_in.user, item.id)
        sent = request.query_params.get("sent") == "1"
        withdrawn = request.query_params.get("withdrawn") == "1"
        warnings: list[applications.ApplyWarning] = []
        if sent:
            applicant = await applicants.applicant_of(session, signed_in.user)
            cv = await applicants.current_cv(session, applicant.id)
            warnings = applications.apply_warnings(cv is not None)
    return render(
        request,
        "pages/me/application.html",
        {
            "placement": placement,
            "item": item,
            "timeline": timeline,
            "sent": sent,
            "withdrawn": withdrawn and applications.may_send_again(item.status),
            "warnings": warnings,
            "error": None,
        },
    )


async def withdraw(request: Request) -> Response:
    """The withdraw button leads to a confirmation step (a page, no script); only its
    second POST, with ``confirm=1``, withdraws."""
    signed_in = require(request, Role.APPLICANT)
    form = await checked_form(request)
    ctx = _ctx(request)
    application_id = request.path_params["application_id"]
    if form.get("confirm") != "1":
        async with ctx.read() as session:
            item, _timeline = await applications.my_application(
                session, signed_in.user, application_id
            )
        if not item.can_withdraw:
            return see_other(request, "me:application", application_id=application_id)
        return render(request, "pages/me/withdraw.html", {"item": item})
    async with ctx.unit_of_work() as session:
        await applications.withdraw(session, signed_in.user, application_id, ctx.now())
    return see_other(
        request,
        "me:application",
        {"withdrawn": "1"},
        fragment="confirmation",
        application_id=application_id,
    )


async def notifications_page(request: Request) -> Response:
    signed_in = require(request)
    async with _ctx(request).read() as session:
        rows = await notifications.inbox(session, signed_in.user)
    return render(request, "pages/me/notifications.html", {"notifications": rows})


async def notifications_read(request: Request) -> Response:
    """Mark every notification read (GET never changes state, so opening the page does
    not: the badge goes when the user says so, here or per notification)."""
    signed_in = require(request)
    await checked_form(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        await notifications.mark_read(session, signed_in.user, ctx.now())
    return see_other(request, "me:notifications")


async def notification_read(request: Request) -> Response:
    signed_in = require(request)
    await checked_form(request)
    ctx = _ctx(request)
    notification_id = request.path_params["notification_id"]
    async with ctx.unit_of_work() as session:
        await notifications.mark_read(session, signed_in.user, ctx.now(), notification_id)
    return see_other(request, "me:notifications", fragment=f"notification-{notification_id}")


async def _my_data(request: Request) -> dict[str, Any]:
    signed_in = require(request, Role.APPLICANT)
    ctx = _ctx(request)
    async with ctx.read() as session:
        return await applicants.export_my_data(session, signed_in.user, ctx.nik_vault)


async def my_data(request: Request) -> Response:
    body = json.dumps(await _my_data(request), ensure_ascii=False, indent=2)
    return download(body, "application/json", gettext("my-data") + ".json")


async def my_data_page(request: Request) -> Response:
    parts = personal_data.sections(await _my_data(request))
    response = render(request, "pages/me/data.html", {"parts": parts})
    # Personal data (the NIK among it): kept by no cache, the browser's own included.
    response.headers["Cache-Control"] = "private, no-store"
    return response


async def my_data_pdf(request: Request) -> Response:
    data = await _my_data(request)
    title = gettext("My data")
    subtitle = gettext(
        "Everything this platform holds about %(name)s, on %(day)s.",
        name=data["account"]["full_name"],
        day=long_date(_ctx(request).now().date()),
    )
    body = await asyncio.to_thread(
        personal_data.to_pdf, personal_data.sections(data), title, subtitle
    )
    return download(body, "application/pdf", gettext("my-data") + ".pdf")


async def delete_page(request: Request) -> Response:
    require(request, Role.APPLICANT)
    return render(request, "pages/me/delete.html", {"errors": {}})


async def delete_submit(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    form = await checked_form(request)
    ctx = _ctx(request)
    try:
        password = await ctx.passwords.check(
            signed_in.user.password_hash, str(form.get("password", ""))
        )
        async with ctx.unit_of_work() as session:
            await applicants.delete_account(
                session,
                signed_in.user,
                password,
                ctx.settings.uploads_dir,
                ctx.now(),
            )
    except DomainError as error:
        return render(
            request,
            "pages/me/delete.html",
            {"errors": error.fields or {"password": error.message}},
            status_code=error.status,
        )
    sign_out(request)
    return see_other(request, "public:fairs", {"deleted": "1"})


# --------------------------------------------------------------------- applying


async def vacancy_page(request: Request) -> Response:
    return await _vacancy_page(request, error=None, status_code=200)


async def _vacancy_page(request: Request, *, error: str | None, status_code: int) -> Response:
    ctx = _ctx(request)
    signed_in = current(request)
    now = ctx.now()
    applied = None
    withdrawn_before = None
    problems: list[str] = []
    alternatives: list[Any] = []
    warnings: list[applications.ApplyWarning] = []
    async with ctx.read() as session:
        fair = await fairs.get_fair(session, request.path_params["slug"], hosts=False)
        vacancy = await catalogue.get_vacancy(session, fair, request.path_params["vacancy_id"])
        closed = applications.closed_reason(vacancy, fair, now)
        if signed_in and signed_in.user.role == Role.APPLICANT:
            applied = await applications.applied_vacancy_status(session, signed_in.user, vacancy.id)
            if applied and applications.may_send_again(applied[1]):
                # Withdrawn: the form comes back, with a word about the earlier one.
                withdrawn_before, applied = applied, None
            applicant = await applicants.applicant_of(session, signed_in.user)
            problems = applications.requirement_problems(applicant, vacancy, fair, now)
            if not applied and not closed:
                if problems:
                    alternatives = await applications.vacancies_met(session, applicant, fair, now)
                else:
                    cv = await applicants.current_cv(session, applicant.id)
                    warnings = applications.apply_warnings(cv is not None)
    # Shared links and search engines need the absolute address, not the path.
    share_url = absolute_link(request, "public:vacancy", slug=fair.slug, vacancy_id=vacancy.id)
    return render(
        request,
        "pages/public/vacancy.html",
        {
            "fair": fair,
            "phase": fair.phase(now),
            "vacancy": vacancy,
            "closed_reason": closed,
            "applied": applied,
            "withdrawn_before": withdrawn_before,
            "problems": problems,
            "alternatives": alternatives,
            "warnings": warnings,
            "apply_error": error,
            "share_url": share_url,
            "whatsapp_url": "https://wa.me/?text=" + quote(f"{vacancy.title} {share_url}", safe=""),
            "job_posting_json": job_posting.script_json(
                job_posting.job_posting(vacancy, fair, share_url)
            ),
        },
        status_code=status_code,
    )


async def apply(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    await checked_form(request)
    ctx = _ctx(request)
    try:
        await limit(request, "apply:user", str(signed_in.user.id))
        async with ctx.unit_of_work() as session:
            # The fair is checked from the applied vacancy (a wrong slug rolls back and
            # answers 404), which spares a query while holding the write lock.
            submitted = await applications.submit(
                session, signed_in.user, request.path_params["vacancy_id"], ctx.now()
            )
            if submitted.summary.fair_slug != request.path_params["slug"]:
                raise NotFound("vacancy not in this fair")
            application_id = submitted.application.id
    except DomainError as error:
        if error.status == 404:
            raise
        try:
            return await _vacancy_page(request, error=error.message, status_code=error.status)
        except NotFound:
            # The vacancy is no longer on show (its office withdrew the company): the
            # error page says why, in the service's words.
            return render(
                request,
                "pages/error.html",
                {"status": error.status, "message": error.message},
                status_code=error.status,
            )
    # The fragment takes the browser (and a screen reader's focus) to the confirmation.
    return see_other(
        request,
        "me:application",
        {"sent": "1"},
        fragment="confirmation",
        application_id=application_id,
    )
