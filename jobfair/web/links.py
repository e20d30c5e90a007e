"""Links by route name: handlers redirect to a route of ``jobfair.routes`` by its name,
never to a path written as a string, so a moved route cannot leave a dead redirect."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse


def path_for(request: Request, name: str, /, **params: Any) -> str:
    """The path of the route ``name`` (with the app's root path), e.g. ``/me``."""
    return request.url_for(name, **params).path


def see_other(
    request: Request,
    name: str,
    /,
    query: Mapping[str, str] | None = None,
    *,
    fragment: str = "",
    **params: Any,
) -> RedirectResponse:
    """A 303 to the route ``name``, with ``query`` (fixed keys, never free text) and an
    element id as ``fragment`` to land on."""
    path = path_for(request, name, **params)
    target = f"{path}?{urlencode(query)}" if query else path
    return RedirectResponse(f"{target}#{fragment}" if fragment else target, status_code=303)
