"""Error answers: JSON ``{"error": {...}}`` under /api, a friendly page elsewhere.

Bad input never becomes a 500, and no error page carries a traceback, a query or
personal data.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Awaitable
from urllib.parse import urlencode

from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jobfair import i18n
from jobfair.services.errors import DomainError
from jobfair.web.auth import LoginRequired
from jobfair.web.middleware import security_headers

logger = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
    503: "unavailable",
}
# Seconds a client is asked to wait when the database cannot be reached.
RETRY_AFTER = 5
# asyncpg's errors for a server that is away, restarting or refusing connections, by
# class name (anywhere in the chain) so this module does not import the driver.
_UNREACHABLE_NAMES = {
    "PostgresConnectionError",
    "ConnectionDoesNotExistError",
    "CannotConnectNowError",
    "TooManyConnectionsError",
    "AdminShutdownError",
    "CrashShutdownError",
    "ConnectionFailureError",
}
_OUTAGE_WORDS = (
    "locked",
    "unable to open",
    "disk i/o",
    "connection",
    "server closed",
    "terminat",
    "shutting down",
    "starting up",
)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def json_error(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> JSONResponse:
    error: dict[str, object] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return JSONResponse({"error": error}, status_code=status)


def _page(request: Request, status: int, message: str) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "pages/error.html", {"status": status, "message": message}, status_code=status
    )


async def domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if wants_json(request):
        return json_error(exc.status, exc.code, exc.message, exc.fields)
    if isinstance(exc, LoginRequired):
        # Only the path goes into ``next``: never a query that might hold a token.
        target = request.url_for("account:login").path + "?" + urlencode({"next": request.url.path})
        return RedirectResponse(target, status_code=303)
    if exc.status in (401, 413, 415, 422, 429) or (exc.status == 403 and exc.message):
        return _page(request, exc.status, exc.message)
    messages = {
        404: i18n.gettext("We could not find that page."),
        409: i18n.gettext("That cannot be done right now."),
        403: i18n.gettext("You are not allowed to do that."),
    }
    return _page(
        request, exc.status, messages.get(exc.status, i18n.gettext("Please check the form."))
    )


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = HTTP_CODES.get(exc.status_code, "error")
    if wants_json(request):
        response = json_error(exc.status_code, code, str(exc.detail))
    elif exc.status_code == 404:
        response = _page(request, 404, i18n.gettext("We could not find that page."))
    else:
        response = _page(request, exc.status_code, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    # The engine hides SQL parameters (hide_parameters=True), so the traceback carries no
    # personal data; the query string is left out of the log line for the same reason.
    logger.error(
        "unhandled %s on %s %s",
        type(exc).__name__,
        request.method,
        request.url.path,
        exc_info=exc,
    )
    if wants_json(request):
        response: Response = json_error(500, "server_error", "internal error")
    else:
        message = i18n.gettext("Something went wrong on our side. Please try again.")
        response = _page(request, 500, message)
    # Starlette answers a 500 from its outermost middleware, outside the one that adds
    # the security headers, so this answer carries them itself.
    secure = not request.app.state.settings.is_development
    for name, value in security_headers(secure=secure).items():
        response.headers.setdefault(name, value)
    return response


def database_unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot be reached (refused, gone, restarting,
    out of connections, SQLite locked for too long): the request could succeed later,
    so it is a 503, not a 500."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, ConnectionError | TimeoutError | socket.gaierror):
            return True
        if isinstance(seen, sa_exc.InterfaceError | sa_exc.TimeoutError):
            return True
        if isinstance(seen, sa_exc.OperationalError):
            # Not every OperationalError is an outage ("no such table" is a bug).
            text = str(seen.orig if seen.orig is not None else seen).lower()
            return any(word in text for word in _OUTAGE_WORDS)
        if isinstance(seen, sa_exc.DBAPIError) and seen.connection_invalidated:
            return True
        if any(kind.__name__ in _UNREACHABLE_NAMES for kind in type(seen).__mro__):
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


class DatabaseUnavailableMiddleware:
    """A 503 with ``Retry-After`` (JSON under /api, a page elsewhere) when the database
    cannot be reached, raised anywhere below (the session lookup included). Answered
    here, not re-raised: a re-raised error makes the server close the client's
    keep-alive connection after the answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._warned_at = 0.0

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        # A plain callable, like web.middleware's (PASS_THROUGH): no frame per socket.
        if scope["type"] != "http":
            return self.app(scope, receive, send)
        return self._http(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            if started or not database_unreachable(exc):
                raise
            now = time.monotonic()
            if now - self._warned_at > 30:  # an outage must not flood the log
                self._warned_at = now
                logger.warning("database unreachable (%s): answering 503", type(exc).__name__)
            request = Request(scope, receive)
            if wants_json(request):
                response: Response = json_error(
                    503, "unavailable", "the database is unavailable; try again shortly"
                )
            else:
                response = _page(
                    request,
                    503,
                    i18n.gettext(
                        "The service is busy or under maintenance. Please try again in a moment."
                    ),
                )
            response.headers["Retry-After"] = str(RETRY_AFTER)
            await response(scope, receive, send)


EXCEPTION_HANDLERS = {
    DomainError: domain_error,
    HTTPException: http_error,
    Exception: server_error,
}
