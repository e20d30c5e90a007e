"""ASGI middleware: locale selection and security headers (pure ASGI, no per-request
task overhead)."""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jobfair import i18n

LOCALE_COOKIE = "lang"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)


class LocaleMiddleware:
    """Chooses the locale: ``?lang=`` (remembered in a cookie), the cookie, or Bahasa
    Indonesia. The language switch is a plain link so it works without JavaScript."""

    def __init__(self, app: ASGIApp, default_locale: str = i18n.DEFAULT_LOCALE) -> None:
        self.app = app
        self.default_locale = default_locale

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
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
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append(
                    "Set-Cookie",
                    f"{LOCALE_COOKIE}={locale}; Path=/; Max-Age=31536000; SameSite=Lax",
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, secure: bool) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
                if self.secure:
                    headers.setdefault(
                        "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)
