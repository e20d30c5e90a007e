"""Hiring drive pages: the organiser's list, form and drive page (progress, weeks,
partners, silent partners, linked fairs); the partner company's form to report a direct
placement; the applicant's answer to one.

Handlers parse the form, call one service in a unit of work and render; the rules
(scope, the locality rule, what counts) live in :mod:`jobfair.services.drives`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.i18n import N_, gettext
from jobfair.models.accounts import Role
from jobfair.services import authority, drives, offices
from jobfair.services.errors import DomainError
from jobfair.services.numbers import whole_number
from jobfair.stats import drive_report, exports
from jobfair.stats.charts import drive_weeks_chart
from jobfair.stats.present import Presenter
from jobfair.web.account import region_choices
from jobfair.web.auth import checked_form, require
from jobfair.web.downloads import download
from jobfair.web.htmx import render
from jobfair.web.links import see_other
from jobfair.web.organiser import _host_choices

STAFF = (Role.ORGANISER, Role.ADMIN)
# The progress downloads, as the report's: PDF, XLSX and a zip of CSV files.
DOWNLOADS = ("pdf", "xlsx", "zip")
FIELDS = ("name", "first_day", "last_day", "target", "office")
DONE = {
    "created": N_("The drive was created. Link its fairs and add its partner companies."),
    "saved": N_("Saved."),
    "reported": N_("Reported. The person is asked to confirm it; it counts once they do."),
    "answered": N_("Thank you, your answer is saved."),
}


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


def _done(request: Request) -> str | None:
    key = request.query_params.get("done", "")
    return gettext(DONE[key]) if key in DONE else None


def _values(form: FormData) -> dict[str, str]:
    return {key: str(form.get(key, ""))[:400] for key in (*FIELDS, "local_province")}


def _codes(form: FormData) -> list[str]:
    """The regencies kept (checked) plus the one chosen in the picker, if any."""
    codes = [str(code) for code in form.getlist("regency_codes")][: drives.REGENCIES_MAX + 1]
    picked = str(form.get("local_regency_code", "")).strip()
    if picked and picked not in codes:
        codes.append(picked)
    return codes


# ------------------------------------------------------------------ organiser


async def drive_list(request: Request) -> Response:
    signed_in = require(request, *STAFF)
    async with _ctx(request).read() as session:
        rows = [
            (drive, await drives.progress(session, drive))
            for drive in await drives.office_drives(session, signed_in.user)
        ]
    return render(request, "pages/organiser/drives.html", {"rows": rows})


async def _form(
    request: Request,
    *,
    drive: Any,
    values: dict[str, str],
    codes: list[str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    signed_in = require(request, *STAFF)
    async with _ctx(request).read() as session:
        offices = await authority.offices(session, signed_in.user)
    return render(
        request,
        "pages/organiser/drive_form.html",
        {
            "drive": drive,
            "values": values,
            "regencies": _host_choices(codes),
            "errors": errors,
            "region": region_choices(values, "local"),
            "offices": offices,
            "is_admin": authority.is_admin(signed_in.user),
        },
        status_code=status_code,
    )


async def drive_new(request: Request) -> Response:
    signed_in = require(request, *STAFF)
    values: dict[str, str] = {}
    codes: list[str] = []
    async with _ctx(request).read() as session:
        offices = await authority.offices(session, signed_in.user)
    if signed_in.user.office_id and offices:
        # The office's own regency is the usual locality rule; the organiser may change it.
        office = offices[0]
        values["local_province"] = office.province_code or ""
        codes = [office.regency_code] if office.regency_code else []
    return await _form(request, drive=None, values=values, codes=codes, errors={})


async def drive_create(request: Request) -> Response:
    signed_in = require(request, *STAFF)
    form = await checked_form(request)
    values, codes = _values(form), _codes(form)
    if form.get("action") in ("regions", "add_host"):
        return await _form(request, drive=None, values=values, codes=codes, errors={})
    ctx = _ctx(request)
    try:
        async with ctx.unit_of_work() as session:
            drive = await drives.create_drive(session, signed_in.user, values, codes, ctx.now())
            drive_id = drive.id
    except DomainError as error:
        if not error.fields:
            raise
        return await _form(
            request,
            drive=None,
            values=values,
            codes=codes,
            errors=error.fields,
            status_code=error.status,
        )
    return see_other(request, "organiser:drive", {"done": "created"}, drive_id=drive_id)


async def drive_page(request: Request) -> Response:
    signed_in = require(request, *STAFF)
    ctx = _ctx(request)
    async with ctx.read() as session:
        drive = await drives.scoped_drive(session, signed_in.user, request.path_params["drive_id"])
        progress = await drives.progress(session, drive)
        setup = await drives.setup_of(session, drive)
    p = Presenter.of(i18n.current_locale())
    chart = drive_weeks_chart([(week.number, week.placed) for week in progress.weeks], p)
    return render(
        request,
        "pages/organiser/drive.html",
        {
            "drive": drive,
            "progress": progress,
            "setup": setup,
            "share": p.share(progress.share),
            "chart": Markup(chart.svg()),  # noqa: S704 - built from escaped parts
            "chart_title": chart.title,
            "notice": _done(request),
            "downloads": DOWNLOADS,
        },
    )


async def drive_download(request: Request) -> Response:
    """The drive's progress now as PDF (with the office's letterhead), XLSX or CSV files:
    the page's figures (``drives.progress``), scoped as the page."""
    signed_in = require(request, *STAFF)
    kind = request.path_params["kind"]
    if kind not in DOWNLOADS:
        raise authority.not_found()
    ctx = _ctx(request)
    async with ctx.read() as session:
        found = await drives.progress_file(session, signed_in.user, request.path_params["drive_id"])
    data = drive_report.drive_report_data(
        found.drive,
        found.progress,
        office=found.office.name,
        timezone=found.timezone,
        now=ctx.now(),
    )
    locale = i18n.current_locale()
    letterhead = offices.letterhead(found.office, ctx.settings.uploads_dir)
    body = await asyncio.to_thread(exports.export, data, kind, locale, letterhead)
    return download(body, exports.FORMATS[kind], drive_report.filename(data, kind, locale))


