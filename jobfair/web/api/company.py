"""The company part of the JSON API (DESIGN §7): applications with filters, staging a
status change (one or in bulk), releasing and undoing decisions, CVs; and the
applicant's answer to a reported hire."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from jobfair.context import AppContext
from jobfair.i18n import gettext
from jobfair.models.accounts import Role
from jobfair.services import screening
from jobfair.services.errors import ValidationFailed
from jobfair.services.numbers import is_id
from jobfair.services.screening import Row, ScreeningFilters
from jobfair.web.api.applicant import json_body
from jobfair.web.api.serializers import iso
from jobfair.web.auth import require

MAX_BULK_IDS = 5000


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


def row_json(row: Row) -> dict[str, Any]:
    return {
        "id": row.id,
        "status": row.status,
        "released_status": row.released_status,
        "pending": bool(row.pending),
        "rating": row.rating,
        "submitted_at": iso(row.submitted_at),
        "vacancy": {"id": row.vacancy_id, "title": row.vacancy_title},
        "applicant": {
            "id": row.applicant_id,
            "full_name": row.full_name,
            "sex": row.sex,
            "birth_date": row.birth_date.isoformat(),
            "education_level": row.education_level,
            "ktp_regency_code": row.ktp_regency_code,
            "domicile_regency_code": row.domicile_regency_code,
            "has_disability": bool(row.has_disability),
            "is_local": bool(row.is_local),
        },
    }


async def list_applications(request: Request) -> JSONResponse:
    signed_in = require(request, Role.RECRUITER)
    filters = ScreeningFilters.parse(dict(request.query_params))
    async with _ctx(request).read() as session:
        page = await screening.list_applications(session, signed_in.user, filters)
    return JSONResponse(
        {
            "applications": [row_json(row) for row in page.rows],
            "total": page.total,
            "page": page.page,
            "pages": page.pages,
            "counts": page.counts,
        }
    )


def _status_and_note(data: dict[str, Any]) -> tuple[str, str | None]:
    status = data.get("status")
    note = data.get("note")
    if not isinstance(status, str) or not status:
        message = gettext("Unknown status.")
        raise ValidationFailed(message, fields={"status": message})
    if note is not None and not isinstance(note, str):
        message = gettext("A note has 1 to %(limit)s characters.", limit=screening.MAX_NOTE)
        raise ValidationFailed(message, fields={"note": message})
    return status, (note.strip() or None) if isinstance(note, str) else None


async def stage_one(request: Request) -> JSONResponse:
    signed_in = require(request, Role.RECRUITER)
    status, note = _status_and_note(await json_body(request))
    application_id = request.path_params["application_id"]
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        await screening.stage(
            session, signed_in.user, status, ctx.now(), application_ids=[application_id], note=note
        )
    async with ctx.read() as session:
        page = await screening.list_applications(
            session, signed_in.user, ScreeningFilters(), only_ids=[application_id]
        )
    return JSONResponse(row_json(page.rows[0]))


async def stage_bulk(request: Request) -> JSONResponse:
    """``{"status", "ids": [...]}`` or ``{"status", "filter": {...}}`` (all matching)."""
    signed_in = require(request, Role.RECRUITER)
    data = await json_body(request)
    status, note = _status_and_note(data)
    ids = data.get("ids")
    filters = None
    if ids is not None:
        if (
            not isinstance(ids, list)
            or not ids
            or len(ids) > MAX_BULK_IDS
            or not all(is_id(i) for i in ids)
        ):
            message = gettext("Give 1 to %(limit)s application ids.", limit=MAX_BULK_IDS)
            raise ValidationFailed(message, fields={"ids": message})
    else:
        raw = data.get("filter")
        if not isinstance(raw, dict):
            message = gettext("Give the application ids or a filter.")
            raise ValidationFailed(message, fields={"filter": message})
        filters = ScreeningFilters.parse(raw)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        result = await screening.stage(
            session,
            signed_in.user,
            status,
            ctx.now(),
            application_ids=ids if ids is not None else None,
            filters=filters,
            note=note,
        )
    return JSONResponse(
        {"changed": result.changed, "refused": {str(k): v for k, v in result.refused.items()}}
    )


async def release(request: Request) -> JSONResponse:
    signed_in = require(request, Role.RECRUITER)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        member = await screening.membership(session, signed_in.user)
        staged, _scheduled = await screening.pending_count(session, member.company_id)
        deliver_at = await screening.release(session, signed_in.user, ctx.now())
    return JSONResponse(
        {
            "released": staged if deliver_at else 0,
            "deliver_at": iso(deliver_at),
            "undo_seconds": int(screening.UNDO_WINDOW.total_seconds()) if deliver_at else 0,
        }
    )


async def undo(request: Request) -> JSONResponse:
    signed_in = require(request, Role.RECRUITER)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        count = await screening.undo_release(session, signed_in.user, ctx.now())
    return JSONResponse({"undone": count})


async def answer_placement(request: Request) -> JSONResponse:
    """The applicant confirms (``{"confirm": true}``) or denies a reported hire."""
    signed_in = require(request, Role.APPLICANT)
    data = await json_body(request)
    confirm = data.get("confirm")
    if not isinstance(confirm, bool):
        message = gettext("Answer yes or no.")
        raise ValidationFailed(message, fields={"confirm": message})
    reason = data.get("reason") if isinstance(data.get("reason"), str) else None
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        placement = await screening.decide_placement(
            session,
            signed_in.user,
            request.path_params["application_id"],
            confirm,
            ctx.now(),
            reason,
        )
        body = {"confirmation": placement.confirmation, "confirmed_at": iso(placement.confirmed_at)}
    return JSONResponse(body)
