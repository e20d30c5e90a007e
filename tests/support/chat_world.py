"""A booth chat ready to talk over real sockets: on top of ``live_world``'s open fair,
applicant session cookies and a conversation taken straight through the service (the
tests are about what travels over the socket, not about the console's forms)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from sqlalchemy import select

from jobfair.context import AppContext
from jobfair.models import Applicant, Booth, Recruiter, User
from jobfair.models.accounts import Role
from jobfair.services import auth
from jobfair.services import conversations as chats
from jobfair.settings import Settings
from jobfair.web.auth import SESSION_COOKIE, session_signer
from support.browsing import csrf_of
from support.live_world import World, build_world


@dataclass
class ChatWorld:
    world: World
    conversation_id: int
    applicant_cookie: str
    recruiter_cookie: str


async def build_chat_world(settings: Settings) -> ChatWorld:
    world = await build_world(settings)
    ctx = AppContext.create(settings)
    now = datetime.now(UTC)
    limits = chats.ChatLimits.from_settings(settings)
    try:
        async with ctx.unit_of_work() as session:
            applicant = await session.scalar(select(Applicant).order_by(Applicant.id).limit(1))
            assert applicant is not None and applicant.user_id is not None
            user = await session.get(User, applicant.user_id)
            booth = await session.get(Booth, world.booth_id)
            assert user is not None and booth is not None
            await chats.join_queue(
                session,
                applicant=applicant,
                user_id=user.id,
                booth=booth,
                now=now,
                recruiters_online=1,
                limits=limits,
            )
            recruiter = await session.scalar(
                select(User)
                .join(Recruiter, Recruiter.user_id == User.id)
                .where(Recruiter.company_id == booth.company_id, User.role == Role.RECRUITER)
            )
            assert recruiter is not None
            chat = await chats.take_next(
                session, user=recruiter, booth=booth, now=now, limits=limits
            )
            assert chat is not None
            raw, _row = await auth.start_session(session, user, now)
            cookie = f"{SESSION_COOKIE}={session_signer(settings.secret_key).sign(raw).decode()}"
            return ChatWorld(world, chat.id, cookie, world.recruiter_cookie)
    finally:
        await ctx.close()


async def applicant_cookies(settings: Settings) -> list[str]:
    """A session cookie for every applicant of the world, in applicant id order (the
    first is the one ``build_chat_world`` put in a chat)."""
    ctx = AppContext.create(settings)
    signer = session_signer(settings.secret_key)
    try:
        async with ctx.unit_of_work() as session:
            cookies = []
            for applicant in await session.scalars(select(Applicant).order_by(Applicant.id)):
                user = await session.get(User, applicant.user_id)
                assert user is not None
                raw, _row = await auth.start_session(session, user, datetime.now(UTC))
                cookies.append(f"{SESSION_COOKIE}={signer.sign(raw).decode()}")
            return cookies
    finally:
        await ctx.close()


async def post_form(base: str, cookie: str, page: str, action: str) -> httpx.Response:
    """Submit a form of ``page`` (its CSRF field) to ``action`` as the session of
    ``cookie``, on a real server at ``base``."""
    name, _, value = cookie.partition("=")
    async with httpx.AsyncClient(base_url=base, cookies={name: value}) as client:
        html = (await client.get(page)).text
        return await client.post(action, data={"csrf_token": csrf_of(html), "vacancy": ""})
