"""The ASGI application: ``create_app(settings)`` wires routes, middleware and the
lifespan that owns the engine and the other long-lived resources."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from starlette.applications import Starlette
from starlette.middleware import Middleware

from jobfair.context import AppContext
from jobfair.live.chat import ChatRelay
from jobfair.live.layer import LiveLayer
from jobfair.routes import build_routes
from jobfair.services import networks
from jobfair.services.conversations import ChatLimits
from jobfair.services.networks import Network, TrustedAddresses
from jobfair.settings import Settings
from jobfair.web.access_log import redact_access_log
from jobfair.web.auth import AuthMiddleware, RateLimits
from jobfair.web.errors import EXCEPTION_HANDLERS, DatabaseUnavailableMiddleware
from jobfair.web.live import AnonymousSockets, live_renderer
from jobfair.web.middleware import (
    HttpGZipMiddleware,
    LocaleMiddleware,
    RequestHygieneMiddleware,
    SecurityHeadersMiddleware,
    WebSocketTransportMiddleware,
)
from jobfair.web.page_cache import PageCache
from jobfair.web.templating import create_templates
from jobfair.worker.runner import start_task_runner

logger = logging.getLogger(__name__)


def create_app(settings: Settings, *, clock: Callable[[], datetime] | None = None) -> Starlette:
    """Build the application. ``clock`` lets tests move time; production uses UTC now."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        ctx = AppContext.create(settings, clock=clock)
        app.state.ctx = ctx
        ctx.paths = lambda name, **params: str(app.url_path_for(name, **params))
        ctx.live = LiveLayer.create(
            redis_url=settings.redis_url,
            namespace=settings.redis_namespace,
            read=ctx.read,
            clock=ctx.now,
            render=live_renderer(app),
            chat_limits=ChatLimits.from_settings(settings),
        )
        await ctx.live.start()
        chat_relay = ChatRelay.create(
            redis_url=settings.redis_url,
            namespace=settings.redis_namespace,
            read=ctx.read,
            clock=ctx.now,
            limits=ChatLimits.from_settings(settings),
            render=live_renderer(app),
        )
        await chat_relay.start()
        app.state.chat = chat_relay
        ctx.listeners.append(chat_relay.listen)
        ctx.tasks = await start_task_runner(ctx)
        page_cache: PageCache = app.state.page_cache
        page_cache.clock = ctx.now
        ctx.listeners.append(page_cache.listen)
        if settings.redis_url:
            await page_cache.share_through_redis(settings.redis_url, settings.redis_namespace)
        app.state.rate_limits = RateLimits.create(settings.redis_url, settings.redis_namespace)

        async def load_trusted() -> tuple[Network, ...]:
            async with ctx.read() as session:
                return await networks.trusted_ranges(session)

        app.state.trusted_addresses = TrustedAddresses(load_trusted)
        try:
            yield
        finally:
            await ctx.tasks.close()
            await page_cache.close()
            await chat_relay.close()
            await ctx.live.close()
            await ctx.close()

    app = Starlette(
        debug=False,
        routes=build_routes(settings.static_dir),
        middleware=[
            # First: it must see the server's own ``send`` (jobfair.live.wire).
            Middleware(WebSocketTransportMiddleware),
            Middleware(SecurityHeadersMiddleware, secure=not settings.is_development),
            Middleware(DatabaseUnavailableMiddleware),
            Middleware(HttpGZipMiddleware, minimum_size=500),
            Middleware(RequestHygieneMiddleware),
            Middleware(LocaleMiddleware, default_locale=settings.default_locale),
            Middleware(
                AuthMiddleware,
                secret_key=settings.secret_key,
                secure_cookies=not settings.is_development,
            ),
        ],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        lifespan=lifespan,
    )
    app.state.settings = settings
    redact_access_log()
    app.state.anonymous_sockets = AnonymousSockets(settings.live_sockets_per_address)
    app.state.templates = create_templates(
        settings.templates_dir, settings.static_dir, auto_reload=settings.is_development
    )
    app.state.page_cache = PageCache(settings.page_cache_entries, settings.page_cache_seconds)
    return app


# Allocations between two collections of the youngest generation (CPython: 700).
GC_YOUNG_THRESHOLD = 20_000
# Seconds a thread may hold the GIL while another waits for it (CPython: 0.005).
SWITCH_INTERVAL = 0.0005


def tune_interpreter_for_serving() -> None:
    """The garbage collector and the GIL set for a web process holding thousands of
    sockets (measurements: ``bench/README.md``, "Issue 14, 2026-12-07 afternoon").

    A full collection walks every tracked object, and a socket holds ~110 of them: with
    10,000 sockets one held the process for up to ~0.6 s. The objects built at start-up
    live as long as the process, so they are frozen and no collection walks them again;
    with the youngest generation collected far less often, a request's short-lived
    objects are mostly freed before a collection sees them, and fewer reach the oldest
    generation, whose full collections then come rarely.

    During a fan-out the loop's thread runs Python for a whole slice of sockets, and a
    database thread (aiosqlite's) that finished a statement waits up to the switch
    interval for the GIL to hand its result back. Under SQLite's write lock that wait,
    twice per statement, held up every application queued behind; the shorter interval
    goes with the short slices of ``live.layer.FANOUT_SLICE``.

    Called by the process entry points (``asgi``, ``jobfair serve``/``demo``), never by
    ``create_app``: tests build many applications in one process."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)
    sys.setswitchinterval(SWITCH_INTERVAL)


def asgi() -> Starlette:
    """Factory for ``uvicorn --factory jobfair.app:asgi``: settings from the environment."""
    settings = Settings.from_env()
    logging.basicConfig(level=settings.log_level)
    app = create_app(settings)
    tune_interpreter_for_serving()
    return app
