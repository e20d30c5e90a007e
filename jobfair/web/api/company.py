"""The company part of the JSON API (DESIGN §7): applications with filters, staging a
status change (one or in bulk), releasing and undoing decisions, CVs; and the
applicant's answer to a reported hire."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from jobfair.context import AppContext
from jobfair.models.accounts import Role
from jobfair.schemas.applications import Placement, PlacementAnswer
from jobfair.schemas.screening import (
    BulkStageRequest,
    BulkStageResult,
    CompanyApplicationPage,
    ReleaseResult,
    StageRequest,
    UndoResult,
)
from jobfair.services import screening
from jobfair.services.errors import ValidationFailed
from jobfair.services.screening import ScreeningFilters
from jobfair.web.api import serializers
from jobfair.web.api.bodies import read
from jobfair.web.api.serializers import respond
from jobfair.web.auth import require


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


async def list_applications(request: Request) -> JSONResponse:
    signed_in = require(request, Role.RECRUITER)
    filters = ScreeningFilters.parse(dict(request.query_params))
    async with _ctx(request).read() as session:
        page = await screening.list_applications(session, signed_in.user, filters)
    return respond(
        CompanyApplicationPage(
            applications=[serializers.company_application(row) for row in page.rows],
            total=page.total,
            page=page.page,
            pages=page.pages,
            counts=page.counts,
        )
    )


async def stage_one(request: Request) -> JSONResponse:
    signed_in = require(request, Role.RECRUITER)
    body = await read(request, StageRequest)
    application_id = request.path_params["application_id"]
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        await screening.stage(
            session,
            signed_in.user,
            body.status,
            ctx.now(),
            application_ids=[application_id],
            note=body.note,
        )
    async with ctx.read() as session:
        page = await screening.list_applications(
            session, signed_in.user, ScreeningFilters(), only_ids=[application_id]
        )
    return respond(serializers.company_application(page.rows[0]))


async def stage_bulk(request: Request) -> JSONResponse:
    """``{"status", "ids": [...]}`` or ``{"status", "filter": {...}}`` (all matching)."""
    signed_in = require(request, Role.RECRUITER)
    body = await read(request, BulkStageRequest)
    filters = None
    if body.ids is None:
        if body.filter is None:
            message = BulkStageRequest.message_for("filter")
            raise ValidationFailed(message, fields={"filter": message})
        filters = ScreeningFilters.parse(body.filter)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        result = await screening.stage(
            session,
            signed_in.user,
            body.status,
            ctx.now(),
            application_ids=body.ids,
            filters=filters,
            note=body.note,
        )
    return respond(
        BulkStageResult(
            changed=result.changed, refused={str(k): v for k, v in result.refused.items()}
        )
    )


async def release(request: Request) -> JSONResponse:
    signed_in = require(request, Role.RECRUITER)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        member = await screening.membership(session, signed_in.user)
        staged, _scheduled = await screening.pending_count(session, member.company_id)
        deliver_at = await screening.release(session, signed_in.user, ctx.now())
    return respond(
        ReleaseResult(
            released=staged if deliver_at else 0,
            deliver_at=deliver_at,
            undo_seconds=int(screening.UNDO_WINDOW.total_seconds()) if deliver_at else 0,
        )
    )


async def undo(request: Request) -> JSONResponse:
    signed_in = require(request, Role.RECRUITER)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        count = await screening.undo_release(session, signed_in.user, ctx.now())
    return respond(UndoResult(undone=count))


async def answer_placement(request: Request) -> JSONResponse:
    """The applicant confirms (``{"confirm": true}``) or denies a reported hire."""
    signed_in = require(request, Role.APPLICANT)
    body = await read(request, PlacementAnswer)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        placement = await screening.decide_placement(
            session,
            signed_in.user,
            request.path_params["application_id"],
            body.confirm,
            ctx.now(),
            body.reason,
        )
        answer = Placement(confirmation=placement.confirmation, confirmed_at=placement.confirmed_at)
    return respond(answer)
