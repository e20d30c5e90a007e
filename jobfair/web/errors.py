"""Error answers: JSON ``{"error": {...}}`` under /api, a friendly page elsewhere.

Bad input never becomes a 500, and no error page carries a traceback, a query or
personal data.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

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
}


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


EXCEPTION_HANDLERS = {
    DomainError: domain_error,
    HTTPException: http_error,
    Exception: server_error,
}
