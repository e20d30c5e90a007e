"""The public page cache: the fair page, booth pages, the vacancy search and vacancy
pages, rendered once and served to every anonymous visitor until they change.

Key: (path, query with its parameters in name order, language, fragment or full page).
Only anonymous visitors are served from it or fill it: a signed-in person (session or
bearer) always gets a fresh render, so nothing personal (the header's name and unread
count, an applicant's "already applied") is ever stored. The one per-visitor part of an
anonymous page is its CSRF token (``hx-headers`` on ``<body>``, hidden form fields): the
page is rendered with a per-process placeholder and each answer carries its visitor's
own token. Cookies are written by the middlewares around the handler, per request; an
answer whose handler itself sets a cookie is never stored.

Invalidation: each entry remembers the fair it shows and the sequence number at which
its render began; :class:`~jobfair.live.signals.ContentChanged` (every flush of a fair,
booth, company or vacancy row, after its commit: see :mod:`jobfair.live.content`) and
``FairChanged`` bump that fair, and an entry rendered before the fair's last bump is
never served. What moves with the clock is not signalled: an entry is never served
past the fair's next opening or closing time nor past midnight in the fair's timezone
(vacancy deadlines are dates). A short time to live (on the application's clock) is the
safety net for the rest (the counters a page shows before its socket connects move with
applications; without Redis, another web process's writes are not heard here): past it, and up to
twice it, the entry is served while one re-render runs (stale-while-revalidate); older
ones are rendered afresh. Concurrent misses of one key wait for one render.

Memory per process, bounded (``page_cache_entries``). With Redis configured the bumps
are shared: each is published on a pub/sub channel of its own (a
:class:`~jobfair.live.hub.RedisHub` under ``{namespace}:pages:``) and every other web
process bumps the same fair, so two processes invalidate together (within the
publish's latency). Pub/sub is lossy: on (re)subscribing a process bumps every fair.
Writes made by a separate arq worker process are not published (it keeps no cache and
does not announce them): those reach the pages through the time to live.

Answers carry a weak ``ETag`` (the body's hash with the visitor's token) and
``Cache-Control: private, max-age=0, must-revalidate``: the browser revalidates and
gets a 304; a shared proxy must not keep a body that holds one visitor's token.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import Response

from jobfair import i18n
from jobfair.live.hub import Hub
from jobfair.live.signals import ContentChanged, FairChanged
from jobfair.models import Fair
from jobfair.web.auth import RequestAuth
from jobfair.web.htmx import is_fragment_request

logger = logging.getLogger(__name__)
Handler = Callable[[Request], Awaitable[Response]]
Key = tuple[str, str, str, bool]

# "Every fair" on the shared channel (fair ids start at 1).
ANY_FAIR = 0
# A longer query is not a page anyone links to: it is rendered, never stored.
MAX_QUERY_BYTES = 512
CACHE_CONTROL = "private, max-age=0, must-revalidate"


@dataclass
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]  # the handler's, without content-length
    body: bytes  # with the placeholder where the visitor's CSRF token goes
    digest: str
    fair_id: int
    seq: int  # the cache's sequence number when the render began
    fresh_until: datetime  # then re-rendered in the background, still served
    served_until: datetime  # then never served


class PageCache:
    def __init__(self, entries: int, seconds: float) -> None:
        self.size = entries
        self.ttl = timedelta(seconds=seconds)
        # The application's clock (AppContext.now, set by the lifespan).
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        # Hex only: unchanged by HTML and JSON escaping, like the real tokens.
        self.placeholder = secrets.token_hex(16)
        self._placeholder = self.placeholder.encode()
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._pending: dict[Key, asyncio.Future[Entry | None]] = {}
        self._refreshing: set[asyncio.Task[None]] = set()
        self._seq = 0
        self._any_fair = 0  # the sequence number of the last "every fair" bump
        self._fair: dict[int, int] = {}
        self.renders = 0  # for tests and the benchmark
        self._hub: Hub | None = None
        self._redis: Any = None

    # ------------------------------------------------------------- invalidation

    def listen(self, signals: list[Any]) -> None:
        """A committed transaction's signals (AppContext.listeners)."""
        bumped: set[int] = set()
        for signal in signals:
            if isinstance(signal, ContentChanged | FairChanged):
                self.bump(signal.fair_id)
                bumped.add(ANY_FAIR if signal.fair_id is None else signal.fair_id)
        if bumped and self._hub is not None:
            task = asyncio.create_task(self._share(bumped))
            self._refreshing.add(task)
            task.add_done_callback(self._refreshing.discard)

    async def connect(self, hub: Hub) -> None:
        """Share bumps with the other web processes through ``hub``."""
        self._hub = hub
        await hub.start(self._heard, lambda: self.bump(None))

    async def share_through_redis(self, redis_url: str, namespace: str) -> None:
        """Share bumps with the web processes using the same Redis and namespace."""
        from redis.asyncio import Redis

        from jobfair.live.hub import RedisHub

        self._redis = Redis.from_url(redis_url, socket_connect_timeout=0.5)
        await self.connect(RedisHub(self._redis, prefix=f"{namespace}:pages:"))

    async def close(self) -> None:
        if self._hub is not None:
            await self._hub.close()
        if self._redis is not None:
            await self._redis.aclose()

    async def _share(self, fair_ids: set[int]) -> None:
        assert self._hub is not None
        try:
            await self._hub.publish(fair_ids)
        except Exception as exc:
            # The other processes fall back on the time to live.
            logger.warning("page cache could not share a change (%s)", type(exc).__name__)

    def _heard(self, fair_ids: list[int]) -> None:
        for fair_id in fair_ids:
            self.bump(None if fair_id == ANY_FAIR else fair_id)

    def bump(self, fair_id: int | None) -> None:
        self._seq += 1
        if fair_id is None:
            self._any_fair = self._seq
        else:
            self._fair[fair_id] = self._seq

    def _current(self, entry: Entry, now: datetime) -> bool:
        return (
            self._any_fair <= entry.seq
            and self._fair.get(entry.fair_id, 0) <= entry.seq
            and now < entry.served_until
        )

    def __len__(self) -> int:
        return len(self._entries)

    # ------------------------------------------------------------------ serving

    async def serve(self, request: Request, handler: Handler) -> Response:
        auth: RequestAuth | None = getattr(request.state, "auth", None)
        if (
            self.size == 0
            or auth is None
            or auth.signed_in is not None
            or auth.via_bearer
            or request.method != "GET"
        ):
            return await handler(request)
        key = self._key(request)
        if key is None:
            return await handler(request)
        entry = self._entries.get(key)
        now = self.clock()
        if entry is not None and self._current(entry, now):
            self._entries.move_to_end(key)
            if now >= entry.fresh_until and key not in self._pending:
                self._refresh(key, request, handler)
            return self._answer(request, auth, entry)
        pending = self._pending.get(key)
        if pending is not None:
            waited = await asyncio.shield(pending)
            # A render that began before a change this visitor may already have seen
            # (the fair was bumped while it ran) is not theirs: they render afresh.
            if waited is not None and self._current(waited, self.clock()):
                return self._answer(request, auth, waited)
            return await handler(request)  # not storable, failed, or overtaken
        future: asyncio.Future[Entry | None] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            entry, storable = await self._render(request, handler)
            if storable:
                self._store(key, entry)
                future.set_result(entry)
        finally:
            self._pending.pop(key, None)
            if not future.done():
                # Not storable, failed or cancelled: the waiters render themselves.
                future.set_result(None)
        return self._answer(request, auth, entry)

    def _key(self, request: Request) -> Key | None:
        query = request.scope.get("query_string", b"")
        if len(query) > MAX_QUERY_BYTES:
            return None
        # In name order; a name's values keep their order (a page may list them so).
        pairs = sorted(parse_qsl(query.decode("latin-1"), keep_blank_values=True), key=_name)
        return (request.url.path, urlencode(pairs), i18n.current_locale(), _fragment(request))

    async def _render(self, request: Request, handler: Handler) -> tuple[Entry, bool]:
        seq = self._seq
        began = self.clock()
        auth: RequestAuth = request.state.auth
        # The same request with the placeholder for a token: what is stored has no
        # visitor's token in it.
        scope = dict(request.scope)
        placeholder = replace(auth, csrf_token=self.placeholder)
        scope["state"] = {**request.scope["state"], "auth": placeholder}
        response = await handler(Request(scope, request.receive))
        self.renders += 1
        body: bytes = getattr(response, "body", b"")
        headers = [header for header in response.raw_headers if header[0] != b"content-length"]
        context = getattr(response, "context", None) or {}
        fair = context.get("fair")
        storable = (
            response.status_code == 200
            and hasattr(response, "body")
            and fair is not None
            and not any(name == b"set-cookie" for name, _value in headers)
        )
        served_until = began + 2 * self.ttl
        if fair is not None:
            served_until = min(served_until, _next_change(fair, began))
        entry = Entry(
            status=response.status_code,
            headers=headers,
            body=body,
            digest=hashlib.sha256(body).hexdigest(),
            fair_id=fair.id if fair is not None else 0,
            seq=seq,
            fresh_until=min(began + self.ttl, served_until),
            served_until=served_until,
        )
        return entry, storable

    def _store(self, key: Key, entry: Entry) -> None:
        if not self._current(entry, self.clock()):
            return  # the fair changed while it rendered: that render may be old
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def _refresh(self, key: Key, request: Request, handler: Handler) -> None:
        """Re-render an expired entry in the background; the visitor gets the old one."""
        future: asyncio.Future[Entry | None] = asyncio.get_running_loop().create_future()
        self._pending[key] = future

        async def refresh() -> None:
            try:
                entry, storable = await self._render(request, handler)
                if storable:
                    self._store(key, entry)
                    future.set_result(entry)
            except Exception:
                self._entries.pop(key, None)  # let the next visitor render (and see why)
            finally:
                self._pending.pop(key, None)
                if not future.done():
                    future.set_result(None)

        task = asyncio.create_task(refresh())
        self._refreshing.add(task)
        task.add_done_callback(self._refreshing.discard)

    def _answer(self, request: Request, auth: RequestAuth, entry: Entry) -> Response:
        token = auth.csrf_token
        tag = hashlib.sha256(f"{entry.digest}:{token}".encode()).hexdigest()[:32]
        etag = f'W/"{tag}"'
        extra = [(b"etag", etag.encode()), (b"cache-control", CACHE_CONTROL.encode())]
        if etag in _tags(request.headers.get("if-none-match", "")):
            response = Response(status_code=304)
            vary = [(name, value) for name, value in entry.headers if name == b"vary"]
            response.raw_headers = [*vary, *extra]
            return response
        response = Response(entry.body.replace(self._placeholder, token.encode()), entry.status)
        response.raw_headers = [
            *(header for header in response.raw_headers if header[0] == b"content-length"),
            *(header for header in entry.headers if header[0] != b"cache-control"),
            *extra,
        ]
        return response


def _next_change(fair: Fair, now: datetime) -> datetime:
    """The first moment after ``now`` at which the fair's pages change by the clock alone:
    its registration opening, opening or closing, or the next midnight where it is held."""
    local = fair.local(now)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), local.tzinfo)
    moments = (fair.registration_opens_at, fair.opens_at, fair.closes_at, midnight)
    return min(moment for moment in moments if moment > now)


def _name(pair: tuple[str, str]) -> str:
    return pair[0]


def _fragment(request: Request) -> bool:
    return is_fragment_request(request)


def _tags(header: str) -> set[str]:
    return {tag.strip() for tag in header.split(",") if tag.strip()}


def cached(handler: Handler) -> Handler:
    """A public page handler served through the app's page cache."""

    async def serve(request: Request) -> Response:
        page_cache: PageCache | None = getattr(request.app.state, "page_cache", None)
        if page_cache is None:
            return await handler(request)
        return await page_cache.serve(request, handler)

    serve.__name__ = handler.__name__
    serve.__doc__ = handler.__doc__
    return serve
