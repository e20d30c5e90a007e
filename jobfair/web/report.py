"""The compiled report: the organiser's page (headline, charts, every table, the
official IPK layouts, definitions, versions, recompile), its PDF/XLSX/CSV downloads,
and the public headline summary of a closed fair."""

from __future__ import annotations

import asyncio
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models.accounts import Role
from jobfair.services import offices, reports
from jobfair.services.errors import NotFound
from jobfair.services.numbers import whole_number
from jobfair.stats import exports
from jobfair.stats.charts import report_charts
from jobfair.stats.official import layouts
from jobfair.stats.present import Presenter
from jobfair.web.auth import require
from jobfair.web.downloads import download
from jobfair.web.htmx import is_fragment_request, render
from jobfair.web.notices import notice_text

DOWNLOADS = ("pdf", "xlsx", "zip")


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


def _version(request: Request) -> int | None:
    """``?version=N``; anything else than a small positive number is "the newest"."""
    raw = request.query_params.get("version", "")
    return whole_number(raw, minimum=1, maximum=999_999)


async def _read(request: Request) -> reports.ReportRead:
    signed_in = require(request, Role.ORGANISER, Role.ADMIN)
    async with _ctx(request).read() as session:
        return await reports.latest_report(
            session, signed_in.user, request.path_params["slug"], _version(request)
        )


def report_context(data: dict[str, Any], locale: str) -> dict[str, Any]:
    """What the page shows of a report, in ``locale``."""
    p = Presenter.of(locale)
    charts = report_charts(data, p)
    return {
        "data": data,
        "p": p,
        "charts": {key: Markup(chart.svg()) for key, chart in charts.items()},  # noqa: S704 - built from escaped parts
        "chart_titles": {key: chart.title for key, chart in charts.items()},
        "official": layouts(data, p),
        "provisional": exports.PROVISIONAL,
    }


def _page_context(request: Request, read: reports.ReportRead) -> dict[str, Any]:
    context: dict[str, Any] = {
        "fair": read.fair,
        "row": read.report,
        "versions": read.versions,
        "latest_version": read.latest_version,
        "downloads": DOWNLOADS,
        "compiling": read.compiling,
        "ready": False,
        "result": notice_text(request),
    }
    if read.report is not None:
        context.update(report_context(read.report.data, i18n.current_locale()))
    return context


async def report_page(request: Request) -> Response:
    read = await _read(request)
    return render(request, "pages/organiser/report.html", _page_context(request, read))


async def report_status(request: Request) -> Response:
    """The page's polled part (``hx-get`` every few seconds while a compile runs): no
    content (htmx keeps the page as it is and asks again) while the request is pending,
    then the newest report without the polling trigger, which ends the polling. Without
    htmx: the whole page."""
    read = await _read(request)
    if read.compiling and is_fragment_request(request):
        return Response(status_code=204, headers={"Vary": "HX-Request"})
    context = _page_context(request, read)
    # Reached by the polling: say that the version on show is the new one.
    context["ready"] = is_fragment_request(request)
    return render(
        request,
        "pages/organiser/report.html",
        context,
        fragment="partials/organiser/report_body.html",
    )


async def report_download(request: Request) -> Response:
    kind = request.path_params["kind"]
    if kind not in DOWNLOADS:
        raise NotFound(i18n.gettext("We could not find that page."))
    read = await _read(request)
    if read.report is None:
        raise NotFound(i18n.gettext("We could not find that page."))
    data = read.report.data
    letterhead = offices.letterhead(read.fair.office, _ctx(request).settings.uploads_dir)
    # Building a PDF takes a few hundred milliseconds of CPU: off the event loop.
    body = await asyncio.to_thread(exports.export, data, kind, i18n.current_locale(), letterhead)
    return download(
        body, exports.FORMATS[kind], exports.filename(data, kind, i18n.current_locale())
    )


async def public_summary(request: Request) -> Response:
    ctx = _ctx(request)
    async with ctx.read() as session:
        fair, figures, compiled_at = await reports.public_summary(
            session, request.path_params["slug"], ctx.now()
        )
    return render(
        request,
        "pages/public/summary.html",
        {
            "fair": fair,
            "figures": figures,
            "compiled_at": compiled_at,
            "p": Presenter.of(i18n.current_locale()),
        },
    )
