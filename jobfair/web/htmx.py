"""Rendering for htmx: one template per page, the fragment for htmx requests.

An htmx request (``HX-Request``) that is not a history restore gets only the fragment
template; every other request gets the full page. ``Vary: HX-Request`` keeps caches from
mixing the two.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response


def is_fragment_request(request: Request) -> bool:
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
        and request.headers.get("hx-request-type") != "full"
    )


def render(
    request: Request,
    page: str,
    context: dict[str, Any],
    *,
    fragment: str | None = None,
    status_code: int = 200,
) -> Response:
    templates = request.app.state.templates
    name = fragment if fragment and is_fragment_request(request) else page
    response: Response = templates.TemplateResponse(request, name, context, status_code=status_code)
    response.headers["Vary"] = "HX-Request"
    return response
