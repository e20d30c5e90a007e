"""Registration tells nobody whose NIK, e-mail or phone is on the platform (issue 12,
item 6): the answer for details already registered is byte for byte the answer for new
ones, on the page and in the API, for job seekers and companies; the owner is mailed.
Before, the answer was 409 "already registered" with the field named."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from support import factories
from support.browsing import register

from jobfair.context import AppContext
from jobfair.models import Outbox, User


async def _told(ctx: AppContext) -> int:
    async with ctx.read() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(Outbox)
                .where(Outbox.dedupe_key.startswith("registration-attempt:"))
            )
            or 0
        )


async def test_the_api_answers_the_same_for_a_known_nik_email_and_phone(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    first = await client.post("/api/v1/applicants", json=factories.registration())
    known = {
        "nik": factories.registration(email="baru1@example.test", phone=""),
        "email": factories.registration(
            nik=factories.WOMAN_NIK, sex="P", birth_date="2003-08-15", phone=""
        ),
        "phone": factories.registration(
            nik=factories.MAN_NIK[:12] + "0009", email="baru3@example.test"
        ),
    }
    for name, fields in known.items():
        again = await client.post("/api/v1/applicants", json=fields)
        assert (again.status_code, again.content) == (first.status_code, first.content), name
        assert "budi" not in again.text.lower()
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1
    assert await _told(ctx) == 1  # once a day, however many tries


async def test_the_page_answers_the_same(client: httpx.AsyncClient, ctx: AppContext) -> None:
    first = await register(client, factories.registration())
    client.cookies.clear()
    again = await register(client, factories.registration(email="lain@example.test", phone=""))
    assert (again.status_code, again.headers["location"]) == (
        first.status_code,
        first.headers["location"],
    )
    # Nobody is signed in by either answer.
    assert "jobfair_session" not in first.cookies and "jobfair_session" not in again.cookies
    assert await _told(ctx) == 1