async def drive_edit(request: Request) -> Response:
    signed_in = require(request, *STAFF)
    async with _ctx(request).read() as session:
        drive = await drives.scoped_drive(session, signed_in.user, request.path_params["drive_id"])
    return await _form(
        request,
        drive=drive,
        values=drives.form_values(drive),
        codes=drive.regency_codes,
        errors={},
    )


async def drive_update(request: Request) -> Response:
    signed_in = require(request, *STAFF)
    form = await checked_form(request)
    values, codes = _values(form), _codes(form)
    ctx = _ctx(request)
    drive_id = request.path_params["drive_id"]
    async with ctx.read() as session:
        drive = await drives.scoped_drive(session, signed_in.user, drive_id)
    if form.get("action") in ("regions", "add_host"):
        return await _form(request, drive=drive, values=values, codes=codes, errors={})
    try:
        async with ctx.unit_of_work() as session:
            await drives.update_drive(session, signed_in.user, drive_id, values, codes, ctx.now())
    except DomainError as error:
        if not error.fields:
            raise
        return await _form(
            request,
            drive=drive,
            values=values,
            codes=codes,
            errors=error.fields,
            status_code=error.status,
        )
    return see_other(request, "organiser:drive", {"done": "saved"}, drive_id=drive_id)


async def drive_fairs(request: Request) -> Response:
    """Link or unlink one fair (``fair``, ``action`` = link | unlink)."""
    signed_in = require(request, *STAFF)
    form = await checked_form(request)
    ctx = _ctx(request)
    drive_id = request.path_params["drive_id"]
    fair_id = whole_number(form.get("fair"), minimum=1) or 0
    async with ctx.unit_of_work() as session:
        await drives.link_fair(
            session, signed_in.user, drive_id, fair_id, linked=form.get("action") != "unlink"
        )
    return see_other(request, "organiser:drive", {"done": "saved"}, drive_id=drive_id)


async def drive_partners(request: Request) -> Response:
    """Add or remove one partner company (``company``, ``action`` = add | remove)."""
    signed_in = require(request, *STAFF)
    form = await checked_form(request)
    ctx = _ctx(request)
    drive_id = request.path_params["drive_id"]
    company_id = whole_number(form.get("company"), minimum=1) or 0
    async with ctx.unit_of_work() as session:
        await drives.set_partner(
            session,
            signed_in.user,
            drive_id,
            company_id,
            ctx.now(),
            partner=form.get("action") != "remove",
        )
    return see_other(
        request, "organiser:drive", {"done": "saved"}, fragment="partners", drive_id=drive_id
    )


# ------------------------------------------------------------------ company


async def company_drives(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    async with _ctx(request).read() as session:
        rows = await drives.partner_drives(session, signed_in.user)
    return render(request, "pages/company/drives.html", {"rows": rows, "notice": _done(request)})


async def _report_form(
    request: Request, *, values: dict[str, str], errors: dict[str, str], status_code: int = 200
) -> Response:
    signed_in = require(request, Role.RECRUITER)
    async with _ctx(request).read() as session:
        mine = {drive.id: drive for drive in await drives.partner_drives(session, signed_in.user)}
    drive = mine.get(request.path_params["drive_id"])
    if drive is None:
        raise authority.not_found()
    return render(
        request,
        "pages/company/drive_report.html",
        {"drive": drive, "values": values, "errors": errors},
        status_code=status_code,
    )


async def report_page(request: Request) -> Response:
    return await _report_form(request, values={}, errors={})


async def report_submit(request: Request) -> Response:
    signed_in = require(request, Role.RECRUITER)
    form = await checked_form(request)
    values = {key: str(form.get(key, ""))[:400] for key in ("who", "job_title", "start_date")}
    ctx = _ctx(request)
    try:
        async with ctx.unit_of_work() as session:
            await drives.report_placement(
                session,
                signed_in.user,
                request.path_params["drive_id"],
                values,
                ctx.nik_vault.fingerprint,
                ctx.now(),
                # The answer page's path without its id: the service appends the new id.
                applicants_path=request.app.url_path_for(
                    "me:direct_placement", placement_id=0
                ).rsplit("/", 1)[0],
                base_url=ctx.settings.base_url,
            )
    except DomainError as error:
        if error.status == 404:
            raise
        return await _report_form(
            request,
            values=values,
            errors=error.fields or {"form": error.message},
            status_code=error.status,
        )
    return see_other(request, "company:drives", {"done": "reported"})


# ------------------------------------------------------------------ applicant


async def placement_page(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    async with _ctx(request).read() as session:
        mine = await drives.my_direct_placement(
            session, signed_in.user, request.path_params["placement_id"]
        )
    return render(
        request,
        "pages/me/direct_placement.html",
        {"mine": mine, "placement": mine.placement, "notice": _done(request)},
    )


async def placement_answer(request: Request) -> Response:
    signed_in = require(request, Role.APPLICANT)
    form = await checked_form(request)
    ctx = _ctx(request)
    placement_id = request.path_params["placement_id"]
    async with ctx.unit_of_work() as session:
        await drives.decide_direct_placement(
            session,
            signed_in.user,
            placement_id,
            form.get("confirm") == "1",
            ctx.now(),
            str(form.get("reason", "")).strip() or None,
        )
    return see_other(
        request, "me:direct_placement", {"done": "answered"}, placement_id=placement_id
    )
