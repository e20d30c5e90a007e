"""Health check for load balancers: the database answers a trivial query."""

from __future__ import annotations

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse


async def healthz(request: Request) -> JSONResponse:
    async with request.app.state.ctx.read() as session:
        await session.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok"})
