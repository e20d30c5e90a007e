"""Booth chats across real web processes behind one Redis: the applicant on process A
and the recruiter on process B chat as if on one process; when process A is killed
outright (SIGKILL) the messages sent meanwhile are stored, and the applicant,
reconnecting to B with the last id it saw, gets exactly those (none lost, none twice).
When Redis goes away, messages are still stored and acknowledged; a reconnect gets them
at once, and a socket that stayed gets them when Redis is back.
Queues and presence cross processes too: a join or a take on A reaches the recruiter's and
the waiting applicant's sockets on B, and the recruiter going online on B reaches a booth
page on A."""

from __future__ import annotations

import asyncio
import json
import signal
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from support.chat_world import ChatWorld, applicant_cookies, build_chat_world, post_form
from support.live_server import free_port
from support.live_world import (
    process_environment,
    redis_server,
    require_redis_server,
    start_web_process,
    web_process,
)
from websockets.asyncio.client import ClientConnection, connect

from jobfair.settings import Settings

pytestmark = pytest.mark.redis


def _url(base: str, chat: ChatWorld, query: str = "") -> str:
    w = chat.world
    return (
        "ws" + base.removeprefix("http")
        + f"/ws/fairs/{w.fair_slug}?format=json&booth={w.company_slug}{query}"
    )  # fmt: skip


async def _until(socket: ClientConnection, condition: Any, seconds: float = 10.0) -> list[dict]:
    seen = []
    async with asyncio.timeout(seconds):
        while True:
            frame = json.loads(await socket.recv())
            seen.append(frame)
            if condition(frame):
                return seen


async def _send(socket: ClientConnection, chat: ChatWorld, body: str, ref: str) -> int:
    frame = {"type": "send", "conversation": chat.conversation_id, "body": body, "ref": ref}
    await socket.send(json.dumps(frame))
    frames = await _until(socket, lambda f: f.get("ack", {}).get("ref") == ref or "error" in f)
    assert "error" not in frames[-1], frames[-1]
    return int(frames[-1]["ack"]["id"])


def _ids(frames: list[dict]) -> list[int]:
    return [f["message"]["id"] for f in frames if "message" in f]


async def test_chat_across_two_processes_and_a_killed_one(
    settings: Settings, redis_url: str
) -> None:
    chat = await build_chat_world(settings)
    env = process_environment(settings, redis_url, f"chat-{uuid.uuid4().hex[:8]}")
    process_a, base_a = start_web_process(env)
    try:
        with web_process(env) as base_b:
            applicant = await connect(
                _url(base_a, chat), additional_headers={"Cookie": chat.applicant_cookie}
            )
            recruiter = await connect(
                _url(base_b, chat), additional_headers={"Cookie": chat.recruiter_cookie}
            )
            channel = f"chat:{chat.conversation_id}"
            for socket in (applicant, recruiter):
                await _until(socket, lambda f: f.get("channel") == channel)
            # A → B and B → A, through the chat's Redis channel.
            started = time.monotonic()
            sent = await _send(applicant, chat, "Halo dari A", "a1")
            await _until(recruiter, lambda f: f.get("message", {}).get("id") == sent)
            print(f"A to B in {(time.monotonic() - started) * 1000:.0f} ms")
            reply = await _send(recruiter, chat, "Halo dari B", "b1")
            frames = await _until(applicant, lambda f: f.get("message", {}).get("id") == reply)
            last_seen = _ids(frames)[-1]
            # Process A dies outright; the recruiter keeps writing on B.
            process_a.send_signal(signal.SIGKILL)
            process_a.wait()
            missed = [await _send(recruiter, chat, f"Pesan {n}", f"b{n + 1}") for n in (1, 2)]
            await recruiter.close()
            # The applicant's browser reconnects — to B — with the last id it saw.
            async with connect(
                _url(base_b, chat, f"&after={last_seen}"),
                additional_headers={"Cookie": chat.applicant_cookie},
            ) as again:
                frames = await _until(again, lambda f: f.get("message", {}).get("id") == missed[-1])
                assert _ids(frames) == missed
    finally:
        if process_a.poll() is None:
            process_a.kill()
            process_a.wait()


