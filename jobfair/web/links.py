"""Links by route name: handlers redirect to a route of ``jobfair.routes`` by its name,
never to a path written as a string, so a moved route cannot leave a dead redirect; and
the absolute links of e-mails and share links, from the one rule of :func:`site_url`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse


def path_for(request: Request, name: str, /, **params: Any) -> str:
    """The path of the route ``name`` (with the app's root path), e.g. ``/me``."""
    return request.url_for(name, **params).path


def site_url(request: Request) -> str:
    """The scheme and host an absolute link of this request starts with.

    Outside development: the configured public address (``JOBFAIR_BASE_URL``), always.
    The ``Host`` header is written by the client — through a proxy, by anyone — so a
    link built from it could be made to point elsewhere: an attacker asking for a
    password reset in a victim's name with ``Host: evil.example`` would have the victim
    mailed a link that hands the reset token to evil.example (reset-link poisoning).

    In development: the address the browser reached this server by, so links work
    whatever port ``jobfair demo --port`` or ``uvicorn`` chose, or from a phone on the
    local network. Links made without a request (the worker's) use ``base_url``, which
    ``Settings.served_at`` points at the listening port.
    """
    settings = request.app.state.settings
    if not settings.is_development:
        return str(settings.base_url)
    return f"{request.url.scheme}://{request.url.netloc}"


def absolute_link(request: Request, name: str, /, **params: Any) -> str:
    """The absolute URL of the route ``name``, for e-mails and links shared elsewhere."""
    return site_url(request) + path_for(request, name, **params)


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
