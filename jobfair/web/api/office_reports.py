"""The office's statistics over a period in the JSON API, as the fair report's route:
organisers of the office queue a (re)compile and read a version. The period is in the
query string (``?kind=quarter&year=2026&number=4``, or ``kind=custom&start=&end=``);
without one, the current quarter in the office's zone."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from jobfair.context import AppContext
from jobfair.schemas.office_reports import period_from
from jobfair.schemas.reports import CompileQueued
from jobfair.services import office_reports
from jobfair.web.api.reports import _version
from jobfair.web.api.serializers import respond
from jobfair.web.auth import require


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


async def request_compile(request: Request) -> JSONResponse:
    """POST: request a new version of the period's statistics; 202 once stored."""
    signed_in = require(request)
    office_id = request.path_params["office_id"]
    ctx = _ctx(request)
    now = ctx.now()
    async with ctx.unit_of_work() as session:
        period = await office_reports.resolve_period(
            session, signed_in.user, office_id, period_from(request.query_params), now
        )
        await office_reports.request_compile(session, signed_in.user, office_id, period, now)
    closes = period.utc_bounds()[1]
    return respond(CompileQueued(status="queued", provisional=now < closes), 202)


async def get_report(request: Request) -> JSONResponse:
    """GET: the period's latest version, or ``?version=N``; 404 before any."""
    signed_in = require(request)
    office_id = request.path_params["office_id"]
    named = period_from(request.query_params)
    version = _version(request)
    ctx = _ctx(request)
    async with ctx.read() as session:
        period = await office_reports.resolve_period(
            session, signed_in.user, office_id, named, ctx.now()
        )
        data = await office_reports.get_report(session, signed_in.user, office_id, period, version)
    return JSONResponse(data)
