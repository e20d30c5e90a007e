"""Changing the e-mail or phone an account signs in with asks for the current password
and tells the old address (issue 12, item 3). Before, a stolen session or token could
move the account to the thief's address in one request, silently."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from support import factories

from jobfair.context import AppContext
from jobfair.models import Outbox, User


async def _token_client(client: httpx.AsyncClient) -> httpx.AsyncClient:
    registered = await client.post("/api/v1/applicants", json=factories.registration())
    assert registered.status_code == 201, registered.text
    answer = await client.post(
        "/api/v1/tokens", json={"email": "budi@example.test", "password": factories.PASSWORD}
    )
    assert answer.status_code == 201
    client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return client


async def _mails_to(ctx: AppContext, address: str) -> list[Outbox]:
    async with ctx.read() as session:
        return list(await session.scalars(select(Outbox).where(Outbox.to_address == address)))


async def test_a_new_email_needs_the_current_password(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    api = await _token_client(client)
    before = len(await _mails_to(ctx, "budi@example.test"))
    refused = await api.patch("/api/v1/me", json={"email": "pencuri@example.test"})
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"]["current_password"]
    wrong = await api.patch(
        "/api/v1/me", json={"email": "pencuri@example.test", "current_password": "bukan-ini"}
    )
    assert wrong.status_code == 422
    async with ctx.read() as session:
        user = await session.scalar(select(User))
    assert user is not None and user.email == "budi@example.test"
    assert len(await _mails_to(ctx, "budi@example.test")) == before  # nothing happened

    done = await api.patch(
        "/api/v1/me",
        json={"email": "budi.baru@example.test", "current_password": factories.PASSWORD},
    )
    assert done.status_code == 200 and done.json()["email"] == "budi.baru@example.test"
    told = await _mails_to(ctx, "budi@example.test")
    assert len(told) == before + 1
    body = told[-1].payload["body"]
    # The old address learns of it, with the new address masked (not handed out).
    assert "b***@example.test" in body and "budi.baru@example.test" not in body
    assert await _mails_to(ctx, "budi.baru@example.test") == []


async def test_other_fields_and_an_unchanged_contact_need_no_password(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    api = await _token_client(client)
    before = len(await _mails_to(ctx, "budi@example.test"))
    same = await api.patch(
        "/api/v1/me",
        json={"institution": "Politeknik Asahan", "email": "BUDI@example.test"},
    )
    assert same.status_code == 200, same.text
    assert same.json()["institution"] == "Politeknik Asahan"
    assert len(await _mails_to(ctx, "budi@example.test")) == before


async def test_a_new_phone_needs_the_password_and_the_email_is_told(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    api = await _token_client(client)
    assert (await api.patch("/api/v1/me", json={"phone": "0813 0000 1111"})).status_code == 422
    done = await api.patch(
        "/api/v1/me", json={"phone": "0813 0000 1111", "current_password": factories.PASSWORD}
    )
    assert done.status_code == 200 and done.json()["phone"] == "+6281300001111"
    body = (await _mails_to(ctx, "budi@example.test"))[-1].payload["body"]
    assert "+62 *** 111" in body


async def test_guessing_the_password_through_the_profile_is_limited(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    """A wrong confirmation counts as a failed sign-in of the account (10 in 15
    minutes), so a stolen session cannot try passwords without end."""
    api = await _token_client(client)
    codes = [
        (
            await api.patch(
                "/api/v1/me",
                json={"email": "pencuri@example.test", "current_password": f"tebakan-{n}"},
            )
        ).status_code
        for n in range(11)
    ]
    assert codes[:10] == [422] * 10 and codes[10] == 429
    # The right password is refused too while the limit holds.
    blocked = await api.patch(
        "/api/v1/me",
        json={"email": "pencuri@example.test", "current_password": factories.PASSWORD},
    )
    assert blocked.status_code == 429
