"""The office's statistics over a period (``organiser:office_report``): pick a month,
quarter, semester, year or dates (a GET form, so it works without JavaScript), request
a compile, see the versions of that period, the IPK layouts, tables, charts and
definitions as the fair report shows them, and download PDF (with the office's
letterhead and signer), XLSX in the IPK layout, or CSV files. Organisers see their own
office only."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.i18n import N_
from jobfair.models.accounts import Role
from jobfair.schemas.office_reports import PERIOD_FIELDS, period_from, period_query
from jobfair.services import office_reports, offices
from jobfair.services.errors import NotFound, ValidationFailed
from jobfair.services.numbers import whole_number
from jobfair.services.periods import Period, PeriodKind
from jobfair.stats import exports
from jobfair.web.auth import checked_form, require
from jobfair.web.downloads import download
from jobfair.web.htmx import is_fragment_request, render
from jobfair.web.report import DOWNLOADS, report_context

PAGE = "pages/organiser/office_report.html"
BODY = "partials/organiser/office_report_body.html"
# The period kinds of the form, with their (translated on the page) names.
KINDS = (
    (PeriodKind.MONTH, N_("Month")),
    (PeriodKind.QUARTER, N_("Quarter")),
    (PeriodKind.SEMESTER, N_("Semester")),
    (PeriodKind.YEAR, N_("Year")),
    (PeriodKind.CUSTOM, N_("Dates")),
)


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


def _version(request: Request) -> int | None:
    return whole_number(request.query_params.get("version", ""), minimum=1, maximum=999_999)


def _values(period: Period) -> dict[str, str]:
    values = period_query(period)
    values.setdefault("number", "1")
    values.setdefault("start", period.start.isoformat())
    values.setdefault("end", period.end.isoformat())
    return values


async def _read(request: Request, period: Period | None) -> office_reports.OfficeReportRead:
    """The office's statistics over ``period`` (None: the current quarter)."""
    signed_in = require(request, Role.ORGANISER)
    ctx = _ctx(request)
    async with ctx.read() as session:
        period = await office_reports.resolve_period(
            session, signed_in.user, None, period, ctx.now()
        )
        return await office_reports.latest_report(
            session, signed_in.user, None, period, _version(request)
        )


def _context(request: Request, read: office_reports.OfficeReportRead) -> dict[str, Any]:
    context: dict[str, Any] = {
        "office": read.office,
        "period": read.period,
        "period_label": read.period.label(),
        "values": _values(read.period),
        "query": urlencode(period_query(read.period)),
        "errors": {},
        "kinds": KINDS,
        "row": read.report,
        "versions": read.versions,
        "latest_version": read.latest_version,
        "timezone": read.timezone,
        "downloads": DOWNLOADS,
        "compiling": read.compiling,
        "ready": False,
    }
    if read.data is not None:
        context.update(report_context(read.data, i18n.current_locale()))
    return context


async def office_report_page(request: Request) -> Response:
    try:
        period = period_from(request.query_params)
    except ValidationFailed as error:
        signed_in = require(request, Role.ORGANISER)
        async with _ctx(request).read() as session:
            office = await office_reports.scoped_office(session, signed_in.user, None)
        values = {k: request.query_params.get(k, "") for k in PERIOD_FIELDS}
        return render(
            request,
            PAGE,
            {
                "office": office,
                "period": None,
                "values": values,
                "errors": error.fields or {"kind": error.message},
                "kinds": KINDS,
                "row": None,
                "compiling": False,
            },
            status_code=422,
        )
    read = await _read(request, period)
    return render(request, PAGE, _context(request, read))


async def office_report_status(request: Request) -> Response:
    """The polled part: 204 while the request is pending (htmx asks again), then the
    newest version without the polling trigger."""
    read = await _read(request, period_from(request.query_params))
    if read.compiling and is_fragment_request(request):
        return Response(status_code=204, headers={"Vary": "HX-Request"})
    context = _context(request, read)
    context["ready"] = is_fragment_request(request)
    return render(request, PAGE, context, fragment=BODY)


async def office_report_compile(request: Request) -> Response:
    signed_in = require(request, Role.ORGANISER)
    form = await checked_form(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        period = await office_reports.resolve_period(
            session, signed_in.user, None, period_from(form), ctx.now()
        )
        await office_reports.request_compile(session, signed_in.user, None, period, ctx.now())
    target = request.url_for("organiser:office_report").path
    return RedirectResponse(f"{target}?{urlencode(period_query(period))}", status_code=303)


async def office_report_download(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind not in DOWNLOADS:
        raise NotFound(i18n.gettext("We could not find that page."))
    read = await _read(request, period_from(request.query_params))
    data = read.data
    if data is None:
        raise NotFound(i18n.gettext("We could not find that page."))
    letterhead = offices.letterhead(read.office, _ctx(request).settings.uploads_dir)
    body = await asyncio.to_thread(exports.export, data, kind, i18n.current_locale(), letterhead)
    return download(
        body, exports.FORMATS[kind], exports.filename(data, kind, i18n.current_locale())
    )
