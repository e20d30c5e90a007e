"""ASGI middleware: locale selection and security headers (pure ASGI, no per-request
task overhead)."""

from __future__ import annotations

import re
from collections.abc import Awaitable
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jobfair import i18n
from jobfair.live import wire
from jobfair.services.errors import PayloadTooLarge
from jobfair.services.videos import FRAME_ORIGINS

LOCALE_COOKIE = "lang"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        # Framed here: this site (the CV preview of a recruiter's application page) and
        # the privacy-enhanced video players of booths, nothing else.
        "frame-src 'self' " + " ".join(FRAME_ORIGINS),
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)
# The one answer a page of this site may frame: a CV shown in that preview.
FRAMEABLE_BY_SELF = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    ),
    "X-Frame-Options": "SAMEORIGIN",
}


# PASS_THROUGH: the middleware here are plain callables, not coroutine functions, that
# hand a scope they leave alone (a websocket, mostly) to the inner app by returning its
# awaitable. A coroutine that only awaits the inner app keeps its frame alive as long as
# the inner app runs: for a live socket, its whole life — a few hundred bytes per layer
# and socket (bench/ws_memory.py; issue 14 asks ≤ 25 KiB per idle connection).


class HttpGZipMiddleware(GZipMiddleware):
    """Starlette's gzip for HTTP; every other scope passes through (PASS_THROUGH)."""

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:  # type: ignore[override]
        if scope["type"] != "http":
            return self.app(scope, receive, send)
        return super().__call__(scope, receive, send)


class LocaleMiddleware:
    """Chooses the locale: ``?lang=`` (remembered in a cookie), the cookie, or Bahasa
    Indonesia. The language switch is a plain link so it works without JavaScript."""

    def __init__(self, app: ASGIApp, default_locale: str = i18n.DEFAULT_LOCALE) -> None:
        self.app = app
        self.default_locale = default_locale

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # Not a coroutine (PASS_THROUGH): a websocket or a request that sets no cookie
        # goes on to the inner app without a frame of this middleware.
        if scope["type"] not in ("http", "websocket"):
            return self.app(scope, receive, send)
        requested = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [""])[0]
        locale = requested if requested in i18n.LOCALES else ""
        if not locale:
            cookies = SimpleCookie()
            for name, value in scope.get("headers", []):
                if name == b"cookie":
                    try:
                        cookies.load(value.decode("latin-1"))
                    except Exception:  # noqa: S112 - a malformed cookie header is ignored
                        continue
            stored = cookies.get(LOCALE_COOKIE)
            locale = stored.value if stored and stored.value in i18n.LOCALES else ""
        i18n.set_locale(locale or self.default_locale)
        scope.setdefault("state", {})["locale"] = i18n.current_locale()

        if not requested or scope["type"] != "http":
            return self.app(scope, receive, send)
        return self._remembering(locale, scope, receive, send)

    async def _remembering(self, locale: str, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append(
                    "Set-Cookie",
                    f"{LOCALE_COOKIE}={locale}; Path=/; Max-Age=31536000; SameSite=Lax",
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def security_headers(*, secure: bool) -> dict[str, str]:
    """The headers every answer carries (HSTS only when served over HTTPS)."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }
    if secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


class WebSocketTransportMiddleware:
    """Outermost: keeps the server's protocol object of a websocket in its scope, for
    the live layer's broadcast path (jobfair.live.wire). uvicorn passes its protocol's
    bound ``send`` as the ASGI ``send``; inner middleware may wrap it, so it is taken
    here, before any does."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        if scope["type"] == "websocket":
            protocol = getattr(send, "__self__", None)
            if protocol is not None:
                scope[wire.SCOPE_KEY] = protocol
        return self.app(scope, receive, send)  # PASS_THROUGH


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, secure: bool) -> None:
        self.app = app
        self.secure = secure

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        if scope["type"] != "http":
            return self.app(scope, receive, send)  # PASS_THROUGH
        return self._http(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in security_headers(secure=self.secure).items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


# The largest request body anything accepts: a CV (2 MB) plus multipart overhead. Each
# handler checks its own, smaller limit; this one holds when Content-Length is absent
# (chunked) or lies, so no handler ever buffers or spools more than this.
MAX_BODY_BYTES = 2 * 1024 * 1024 + 64 * 1024
_NUL_ESCAPE = re.compile(rb"%00", re.IGNORECASE)


class RequestHygieneMiddleware:
    """Two things no handler should have to remember:

    * NUL characters are dropped from the path and the query string. No URL needs one,
      and PostgreSQL refuses them in text (a ``?q=%00`` used to be a 500).
    * The body is counted as it arrives; past :data:`MAX_BODY_BYTES` reading it raises
      :class:`PayloadTooLarge`, which the error handlers answer with 413.
    """

    def __init__(self, app: ASGIApp, *, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        if scope["type"] not in ("http", "websocket"):
            return self.app(scope, receive, send)  # PASS_THROUGH
        if "\x00" in scope["path"]:
            scope["path"] = scope["path"].replace("\x00", "")
            scope["raw_path"] = scope["path"].encode()
        query = scope.get("query_string", b"")
        if b"%00" in query.lower() or b"\x00" in query:
            scope["query_string"] = _NUL_ESCAPE.sub(b"", query).replace(b"\x00", b"")
        if scope["type"] != "http":
            return self.app(scope, receive, send)
        return self._counted(scope, receive, send)

    async def _counted(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = 0
        limit = self.max_body

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(i18n.gettext("The request is too large."))
            return message

        await self.app(scope, counted_receive, send)
