"""The labour office's own settings page (``organiser:office``): the report's letterhead
(address, logo) and signing officer (place, name, NIP, rank or position). Only the
office's organisers reach it; the form is a multipart POST with a CSRF token, so it
works without JavaScript."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from jobfair.context import AppContext
from jobfair.i18n import gettext
from jobfair.models import LabourOffice
from jobfair.models.accounts import Role
from jobfair.reference import nip
from jobfair.schemas import offices as office_schema
from jobfair.schemas.offices import OfficeReportSettings
from jobfair.schemas.problems import parse
from jobfair.services import companies, offices
from jobfair.services.errors import DomainError, PayloadTooLarge
from jobfair.services.numbers import whole_number
from jobfair.web.auth import checked_form, require
from jobfair.web.htmx import render
from jobfair.web.links import see_other

FIELDS = offices.SETTINGS_FIELDS
LIMITS = {
    "address": office_schema.ADDRESS_MAX,
    "signing_place": office_schema.PLACE_MAX,
    "signer_name": office_schema.SIGNER_NAME_MAX,
    "signer_nip": nip.NIP_TYPED_MAX,
    "signer_position": office_schema.POSITION_MAX,
}


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


def _values_of(office: LabourOffice) -> dict[str, str]:
    values = {name: getattr(office, name) or "" for name in FIELDS}
    if office.signer_nip:
        values["signer_nip"] = nip.grouped(office.signer_nip)
    return values


async def _page(
    request: Request,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    signed_in = require(request, Role.ORGANISER)
    async with _ctx(request).read() as session:
        office = await offices.own_office(session, signed_in.user)
    return render(
        request,
        "pages/organiser/office.html",
        {
            "office": office,
            "values": values if values is not None else _values_of(office),
            "errors": errors or {},
            "field_limits": LIMITS,
            "saved": request.query_params.get("saved") == "1",
        },
        status_code=status_code,
    )


async def office_page(request: Request) -> Response:
    return await _page(request)


async def office_update(request: Request) -> Response:
    signed_in = require(request, Role.ORGANISER)
    ctx = _ctx(request)
    values: dict[str, str] = {}
    try:
        length = whole_number(request.headers.get("content-length", ""), maximum=10**15) or 0
        if length > companies.LOGO_MAX_BYTES + 64 * 1024:
            message = gettext("The logo is larger than 1 MB.")
            raise PayloadTooLarge(message, fields={"logo": message})
        form = await checked_form(request)
        # Cut before parsing (the schema refuses what is too long, with its message).
        values = {name: str(form.get(name, ""))[: LIMITS[name] + 100] for name in FIELDS}
        settings = parse(
            OfficeReportSettings, values, context={"today": ctx.now().date()}, strict=False
        )
        upload = form.get("logo")
        logo = None
        if isinstance(upload, UploadFile) and upload.filename:
            logo = await upload.read(companies.LOGO_MAX_BYTES + 1)
        async with ctx.unit_of_work() as session:
            await offices.update_report_settings(
                session,
                signed_in.user,
                settings,
                logo=logo,
                remove_logo=form.get("remove_logo") == "1",
                uploads_dir=ctx.settings.uploads_dir,
            )
    except DomainError as error:
        if error.status in {403, 404}:
            raise
        return await _page(
            request,
            values=values or None,
            errors=error.fields or {"form": error.message},
            status_code=error.status,
        )
    return see_other(request, "organiser:office", {"saved": "1"})
