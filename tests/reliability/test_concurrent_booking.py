"""No double booking under concurrency, over real HTTP, on SQLite and PostgreSQL.

A real uvicorn server; twenty signed-in applicants (each a browser with its own session
and CSRF cookies and connection) press "book" on the same 1:1 slot at the same moment,
released by a barrier: exactly one booking holds the slot, the others are told it is
taken (409), and nothing reaches the server's error log. Then each applicant presses
"book" on two slots of one company at once: each ends with exactly one booking there.
The guarantee is the database's (unique constraints), not the request order.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select
from support import factories
from support.live_server import serve
from support.reliability_data import describe, server_errors

from jobfair.db.engine import create_engine, create_sessionmakers
from jobfair.db.uow import UnitOfWork
from jobfair.models import Booth, BoothSlot, Company, Fair, SlotBooking, User
from jobfair.services import auth
from jobfair.settings import Settings
from jobfair.web.auth import CSRF_COOKIE, SESSION_COOKIE, csrf_for, session_signer

APPLICANTS = 20
TIMEOUT = httpx.Timeout(90.0)


async def _scene(settings: Settings) -> tuple[str, str, list[int], list[tuple[str, str]]]:
    """An open fair, one booth with three future slots, and APPLICANTS signed-in
    sessions: (fair slug, company slug, slot ids, [(session cookie, csrf cookie)])."""
    engine = create_engine(settings.database_url)
    writer, _reader = create_sessionmakers(engine)
    now = datetime.now(UTC)
    signer = session_signer(settings.secret_key)
    sessions = []
    try:
        async with UnitOfWork(writer) as session:
            fair: Fair = await factories.fair(session, opens_at=now - timedelta(days=1), days=7)
            company: Company = await factories.company(session)
            booth: Booth = await factories.booth(session, fair_row=fair, company_row=company)
            slots = [
                BoothSlot(booth_id=booth.id, starts_at=now + timedelta(hours=2, minutes=20 * n),
                          minutes=20, capacity=1)
                for n in range(3)
            ]  # fmt: skip
            session.add_all(slots)
            for _ in range(APPLICANTS):
                row = await factories.applicant(session)
                user = await session.get(User, row.user_id)
                assert user is not None
                raw, _row = await auth.start_session(session, user, now)
                sessions.append((signer.sign(raw).decode(), _row.csrf_token))
            await session.flush()
            return fair.slug, company.slug, [slot.id for slot in slots], sessions
    finally:
        await engine.dispose()


def _browsers(
    base_url: str, sessions: list[tuple[str, str]], secret: str
) -> list[tuple[httpx.AsyncClient, str]]:
    browsers = []
    for session_cookie, session_secret in sessions:
        csrf_cookie = secrets.token_urlsafe(24)
        client = httpx.AsyncClient(
            base_url=base_url,
            timeout=TIMEOUT,
            cookies={SESSION_COOKIE: session_cookie, CSRF_COOKIE: csrf_cookie},
        )
        browsers.append((client, csrf_for(secret, csrf_cookie, session_secret)))
    return browsers


async def _count(database_url: str, *conditions: object) -> int:
    engine = create_engine(database_url)
    _writer, reader = create_sessionmakers(engine)
    try:
        async with reader() as session:
            return int(
                await session.scalar(select(func.count(SlotBooking.id)).where(*conditions)) or 0
            )
    finally:
        await engine.dispose()


async def test_twenty_applicants_book_one_slot_at_the_same_moment(settings: Settings) -> None:
    slug, company, slot_ids, sessions = await _scene(settings)
    path = f"/fairs/{slug}/booths/{company}/slots/{{}}/book"
    with serve(settings, timeout_keep_alive=300) as base_url, server_errors() as errors:
        browsers = _browsers(base_url, sessions, settings.secret_key)
        try:
            # Opens each connection now, so the barrier releases requests, not handshakes.
            for client, _token in browsers:
                assert (await client.get("/me/bookings")).status_code == 200
            barrier = asyncio.Barrier(len(browsers))

            async def press(client: httpx.AsyncClient, token: str, slot_id: int) -> int:
                await barrier.wait()
                answer = await client.post(path.format(slot_id), data={"csrf_token": token})
                return answer.status_code

            statuses = await asyncio.gather(
                *(press(client, token, slot_ids[0]) for client, token in browsers)
            )
            assert sorted(statuses) == [303] + [409] * (APPLICANTS - 1), statuses
            assert (
                await _count(settings.database_url, SlotBooking.active_slot_id == slot_ids[0]) == 1
            )

            # The one who got it cannot take a second slot of the company; the others
            # each press two slots of it at once and end with one booking each at most,
            # never two on one slot.
            barrier = asyncio.Barrier(2 * len(browsers))
            pairs = await asyncio.gather(
                *(
                    asyncio.gather(
                        press(client, token, slot_ids[1]), press(client, token, slot_ids[2])
                    )
                    for client, token in browsers
                )
            )
        finally:
            await asyncio.gather(*(client.aclose() for client, _token in browsers))
    assert not errors, describe(errors)
    assert all(status in (303, 409) for pair in pairs for status in pair), pairs
    assert sum(status == 303 for pair in pairs for status in pair) == 2
    held = await _count(settings.database_url, SlotBooking.active_slot_id.is_not(None))
    assert held == 3
    # Nobody holds two slots of the company.
    engine = create_engine(settings.database_url)
    _writer, reader = create_sessionmakers(engine)
    try:
        async with reader() as session:
            most = await session.scalar(
                select(func.max(func.count(SlotBooking.id)).over())
                .where(SlotBooking.active_booth_id.is_not(None))
                .group_by(SlotBooking.applicant_id)
            )
    finally:
        await engine.dispose()
    assert most == 1
