"""The account's API tokens page: every signed-in user sees the tokens that still work
on their account (name, created, last used, expiry; never the secret) and revokes any
of them. Tokens are created through ``POST /api/v1/tokens``."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from jobfair.context import AppContext
from jobfair.services import auth
from jobfair.web.auth import checked_form, require
from jobfair.web.htmx import render


def _ctx(request: Request) -> AppContext:
    return request.app.state.ctx


async def tokens_page(request: Request) -> Response:
    signed_in = require(request)
    ctx = _ctx(request)
    async with ctx.read() as session:
        tokens = await auth.api_tokens(session, signed_in.user, ctx.now())
    return render(
        request,
        "pages/account/tokens.html",
        {
            "tokens": tokens,
            "lifetime_days": ctx.settings.api_token_days,
            "revoked": request.query_params.get("revoked") == "1",
        },
    )


async def token_revoke(request: Request) -> Response:
    signed_in = require(request)
    await checked_form(request)
    ctx = _ctx(request)
    async with ctx.unit_of_work() as session:
        await auth.revoke_api_token(
            session, signed_in.user, request.path_params["token_id"], ctx.now()
        )
    target = request.app.url_path_for("account:tokens")
    return RedirectResponse(f"{target}?revoked=1", status_code=303)
