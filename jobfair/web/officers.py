"""Placement officers' pages in the organiser console: the officer's own profile (NIP,
functional position, certification), walk-in registration of a job seeker, the
officer evaluation of a period (page, PDF, XLSX) and the interchange with the
ministry's systems (CSV/JSON exports, AK/I import).

Only organisers (who belong to an office) reach them; every change is a POST with a
CSRF token, so the pages work without JavaScript.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from jobfair.context import AppContext
from jobfair.i18n import gettext
from jobfair.models import LabourOffice, User
from jobfair.models.accounts import Role
from jobfair.reference import nip as nip_rules
from jobfair.schemas.officers import CERTIFICATION_MAX, OfficerProfile, WalkInRegistration
from jobfair.schemas.problems import parse
from jobfair.services import interchange, officers, offices, periods, times
from jobfair.services.auth import INVITATION_DAYS
from jobfair.services.errors import DomainError, PayloadTooLarge, ValidationFailed
from jobfair.services.numbers import whole_number
from jobfair.stats import evaluation_exports
from jobfair.web.account import _form_values, region_choices
from jobfair.web.auth import SignedIn, checked_form, require
from jobfair.web.downloads import download
from jobfair.web.htmx import render
from jobfair.web.links import absolute_link, see_other

AK1_UPLOAD_MAX = 2 * 1024 * 1024


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


def _organiser(request: Request) -> SignedIn:
    return require(request, Role.ORGANISER)


def _today(ctx: AppContext) -> date:
    return times.local_date(ctx.now())


# ---------------------------------------------------------------- the period


def _period_values(request: Request) -> dict[str, str]:
    return {
        key: request.query_params.get(key, "")[:20]
        for key in ("kind", "year", "number", "start", "end")
    }


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _period(request: Request, today: date) -> tuple[periods.Period, dict[str, str], dict[str, str]]:
    """The period the query names (this quarter when it names none), the form's values
    and the errors of a period that could not be read (then this quarter is shown)."""
    values = _period_values(request)
    if not values["kind"]:
        period = periods.Period.containing("quarter", today)
        values.update(kind="quarter", year=str(period.start.year), number=str(period.number))
        return period, values, {}
    try:
        period = periods.parse(
            values["kind"],
            whole_number(values["year"], minimum=0, maximum=9999),
            whole_number(values["number"], minimum=0, maximum=99),
            _date(values["start"]),
            _date(values["end"]),
        )
    except ValidationFailed as error:
        return periods.Period.containing("quarter", today), values, error.fields or {}
    return period, values, {}


def _period_query(period: periods.Period) -> dict[str, str]:
    if period.kind is periods.PeriodKind.CUSTOM:
        return {"kind": "custom", "start": period.start.isoformat(), "end": period.end.isoformat()}
    return {"kind": period.kind.value, "year": str(period.start.year), "number": str(period.number)}


async def _office(ctx: AppContext, user: User) -> LabourOffice:
    async with ctx.read() as session:
        return await offices.own_office(session, user)


# ------------------------------------------------------------------ profile


def _profile_values(user: User) -> dict[str, str]:
    return {
        "nip": nip_rules.grouped(user.nip) if user.nip else "",
        "functional_position": user.functional_position or "",
        "certification": user.certification or "",
        "certified_on": user.certified_on.isoformat() if user.certified_on else "",
    }


async def _profile_page(
    request: Request,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    signed_in = _organiser(request)
    return render(
        request,
        "pages/organiser/officer.html",
        {
            "values": values if values is not None else _profile_values(signed_in.user),
            "errors": errors or {},
            "positions": [
                (code, gettext(label)) for code, label in officers.POSITION_LABELS.items()
            ],
            "limits_here": {"nip": nip_rules.NIP_TYPED_MAX, "certification": CERTIFICATION_MAX},
            "saved": request.query_params.get("saved") == "1",
        },
        status_code=status_code,
    )


async def officer_profile(request: Request) -> Response:
    return await _profile_page(request)


async def officer_profile_update(request: Request) -> Response:
    signed_in = _organiser(request)
    ctx = _ctx(request)
    form = await checked_form(request)
    values = {
        name: str(form.get(name, ""))[:300]
        for name in ("nip", "functional_position", "certification", "certified_on")
    }
    try:
        profile = parse(OfficerProfile, values, context={"today": _today(ctx)}, strict=False)
        async with ctx.unit_of_work() as session:
            await officers.update_profile(session, signed_in.user, profile)
    except DomainError as error:
        if error.status in {403, 404}:
            raise
        return await _profile_page(
            request, values, error.fields or {"form": error.message}, error.status
        )
    return see_other(request, "organiser:officer", {"saved": "1"})


# ---------------------------------------------------------------- walk-in


def _walk_in_context(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "values": values,
        "errors": errors,
        "ktp": region_choices(values, "ktp"),
        "domicile": region_choices(values, "domicile"),
    }


async def walk_in_page(request: Request) -> Response:
    _organiser(request)
    return render(
        request, "pages/organiser/walk_in.html", _walk_in_context({"handover": "email"}, {})
    )


async def walk_in_create(request: Request) -> Response:
    signed_in = _organiser(request)
    ctx = _ctx(request)
    form = await checked_form(request)
    values = _form_values(form)
    if form.get("action") == "regions":
        return render(request, "pages/organiser/walk_in.html", _walk_in_context(values, {}))
    try:
        registration = parse(
            WalkInRegistration, dict(values), context={"today": _today(ctx)}, strict=False
        )
        async with ctx.unit_of_work() as session:
            result = await officers.register_walk_in(
                session,
                signed_in.user,
                registration,
                ctx.nik_vault,
                ctx.now(),
                reset_page=absolute_link(request, "account:reset"),
            )
    except DomainError as error:
        if error.status in {403, 404}:
            raise
        return render(
            request,
            "pages/organiser/walk_in.html",
            _walk_in_context(values, error.fields or {"form": error.message}),
            status_code=error.status,
        )
    # Rendered, not redirected: the SMS text holds a set-password link and is shown
    # this once (never in a URL, never stored; the page is not cached).
    response = render(
        request,
        "pages/organiser/walk_in_done.html",
        {
            "full_name": registration.full_name,
            "sms_text": result.sms_text,
            "mailed_to": result.mailed_to,
            "invitation_days": INVITATION_DAYS,
        },
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------- evaluation


async def _evaluation(ctx: AppContext, user: User, period: periods.Period) -> dict[str, Any]:
    async with ctx.read() as session:
        office = await offices.own_office(session, user)
        result = await officers.evaluation(session, office, period)
    return {"office": office, "table": officers.table(result)}


async def evaluation_page(request: Request) -> Response:
    signed_in = _organiser(request)
    ctx = _ctx(request)
    period, values, errors = _period(request, _today(ctx))
    data = await _evaluation(ctx, signed_in.user, period)
    return render(
        request,
        "pages/organiser/evaluation.html",
        {
            **data,
            "period": period,
            "values": values,
            "errors": errors,
            "period_query": _period_query(period),
        },
        status_code=400 if errors else 200,
    )


async def evaluation_export(request: Request) -> Response:
    signed_in = _organiser(request)
    ctx = _ctx(request)
    file_format = request.query_params.get("format", "")
    if file_format not in evaluation_exports.FORMATS:
        raise ValidationFailed(gettext("Choose PDF or XLSX."))
    period, _values, errors = _period(request, _today(ctx))
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    data = await _evaluation(ctx, signed_in.user, period)
    office, table = data["office"], data["table"]
    if file_format == "pdf":
        letterhead = offices.letterhead(office, ctx.settings.uploads_dir)
        body = await asyncio.to_thread(evaluation_exports.to_pdf, table, letterhead, ctx.now())
    else:
        body = await asyncio.to_thread(evaluation_exports.to_xlsx, table)
    return download(
        body,
        evaluation_exports.FORMATS[file_format],
        evaluation_exports.filename(table, file_format, office.slug),
    )


# ------------------------------------------------------------ interchange


async def _interchange_page(
    request: Request,
    *,
    report: interchange.Ak1Import | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    signed_in = _organiser(request)
    ctx = _ctx(request)
    period, values, period_errors = _period(request, _today(ctx))
    office = await _office(ctx, signed_in.user)
    return render(
        request,
        "pages/organiser/interchange.html",
        {
            "office": office,
            "period": period,
            "values": values,
            "errors": {**period_errors, **(errors or {})},
            "period_query": _period_query(period),
            "datasets": interchange.DATASETS,
            "formats": interchange.FORMATS,
            "report": report,
        },
        status_code=status_code,
    )


async def interchange_page(request: Request) -> Response:
    return await _interchange_page(request)


async def interchange_export(request: Request) -> Response:
    signed_in = _organiser(request)
    ctx = _ctx(request)
    name = request.query_params.get("dataset", "")
    file_format = request.query_params.get("format", "")
    if file_format not in interchange.FORMATS:
        raise ValidationFailed(gettext("Choose CSV or JSON."))
    period, _values, errors = _period(request, _today(ctx))
    if errors:
        raise ValidationFailed(next(iter(errors.values())), fields=errors)
    async with ctx.unit_of_work() as session:
        office = await offices.own_office(session, signed_in.user)
        rows = await interchange.dataset(
            session, office, name, period, ctx.nik_vault, actor_user_id=signed_in.user.id
        )
    body = interchange.encode(name, file_format, rows, office, period)
    return download(
        body,
        interchange.CONTENT_TYPES[file_format],
        interchange.filename(office, name, period, file_format),
    )


async def ak1_import(request: Request) -> Response:
    signed_in = _organiser(request)
    ctx = _ctx(request)
    try:
        length = whole_number(request.headers.get("content-length", ""), maximum=10**15) or 0
        if length > AK1_UPLOAD_MAX + 64 * 1024:
            message = gettext("The file is larger than 2 MB.")
            raise PayloadTooLarge(message, fields={"file": message})
        form = await checked_form(request)
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            message = gettext("Choose a CSV file.")
            raise ValidationFailed(message, fields={"file": message})
        content = await upload.read(AK1_UPLOAD_MAX + 1)
        if len(content) > AK1_UPLOAD_MAX:
            message = gettext("The file is larger than 2 MB.")
            raise PayloadTooLarge(message, fields={"file": message})
        async with ctx.unit_of_work() as session:
            office = await offices.own_office(session, signed_in.user)
            report = await interchange.import_ak1(
                session,
                office,
                content,
                ctx.nik_vault,
                _today(ctx),
                actor_user_id=signed_in.user.id,
            )
    except DomainError as error:
        if error.status in {403, 404}:
            raise
        return await _interchange_page(
            request, errors=error.fields or {"file": error.message}, status_code=error.status
        )
    return await _interchange_page(request, report=report)
