"""The organiser's fair actions in the JSON API: close a fair early and move its
decision deadline, for organisers of the fair's office and admins (another office's
fair answers 404, like one that does not exist)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from jobfair.context import AppContext
from jobfair.models import Fair
from jobfair.schemas.fairs import DeadlineMove, FairWindow
from jobfair.services import fairs
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
