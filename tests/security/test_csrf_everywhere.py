"""CSRF on every state-changing page route, for every role, and the API's refusal of
cookie authority.

The routes come from the route table (POST, PUT, PATCH, DELETE outside ``/api``); a
signed-in browser without the token, with a wrong one, or with a token minted for
another browser is refused with 403 before anything is written. The JSON API takes
bearer tokens only, so a browser's session cookie gives it no authority at all
(``/api`` operations the OpenAPI document marks as secured answer 401 to a cookie).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from support.security_world import (
    ROLES,
    SIGNED_IN,
    STATE_CHANGING,
    World,
    app_endpoints,
    concrete,
    world_fixture,  # noqa: F401 - the ``world`` fixture
)
from test_authorization_matrix import EXPECTATIONS

from jobfair.db.base import Base
from jobfair.web.api.openapi import document

OUTSIDERS = {"anonymous", "other_applicant"}


async def _row_counts(world: World) -> dict[str, int]:
    counts = {}
    async with world.ctx.read() as session:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = await session.scalar(select(func.count()).select_from(table))
    return counts


def _path(world: World, key: str, path: str) -> str:
    rule = EXPECTATIONS.get(key)
    if rule is None:
        # Unlisted routes fail the matrix's own completeness test; any id will do here.
        return concrete(path, {name: 1 for name in re.findall(r"\{(\w+)", path)})
    values = {
        name: value[1:] if value.startswith("=") else world.owned[value]
        for name, value in rule.params.items()
    }
    return concrete(path, values)


async def test_every_state_changing_page_route_checks_csrf(world: World) -> None:
    routes = [
        endpoint
        for endpoint in app_endpoints(world.app)
        if endpoint.method in STATE_CHANGING and not endpoint.is_api
    ]
    keys = {endpoint.key for endpoint in routes}
    assert {"POST /register", "POST /me/cv", "POST /logout", "POST /login"} <= keys
    foreign_token = world.actors["anonymous"].csrf
    before = await _row_counts(world)
    problems: list[str] = []
    for endpoint in routes:
        path = _path(world, endpoint.key, endpoint.path)
        rule = EXPECTATIONS.get(endpoint.key)
        # Where the matrix knows the owners, they (whom only CSRF stops), anonymous and
        # one outsider; elsewhere everyone.
        roles = [r for r in ROLES if rule is None or r in rule.allowed or r in OUTSIDERS]
        for role in roles:
            actor = world.actors[role]
            attempts: list[dict[str, Any]] = [
                {"data": {"a": "b"}},
                {"data": {"csrf_token": "x" * 64}, "headers": {"X-CSRF-Token": "y" * 64}},
            ]
            if role != "anonymous":
                # A valid token, but for another browser's CSRF cookie.
                attempts.append({"data": {"csrf_token": foreign_token}})
            if role == "applicant":
                # The other ways a token can travel: htmx header, multipart form.
                attempts += [
                    {"data": {}, "headers": {"HX-Request": "true", "X-CSRF-Token": "z" * 64}},
                    {"files": {"file": ("cv.pdf", b"%PDF-1.4", "application/pdf")}},
                ]
            for attempt in attempts:
                response = await actor.browser.request(endpoint.method, path, **attempt)
                status = response.status_code
                location = response.headers.get("location", "")
                refused = (
                    status == 403
                    # Someone who may not use the object at all may learn only that.
                    or (status == 404 and rule is not None and role not in rule.allowed)
                    or (role == "anonymous" and status == 303 and location.startswith("/login"))
                )
                if not refused:
                    problems.append(f"{endpoint.key} as {role}: {status} {location}".strip())
                    break
    assert not problems, "\n".join(problems)
    assert await _row_counts(world) == before, "a refused request wrote to the database"


async def test_the_api_gives_a_session_cookie_no_authority(world: World) -> None:
    spec = document()
    secured = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if operation.get("security")
    }
    api = [endpoint for endpoint in app_endpoints(world.app) if endpoint.is_api]
    problems = []
    checked = 0
    for endpoint in api:
        documented = re.sub(r":\w+\}", "}", endpoint.path)
        if (endpoint.method, documented) not in secured:
            continue
        path = _path(world, endpoint.key, endpoint.path)
        for role in SIGNED_IN:
            actor = world.actors[role]
            # The browser even sends its CSRF token: still no authority on the API.
            response = await actor.browser.request(
                endpoint.method,
                path,
                json={"status": "reviewed", "confirm": True} if endpoint.method != "GET" else None,
                headers={"X-CSRF-Token": actor.csrf},
            )
            checked += 1
            if response.status_code != 401:
                problems.append(f"{endpoint.key} as {role} by cookie: {response.status_code}")
            elif response.json()["error"]["code"] != "unauthorized":
                problems.append(f"{endpoint.key}: 401 without the error body")
    assert checked > 50
    assert not problems, "\n".join(problems)
    # The same calls with the bearer token work (the cookie was the only thing missing).
    me = await world.actors["applicant"].api.get("/api/v1/me")
    assert me.status_code == 200
