"""Booth chats over ``/ws/fairs/{slug}`` on a real uvicorn server with real
``websockets`` clients: a message sent as JSON is stored, then acknowledged with its
id, and reaches the other party; a client reconnecting with ``?after=`` gets exactly
what it missed (nothing lost, nothing twice); HTML clients get the whole log; bad
frames and strangers are refused."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from support.chat_world import ChatWorld, applicant_cookies, build_chat_world, post_form
from support.live_server import serve
from websockets.asyncio.client import ClientConnection, connect

from jobfair.settings import Settings


@pytest.fixture
async def server(settings: Settings) -> AsyncIterator[tuple[str, ChatWorld]]:
    world = await build_chat_world(settings)
    with serve(settings) as base:
        yield base, world


def _url(base: str, chat: ChatWorld, query: str = "") -> str:
    w = chat.world
    return (
        "ws"
        + base.removeprefix("http")
        + f"/ws/fairs/{w.fair_slug}?format=json&booth={w.company_slug}{query}"
    )


async def _until(socket: ClientConnection, condition: Any, seconds: float = 10.0) -> list[dict]:
    seen = []
    async with asyncio.timeout(seconds):
        while True:
            frame = json.loads(await socket.recv())
            seen.append(frame)
            if condition(frame):
                return seen


def _messages(frames: list[dict]) -> list[dict]:
    return [f["message"] for f in frames if "message" in f]


async def _send(socket: ClientConnection, chat: ChatWorld, body: str, ref: str) -> int:
    await socket.send(
        json.dumps({"type": "send", "conversation": chat.conversation_id, "body": body, "ref": ref})
    )
    frames = await _until(socket, lambda f: f.get("ack", {}).get("ref") == ref or "error" in f)
    assert "error" not in frames[-1], frames[-1]
    return frames[-1]["ack"]["id"]


async def test_messages_reach_the_other_party_and_resume_after_a_reconnect(
    server: tuple[str, ChatWorld],
) -> None:
    base, chat = server
    channel = f"chat:{chat.conversation_id}"
    applicant = await connect(
        _url(base, chat), additional_headers={"Cookie": chat.applicant_cookie}
    )
    recruiter = await connect(
        _url(base, chat), additional_headers={"Cookie": chat.recruiter_cookie}
    )
    try:
        # Each side first gets the chat so far: the "started" line.
        for socket in (applicant, recruiter):
            frames = await _until(socket, lambda f: f.get("channel") == channel)
            assert _messages(frames)[0]["body"] == "started"
        first = await _send(applicant, chat, "Halo, saya tertarik", "a1")
        frames = await _until(recruiter, lambda f: f.get("message", {}).get("id") == first)
        assert _messages(frames)[-1]["sender"] == "applicant"
        seen_by_recruiter = first
        await recruiter.close()
        # While the recruiter is away, two more messages are stored.
        later = [await _send(applicant, chat, f"Pesan {n}", f"a{n}") for n in (2, 3)]
        recruiter = await connect(
            _url(base, chat, f"&after={seen_by_recruiter}"),
            additional_headers={"Cookie": chat.recruiter_cookie},
        )
        frames = await _until(recruiter, lambda f: f.get("message", {}).get("id") == later[-1])
        ids = [m["id"] for m in _messages(frames)]
        assert ids == later  # exactly what was missed: nothing lost, nothing twice
        reply = await _send(recruiter, chat, "Silakan", "r1")
        frames = await _until(applicant, lambda f: f.get("message", {}).get("id") == reply)
        assert _messages(frames)[-1]["body"] == "Silakan"
    finally:
        await applicant.close()
        await recruiter.close()


async def test_bad_frames_and_strangers(server: tuple[str, ChatWorld]) -> None:
    base, chat = server
    async with connect(
        _url(base, chat), additional_headers={"Cookie": chat.applicant_cookie}
    ) as socket:
        for bad in [
            "not json",
            "[]",
            json.dumps({"type": "send", "conversation": "1", "body": "x"}),
            json.dumps({"type": "send", "conversation": chat.conversation_id, "body": ""}),
        ]:
            await socket.send(bad)
            frames = await _until(socket, lambda f: "error" in f)
            assert frames[-1]["error"] == "invalid"
        # Somebody else's conversation does not exist for this applicant.
        await socket.send(
            json.dumps({"type": "send", "conversation": chat.conversation_id + 1000, "body": "x"})
        )
        frames = await _until(socket, lambda f: "error" in f)
        assert frames[-1]["error"] == "not_found"
    # An anonymous socket sends nothing into a chat: its frames are ignored.
    async with connect(_url(base, chat)) as socket:
        await socket.send(
            json.dumps({"type": "send", "conversation": chat.conversation_id, "body": "x"})
        )
        with pytest.raises(TimeoutError):
            await _until(socket, lambda f: "ack" in f or "error" in f, seconds=1.0)


async def test_html_clients_get_the_whole_log(server: tuple[str, ChatWorld]) -> None:
    base, chat = server
    w = chat.world
    url = "ws" + base.removeprefix("http") + f"/ws/fairs/{w.fair_slug}?booth={w.company_slug}"
    async with connect(
        _url(base, chat), additional_headers={"Cookie": chat.applicant_cookie}
    ) as json_socket:
        await _send(json_socket, chat, "Baris satu", "h1")
        async with connect(url, additional_headers={"Cookie": chat.recruiter_cookie}) as socket:
            async with asyncio.timeout(10):
                while True:
                    frame = await socket.recv()
                    if f'id="chat-log-{chat.conversation_id}"' in frame:
                        break
            assert "Baris satu" in frame and 'hx-swap-oob="outerMorph"' in frame


def _on(channel: str, test: Any = lambda body: True) -> Any:
    return lambda f: f.get("channel") == channel and test(f)


async def test_queue_places_and_presence_are_pushed(
    server: tuple[str, ChatWorld], settings: Settings
) -> None:
    base, chat = server
    w = chat.world
    cookies = await applicant_cookies(settings)
    booth_page = f"/fairs/{w.fair_slug}/booths/{w.company_slug}/chat"
    console = f"/company/booths/{w.booth_id}/chat"
    presence, queue, place = (f"{kind}:{w.booth_id}" for kind in ("presence", "queue", "place"))
    visitor = await connect(_url(base, chat))
    try:
        # Nobody of the company has the booth open yet.
        frames = await _until(visitor, _on(presence))
        assert frames[-1]["presence"] == {"recruiters_online": 0, "recruiters": []}
        recruiter = await connect(
            _url(base, chat), additional_headers={"Cookie": chat.recruiter_cookie}
        )
        frames = await _until(recruiter, _on(queue))
        assert frames[-1]["queue"] == {"waiting": 0, "joined": False, "entries": []}
        # The visitor's booth page sees the recruiter go online, with their open chat.
        frames = await _until(visitor, _on(presence, lambda f: f["presence"]["recruiters_online"]))
        assert frames[-1]["presence"]["recruiters"][0]["open_chats"] == 1
        # Two applicants join: the recruiter's list grows, with a ping for each.
        for n, cookie in enumerate(cookies[1:3], start=1):
            joined = await post_form(base, cookie, booth_page, booth_page + "/queue")
            assert joined.status_code == 303
            frames = await _until(recruiter, _on(queue, lambda f, n=n: f["queue"]["waiting"] == n))
            assert frames[-1]["queue"]["joined"] is True
            assert [e["position"] for e in frames[-1]["queue"]["entries"]] == list(range(1, n + 1))
        third = await connect(_url(base, chat), additional_headers={"Cookie": cookies[2]})
        try:
            frames = await _until(third, _on(place))
            assert frames[-1]["place"]["position"] == 2
            # The one ahead is taken: the third moves up without reloading anything.
            taken = await post_form(base, chat.recruiter_cookie, console, console + "/take")
            assert taken.status_code == 303
            frames = await _until(third, _on(place, lambda f: f["place"]["position"] == 1))
            assert frames[-1]["place"]["wait_seconds"] == 0  # a free chat place is there
            frames = await _until(recruiter, _on(queue, lambda f: f["queue"]["waiting"] == 1))
            assert frames[-1]["queue"]["joined"] is False  # a take is no new joiner
        finally:
            await third.close()
        # The recruiter closes the console: the booth page shows nobody online; an
        # anonymous visitor never gets place or queue frames.
        await recruiter.close()
        frames = await _until(
            visitor, _on(presence, lambda f: f["presence"]["recruiters_online"] == 0)
        )
        assert all(f.get("channel") not in (place, queue) for f in frames)
    finally:
        await visitor.close()


async def test_html_booth_page_gets_the_presence_fragment(server: tuple[str, ChatWorld]) -> None:
    base, chat = server
    w = chat.world
    url = "ws" + base.removeprefix("http") + f"/ws/fairs/{w.fair_slug}?booth={w.company_slug}"
    target = f'id="chat-presence-{w.booth_id}" hx-swap-oob="true"'

    async def fragment(socket: ClientConnection, text: str) -> str:
        async with asyncio.timeout(10):
            while True:
                frame = str(await socket.recv())
                if target in frame and text in frame:
                    return frame

    async with connect(url) as visitor:
        await fragment(visitor, "Tidak ada perekrut")
        recruiter = await connect(
            _url(base, chat), additional_headers={"Cookie": chat.recruiter_cookie}
        )
        frame = await fragment(visitor, "1 perekrut")
        assert "1 obrolan" in frame  # the recruiter's chat with the world's applicant
        await recruiter.close()
        await fragment(visitor, "Tidak ada perekrut")
