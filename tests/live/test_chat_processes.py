"""Booth chats across real web processes behind one Redis: the applicant on process A
and the recruiter on process B chat as if on one process; when process A is killed
outright (SIGKILL) the messages sent meanwhile are stored, and the applicant,
reconnecting to B with the last id it saw, gets exactly those (none lost, none twice)."""

from __future__ import annotations

import asyncio
import json
import signal
import time
import uuid
from typing import Any

import pytest
from support.chat_world import ChatWorld, build_chat_world
from support.live_world import process_environment, start_web_process, web_process
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
