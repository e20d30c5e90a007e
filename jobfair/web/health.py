"""Health check for load balancers and operators: which dependency answers.

``GET /healthz`` → ``{"status", "database", "redis", "mail"}``: ``database`` is ``ok``
or ``down``; ``redis`` is ``ok``, ``down`` or ``not used``; ``mail`` is
``{"failed": N, "unsent_oldest_minutes": M}`` (mail given up, and the age of the oldest
mail still owed, 0 when none is), null while the database is down. 200 while the database answers
(``status`` ``degraded`` when Redis is away: pages and the API still work from the
database, live counters and queued tasks wait), 503 when the database does not.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse

from jobfair.context import AppContext
from jobfair.services import mail
from jobfair.web.errors import RETRY_AFTER, database_unreachable

CHECK_SECONDS = 2.0


async def _database(ctx: AppContext) -> str:
    try:
        async with asyncio.timeout(CHECK_SECONDS), ctx.read() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:
        if database_unreachable(exc) or isinstance(exc, TimeoutError):
            return "down"
        raise
    return "ok"


async def _redis(ctx: AppContext) -> str:
    if not ctx.settings.redis_url or ctx.live is None:
        return "not used"
    return "ok" if await ctx.live.redis_reachable(CHECK_SECONDS) else "down"


async def _mail(ctx: AppContext) -> dict[str, int] | None:
    try:
        async with asyncio.timeout(CHECK_SECONDS), ctx.read() as session:
            figures = await mail.mail_health(session, ctx.now())
    except Exception as exc:
        if database_unreachable(exc) or isinstance(exc, TimeoutError):
            return None
        raise
    return {"failed": figures.failed, "unsent_oldest_minutes": figures.unsent_oldest_minutes}


async def healthz(request: Request) -> JSONResponse:
    ctx: AppContext = request.app.state.ctx
    database, redis = await asyncio.gather(_database(ctx), _redis(ctx))
    status = "down" if database == "down" else "degraded" if redis == "down" else "ok"
    figures = await _mail(ctx) if database == "ok" else None
    response = JSONResponse(
        {"status": status, "database": database, "redis": redis, "mail": figures},
        status_code=503 if database == "down" else 200,
    )
    if database == "down":
        response.headers["Retry-After"] = str(RETRY_AFTER)
    return response
