"""The fair report in the JSON API: organisers queue a (re)compile and read a version."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from jobfair.context import AppContext
from jobfair.i18n import gettext
from jobfair.schemas.reports import MAX_VERSION, CompileQueued
from jobfair.services import reports
from jobfair.services.errors import ValidationFailed
from jobfair.services.numbers import whole_number
from jobfair.web.api.serializers import respond
from jobfair.web.auth import require


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


def _version(request: Request) -> int | None:
    raw = request.query_params.get("version")
    if raw is None:
        return None
    version = whole_number(raw, minimum=1, maximum=MAX_VERSION)
    if version is None:
        message = gettext("A version is a whole number from 1.")
        raise ValidationFailed(message, fields={"version": message})
    return version


async def request_compile(request: Request) -> JSONResponse:
    """POST: request a new version; 202 once the request is committed (durable: the
    sweep compiles it even if the queue is away), as the compile runs as a task."""
    signed_in = require(request)
    ctx = _ctx(request)
    now = ctx.now()
    async with ctx.unit_of_work() as session:
        requested = await reports.request_compile(
            session, signed_in.user, request.path_params["slug"], now
        )
    return respond(CompileQueued(status="queued", provisional=requested.provisional), 202)


async def get_report(request: Request) -> JSONResponse:
    """GET: the latest version's data, or ``?version=N``; 404 before any."""
    signed_in = require(request)
    version = _version(request)
    async with _ctx(request).read() as session:
        report = await reports.get_report(
            session, signed_in.user, request.path_params["slug"], version
        )
    # Served as the compiler wrote it (immutable per version); ``schemas.reports.Report``
    # documents it and the tests check it.
    return JSONResponse(report.data)
