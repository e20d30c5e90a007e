"""Browser-like helpers for page tests: CSRF tokens from forms, signing in."""

from __future__ import annotations

import re

import httpx

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "page has no CSRF field"
    return found.group(1)


async def form_token(client: httpx.AsyncClient, path: str = "/password/forgot") -> str:
    response = await client.get(path)
    return csrf_of(response.text)


async def sign_in(client: httpx.AsyncClient, login: str, password: str) -> httpx.Response:
    token = await form_token(client)
    return await client.post(
        "/login", data={"login": login, "password": password, "csrf_token": token}
    )


async def register(client: httpx.AsyncClient, fields: dict[str, object]) -> httpx.Response:
    token = await form_token(client, "/register")
    data: dict[str, object] = {
        k: v for k, v in fields.items() if k not in ("consent", "disability")
    }
    if fields.get("consent"):
        data["consent"] = "1"
    data["disability"] = list(fields.get("disability") or [])  # type: ignore[arg-type]
    data["csrf_token"] = token
    return await client.post("/register", data=data)


REGISTERED = "/login?notice=registered&next=%2Fme%3Fwelcome%3D1"


async def register_and_sign_in(
    client: httpx.AsyncClient, fields: dict[str, object]
) -> httpx.Response:
    """Register through the form, then sign in as the page asks (registration answers
    the same for known and new details, so it signs nobody in by itself)."""
    registered = await register(client, fields)
    assert registered.status_code == 303, registered.text
    assert registered.headers["location"] == REGISTERED
    login = str(fields.get("email") or fields.get("phone"))
    signed = await sign_in(client, login, str(fields["password"]))
    assert signed.status_code == 303, signed.text
    return signed
