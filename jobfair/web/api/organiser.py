"""The organiser's actions in the JSON API: close a fair early and move its decision
deadline, and read a hiring drive's progress, for organisers of the office and admins
(another office's fair or drive answers 404, like one that does not exist)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from jobfair.context import AppContext
from jobfair.models import Fair
from jobfair.schemas.drives import DrivePartnerFigures, DriveProgress, DriveWeek
from jobfair.schemas.fairs import DeadlineMove, FairWindow
from jobfair.services import drives, fairs
from jobfair.services.authority import STAFF_ROLES
from jobfair.web.api.bodies import read
from jobfair.web.api.serializers import respond
from jobfair.web.auth import require


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


def _window(fair: Fair, ctx: AppContext) -> FairWindow:
    return FairWindow(
        slug=fair.slug,
        timezone=fair.timezone,
        status=fair.status,
        phase=fair.phase(ctx.now()),
        opens_at=fair.opens_at,
        closes_at=fair.closes_at,
        decision_deadline=fair.decision_deadline,
    )


async def close_fair(request: Request) -> JSONResponse:
    """POST: close the fair now (the request is the confirmation); the decision
    deadline stays."""
    # The role first: someone who may never do this learns nothing about the body.
    signed_in = require(request, *STAFF_ROLES)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        fair = await fairs.close_fair_early(
            session, signed_in.user, request.path_params["slug"], True, ctx.now()
        )
        window = _window(fair, ctx)
    return respond(window)


async def move_deadline(request: Request) -> JSONResponse:
    """POST ``{"decisions_close_at": "<ISO 8601 with offset>"}``: move the deadline."""
    signed_in = require(request, *STAFF_ROLES)
    body = await read(request, DeadlineMove)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        fair = await fairs.move_deadline_to(
            session, signed_in.user, request.path_params["slug"], body.decisions_close_at, ctx.now()
        )
        window = _window(fair, ctx)
    return respond(window)


async def drive_progress(request: Request) -> JSONResponse:
    """GET: a hiring drive's progress (people placed, each once; see services.drives)."""
    signed_in = require(request, *STAFF_ROLES)
    async with _ctx(request).read() as session:
        drive = await drives.scoped_drive(session, signed_in.user, request.path_params["drive_id"])
        progress = await drives.progress(session, drive)
    return respond(
        DriveProgress(
            id=drive.id,
            name=drive.name,
            first_day=drive.first_day,
            last_day=drive.last_day,
            regency_codes=drive.regency_codes,
            target=progress.target,
            placed=progress.placed,
            share=round(progress.share, 4),
            local=progress.local,
            non_local=progress.non_local,
            from_fairs=progress.from_fairs,
            direct=progress.direct,
            pending=progress.pending,
            outside_partners=progress.outside_partners,
            weeks=[
                DriveWeek(
                    week=w.number,
                    first_day=w.first_day,
                    last_day=w.last_day,
                    placed=w.placed,
                    cumulative=w.cumulative,
                )
                for w in progress.weeks
            ],
            partners=[
                DrivePartnerFigures(
                    company_id=row.company_id, name=row.name, placed=row.placed, local=row.local
                )
                for row in progress.partners
            ],
            silent_partner_ids=[company.id for company in progress.silent],
        )
    )
