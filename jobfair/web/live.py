"""Live counters on the web: the websocket endpoint ``/ws/fairs/{slug}``, the organiser's
live dashboard page, and the renderer of the HTML fragments htmx 4's ``hx-ws`` swaps.

HTML clients get fragments marked ``hx-swap-oob`` that replace elements by id; the
pages include the same partials, so a page and its live updates cannot drift apart.
JSON clients (``?format=json``) get ``{"channel", "counters", …}`` frames, a full
snapshot first.
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.live.layer import Renderer, Subscriber
from jobfair.live.wire import release_handshake, transport_writer
from jobfair.models.accounts import Role
from jobfair.services import live as live_service
from jobfair.services.errors import DomainError
from jobfair.web import chat as chat_web
from jobfair.web.auth import client_address, require
from jobfair.web.htmx import render

# Close codes sent before accepting are answered as HTTP 403 by the server; after
# accepting, these tell a machine client why (RFC 6455 leaves 4000–4999 to us).
CLOSE_POLICY = 1008
CLOSE_NOT_FOUND = 4404
CLOSE_TRY_AGAIN = 1013
# How long "this slug is a published fair" is believed for the public channel without
# asking the database again: thousands of visitors connect within seconds when a fair
# opens, and a query each made connecting cost more than everything else together.
PUBLIC_TARGET_SECONDS = 5.0
PUBLIC_TARGETS_KEPT = 1024


def live_renderer(app: Starlette) -> Renderer:
    """Render ``partials/live/<kind>.html`` as an out-of-band fragment in ``locale``."""
    env = app.state.templates.env
    # The templates' url_for reads request.app; a websocket frame has no request.
    request = SimpleNamespace(app=app)

    def render_fragment(kind: str, context: dict[str, Any], locale: str) -> str:
        # Frames for several languages are rendered in one task: the locale is the
        # frame's only, never left behind for the next one.
        with i18n.using(locale):
            template = env.get_template(f"partials/live/{kind}.html")
            return str(template.render(request=request, oob=True, **context))

    return render_fragment


def origin_allowed(websocket: WebSocket) -> bool:
    """A browser always sends ``Origin``: it must be this site, scheme and host (a page
    of ``http://`` the same host is another origin than ``https://``). Machine clients
    send none and are let through to the public channels (the organiser one needs a
    session cookie, which only a same-site page can send)."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    # The socket's own origin (wss:// is served to https:// pages) and the configured one.
    own = ("https" if websocket.url.scheme == "wss" else "http", websocket.headers.get("host", ""))
    base = urlsplit(websocket.app.state.settings.base_url)
    sent = urlsplit(origin)
    return (sent.scheme, sent.netloc) in {own, (base.scheme, base.netloc)}


class AnonymousSockets:
    """How many anonymous sockets each client address holds open in this process, so
    one address cannot pin thousands of them; signed-in users are not counted."""

    def __init__(self, per_address: int) -> None:
        self.per_address = per_address
        self._open: dict[str, int] = {}

    def take(self, address: str) -> bool:
        held = self._open.get(address, 0)
        if held >= self.per_address:
            return False
        self._open[address] = held + 1
        return True

    def give_back(self, address: str) -> None:
        held = self._open.get(address, 0) - 1
        if held > 0:
            self._open[address] = held
        else:
            self._open.pop(address, None)


class FairSocketApp:
    """The ASGI app of ``/ws/fairs/{slug}``. Routed as an ASGI app, not as a function:
    Starlette wraps a function endpoint in a session (three frames, an
    exception-handler wrapper and a second ``WebSocket``) that every live socket then
    holds for as long as it is open: 1.7 KiB of traced heap each (bench/ws_memory.py),
    of 10,000 at a fair's opening; the RSS did not show it. A plain ``__call__``
    returning the coroutine adds no frame either."""

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Any:
        return fair_socket(WebSocket(scope, receive, send))


async def fair_socket(websocket: WebSocket) -> None:
    ctx: AppContext = websocket.app.state.ctx
    if ctx.live is None or not origin_allowed(websocket):
        await websocket.close(code=CLOSE_POLICY)
        return
    params = websocket.query_params
    state = websocket.scope.get("state", {}).get("auth")
    user = state.signed_in.user if state is not None and state.signed_in else None
    try:
        target = await _watch_target(
            websocket,
            ctx,
            user,
            booth_company=params.get("booth") or None,
            organiser=params.get("channel") == "organiser",
        )
    except DomainError as exc:
        await websocket.close(code=CLOSE_POLICY if exc.status == 403 else CLOSE_NOT_FOUND)
        return
    address = client_address(websocket)
    sockets: AnonymousSockets = websocket.app.state.anonymous_sockets
    anonymous = sockets if user is None else None
    if anonymous is not None and not anonymous.take(address):
        await websocket.close(code=CLOSE_TRY_AGAIN)
        return
    try:
        await _serve_socket(websocket, ctx, target, user.id if user is not None else None)
    finally:
        if anonymous is not None:
            anonymous.give_back(address)


async def _serve_socket(
    websocket: WebSocket, ctx: AppContext, target: live_service.WatchTarget, user_id: int | None
) -> None:
    params = websocket.query_params
    await websocket.accept()
    release_handshake(websocket.scope)
    subscriber = Subscriber(
        send=websocket.send_text,
        close=websocket.close,
        fair_id=target.fair_id,
        fair_slug=target.fair_slug,
        fmt="json" if params.get("format") == "json" else "html",
        locale=i18n.current_locale(),
        booth_id=target.booth_id,
        organiser=target.organiser,
        recruiter=target.recruiter,
        user_id=user_id,
        sort=live_service.CompanySort.parse(params.get("sort")),
        # Updates wait while the first snapshot goes out, so they cannot overtake it.
        busy=True,
        writer=transport_writer(websocket.scope),
    )
    live = ctx.live
    # Booth chats ride on the same socket (jobfair.web.chat): a signed-in client gets its
    # conversations' messages after ?after=, and may send messages as JSON.
    relay = getattr(websocket.app.state, "chat", None) if user_id is not None else None
    try:
        for frame in await live.connect(subscriber):
            await websocket.send_text(frame)
        live.resume(subscriber)
        if relay is not None:
            relay.attach(
                subscriber,
                chat_web.after_param(params.get("after")),
                csrf_token=chat_web.socket_csrf(websocket),
            )
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            # Only a chat client has something to say; anything else is ignored.
            if relay is not None and message.get("text"):
                await chat_web.socket_text(ctx, subscriber, message["text"])
    except WebSocketDisconnect:
        pass
    finally:
        if relay is not None:
            relay.detach(subscriber)
        live.disconnect(subscriber)


async def _watch_target(
    websocket: WebSocket,
    ctx: AppContext,
    user: Any,
    *,
    booth_company: str | None,
    organiser: bool,
) -> live_service.WatchTarget:
    slug = websocket.path_params["slug"]
    # The public fair channel depends on the slug alone (not on who asks), so a recent
    # answer is reused; refusals, booths and the organiser channel always ask.
    public = booth_company is None and not organiser
    cache: dict[str, tuple[float, live_service.WatchTarget]] | None = getattr(
        websocket.app.state, "live_public_targets", None
    )
    if cache is None:
        cache = websocket.app.state.live_public_targets = {}
    now = time.monotonic()
    if public and (hit := cache.get(slug)) is not None and hit[0] > now:
        return hit[1]
    async with ctx.read() as session:
        target = await live_service.watch_target(
            session, user, slug, booth_company=booth_company, organiser=organiser
        )
    if public:
        if len(cache) >= PUBLIC_TARGETS_KEPT:
            cache.clear()
        cache[slug] = (now + PUBLIC_TARGET_SECONDS, target)
    return target


async def page_counters(
    ctx: AppContext, fair_id: int, booth_id: int | None = None
) -> tuple[dict[str, int], dict[str, int]]:
    """The counters a page shows before its websocket connects (fair, booth)."""
    assert ctx.live is not None
    snapshot = await ctx.live.snapshot(fair_id, [booth_id] if booth_id else [])
    return snapshot.fair, snapshot.booths.get(booth_id, {}) if booth_id else {}


async def organiser_dashboard(request: Request) -> Response:
    """``/organiser/fairs/{slug}/live``: the organiser's live dashboard."""
    signed_in = require(request, Role.ORGANISER, Role.ADMIN)
    ctx: AppContext = request.app.state.ctx
    async with ctx.read() as session:
        target = await live_service.watch_target(
            session, signed_in.user, request.path_params["slug"], organiser=True
        )
        fair = await live_service.get_fair(session, target.fair_slug, public=False)
    assert ctx.live is not None
    data = await ctx.live.organiser_data(target.fair_id)
    # The socket's frames keep the page's order: its address carries the same ?sort=.
    sort = live_service.CompanySort.parse(request.query_params.get("sort"))
    return render(
        request,
        "pages/organiser/live.html",
        {
            "fair": fair,
            "phase": fair.phase(ctx.now()),
            "oob": False,
            "fair_slug": fair.slug,
            **data,
            "companies": sort.apply(data["companies"]),
            "sort": sort,
        },
    )