async def test_a_redis_outage_loses_no_message(settings: Settings, tmp_path: Path) -> None:
    require_redis_server()
    chat = await build_chat_world(settings)
    port = free_port()
    env = process_environment(settings, f"redis://127.0.0.1:{port}/0", "chat-outage")
    with (
        redis_server(port, tmp_path) as first_redis,
        web_process(env) as base_a,
        web_process(env) as base_b,
    ):
        applicant = await connect(
            _url(base_a, chat), additional_headers={"Cookie": chat.applicant_cookie}
        )
        recruiter = await connect(
            _url(base_b, chat), additional_headers={"Cookie": chat.recruiter_cookie}
        )
        try:
            channel = f"chat:{chat.conversation_id}"
            for socket in (applicant, recruiter):
                await _until(socket, lambda f: f.get("channel") == channel)
            sent = await _send(applicant, chat, "Sebelum Redis pergi", "a1")
            frames = await _until(recruiter, lambda f: f.get("message", {}).get("id") == sent)
            first_redis.kill()
            first_redis.wait()
            # Redis is gone: the recruiter's messages are still stored and acknowledged.
            missed = [await _send(recruiter, chat, f"Tanpa Redis {n}", f"b{n}") for n in (1, 2)]
            # A reconnect to the other process gets exactly those, without Redis.
            async with connect(
                _url(base_a, chat, f"&after={sent}"),
                additional_headers={"Cookie": chat.applicant_cookie},
            ) as again:
                frames = await _until(again, lambda f: f.get("message", {}).get("id") == missed[-1])
                assert _ids(frames) == missed
            # The socket that stayed on A gets them once Redis is back (A re-reads for
            # its clients when it subscribes again), once each.
            with redis_server(port, tmp_path):
                frames = await _until(
                    applicant, lambda f: f.get("message", {}).get("id") == missed[-1], seconds=20
                )
                assert [one for one in _ids(frames) if one > sent] == missed
        finally:
            await applicant.close()
            await recruiter.close()


async def test_queue_and_presence_across_two_processes(settings: Settings, redis_url: str) -> None:
    chat = await build_chat_world(settings)
    cookies = await applicant_cookies(settings)
    w = chat.world
    booth_page = f"/fairs/{w.fair_slug}/booths/{w.company_slug}/chat"
    console = f"/company/booths/{w.booth_id}/chat"
    presence, queue, place = (f"{kind}:{w.booth_id}" for kind in ("presence", "queue", "place"))
    env = process_environment(settings, redis_url, f"chat-{uuid.uuid4().hex[:8]}")
    with web_process(env) as base_a, web_process(env) as base_b:
        async with connect(_url(base_a, chat)) as visitor:
            await _until(visitor, lambda f: f.get("channel") == presence)
            recruiter = await connect(
                _url(base_b, chat), additional_headers={"Cookie": chat.recruiter_cookie}
            )
            await _until(recruiter, lambda f: f.get("channel") == queue)
            # B's presence reaches the booth page on A.
            await _until(
                visitor,
                lambda f: f.get("channel") == presence and f["presence"]["recruiters_online"] == 1,
            )
            # Two join on A: the recruiter on B sees them at once (not after B's cached
            # chat state ages out).
            for n, cookie in enumerate(cookies[1:3], start=1):
                joined = await post_form(base_a, cookie, booth_page, booth_page + "/queue")
                assert joined.status_code == 303
                frames = await _until(
                    recruiter,
                    lambda f, n=n: f.get("channel") == queue and f["queue"]["waiting"] == n,
                    seconds=4.0,
                )
                assert frames[-1]["queue"]["joined"] is True
            async with connect(
                _url(base_b, chat), additional_headers={"Cookie": cookies[2]}
            ) as third:
                frames = await _until(third, lambda f: f.get("channel") == place)
                assert frames[-1]["place"]["position"] == 2
                taken = await post_form(base_a, chat.recruiter_cookie, console, console + "/take")
                assert taken.status_code == 303
                await _until(
                    third,
                    lambda f: f.get("channel") == place and f["place"]["position"] == 1,
                    seconds=4.0,
                )
            await recruiter.close()
            await _until(
                visitor,
                lambda f: f.get("channel") == presence and f["presence"]["recruiters_online"] == 0,
            )
