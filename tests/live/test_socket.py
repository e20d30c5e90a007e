"""``/ws/fairs/{slug}`` on a real uvicorn server with real ``websockets`` clients:
snapshot first, updates as applications arrive, HTML fragments for htmx, the organiser
channel's rules, and refusal of foreign origins."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from support.live_server import serve
from support.live_world import World, build_world
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from jobfair.settings import Settings


@pytest.fixture
async def server(settings: Settings) -> AsyncIterator[tuple[str, World]]:
    world = await build_world(settings)
    with serve(settings) as base:
        yield base, world


def _ws(base: str, path: str) -> str:
    return "ws" + base.removeprefix("http") + path


async def _frames(socket: ClientConnection, until: Any, seconds: float = 10.0) -> list[Any]:
    """Read frames until ``until(frame)`` holds; returns them all."""
    seen = []
    async with asyncio.timeout(seconds):
        while True:
            frame = await socket.recv()
            seen.append(frame)
            if until(frame):
                return seen


async def _apply(base: str, token: str, vacancy_id: int) -> int:
    async with httpx.AsyncClient(base_url=base) as http:
        response = await http.post(
            f"/api/v1/vacancies/{vacancy_id}/applications",
            headers={"Authorization": f"Bearer {token}"},
        )
    return response.status_code


async def test_json_clients_get_a_snapshot_then_updates(server: tuple[str, World]) -> None:
    base, world = server
    url = _ws(base, f"/ws/fairs/{world.fair_slug}?format=json&booth={world.company_slug}")
    async with connect(url) as socket:
        fair_frame = json.loads(await socket.recv())
        booth_frame = json.loads(await socket.recv())
        assert fair_frame["channel"] == f"fair:{world.fair_id}"
        assert fair_frame["counters"]["applications"] == 0
        assert fair_frame["counters"]["online"] == 1
        assert booth_frame == {
            "channel": f"booth:{world.booth_id}",
            "counters": {"applications": 0, "online": 1},
        }
        assert await _apply(base, world.applicant_tokens[0], world.vacancy_ids[0]) == 201
        frames = await _frames(
            socket,
            lambda raw: (
                json.loads(raw)["channel"] == f"fair:{world.fair_id}"
                and json.loads(raw)["counters"]["applications"] == 1
            ),
        )
        assert json.loads(frames[-1])["counters"]["applicants"] == 1
    # The public API reports presence too (nobody connected any more).
    async with httpx.AsyncClient(base_url=base) as http:
        counts = (await http.get(f"/api/v1/fairs/{world.fair_slug}")).json()["counts"]
    assert counts["applications"] == 1


async def test_browsers_get_out_of_band_html(server: tuple[str, World]) -> None:
    base, world = server
    url = _ws(base, f"/ws/fairs/{world.fair_slug}?booth={world.company_slug}&lang=en")
    async with connect(url, origin=base) as socket:  # type: ignore[arg-type]
        first = await socket.recv()
        assert f'id="fair-counters-{world.fair_id}" hx-swap-oob="true"' in first
        assert f'id="booth-counters-{world.booth_id}" hx-swap-oob="true"' in first
        assert "1 person in this booth now" in first
        assert await _apply(base, world.applicant_tokens[0], world.vacancy_ids[0]) == 201
        await _frames(socket, lambda html: 'id="count-applications">1<' in html)


async def test_a_foreign_origin_is_refused(server: tuple[str, World]) -> None:
    base, world = server
    with pytest.raises(InvalidStatus) as refused:
        async with connect(
            _ws(base, f"/ws/fairs/{world.fair_slug}"),
            origin="https://evil.example",  # type: ignore[arg-type]
        ):
            pass
    assert refused.value.response.status_code == 403


async def test_the_origin_must_match_in_scheme_as_well_as_host(
    server: tuple[str, World],
) -> None:
    """``https://`` the same host is another origin than the ``http://`` page serving the
    socket: a host-only comparison let it through."""
    base, world = server
    with pytest.raises(InvalidStatus) as refused:
        async with connect(
            _ws(base, f"/ws/fairs/{world.fair_slug}"),
            origin="https" + base.removeprefix("http"),  # type: ignore[arg-type]
        ):
            pass
    assert refused.value.response.status_code == 403


async def test_anonymous_sockets_are_capped_per_address(settings: Settings) -> None:
    world = await build_world(settings)
    capped = settings.with_overrides(live_sockets_per_address=2)
    with serve(capped) as base:
        url = _ws(base, f"/ws/fairs/{world.fair_slug}?format=json")
        async with connect(url) as first, connect(url) as second:
            assert json.loads(await first.recv())["channel"] == f"fair:{world.fair_id}"
            await second.recv()
            with pytest.raises(InvalidStatus) as refused:
                async with connect(url):
                    pass
            assert refused.value.response.status_code == 403
        # Closing gives the places back.
        async with connect(url) as again:
            assert json.loads(await again.recv())["channel"] == f"fair:{world.fair_id}"


@pytest.mark.parametrize(
    ("path", "who"),
    [
        ("/ws/fairs/{slug}?channel=organiser", None),
        ("/ws/fairs/{slug}?channel=organiser", "recruiter"),
        ("/ws/fairs/{slug}?channel=organiser", "foreign"),
        ("/ws/fairs/no-such-fair", None),
        ("/ws/fairs/{slug}?booth=no-such-company", None),
    ],
)
async def test_what_may_not_be_watched_is_refused(
    server: tuple[str, World], path: str, who: str | None
) -> None:
    base, world = server
    cookies = {"recruiter": world.recruiter_cookie, "foreign": world.foreign_organiser_cookie}
    headers = {"Cookie": cookies[who]} if who else {}
    with pytest.raises(InvalidStatus) as refused:
        async with connect(
            _ws(base, path.format(slug=world.fair_slug)), additional_headers=headers
        ):
            pass
    assert refused.value.response.status_code == 403


async def test_the_organiser_channel_carries_the_company_table(
    server: tuple[str, World],
) -> None:
    base, world = server
    url = _ws(base, f"/ws/fairs/{world.fair_slug}?channel=organiser&format=json")
    recruiter_url = _ws(base, f"/ws/fairs/{world.fair_slug}?booth={world.company_slug}")
    async with connect(url, additional_headers={"Cookie": world.organiser_cookie}) as socket:
        first = json.loads(await socket.recv())
        assert first["channel"] == f"organiser:{world.fair_id}"
        assert [row["booth_id"] for row in first["booths_without_recruiter"]] == [world.booth_id]
        assert len(first["vacancies_without_applications"]) == 2
        async with connect(
            recruiter_url, additional_headers={"Cookie": world.recruiter_cookie}
        ) as recruiter:
            await recruiter.recv()
            frames = await _frames(
                socket, lambda raw: json.loads(raw)["booths_without_recruiter"] == []
            )
            assert json.loads(frames[-1])["companies"][0]["recruiters_online"] == 1
            assert await _apply(base, world.applicant_tokens[1], world.vacancy_ids[1]) == 201
            frames = await _frames(
                socket, lambda raw: json.loads(raw)["counters"]["applications"] == 1
            )
        latest = json.loads(frames[-1])
        assert latest["companies"][0]["unreviewed"] == 1
        assert [v["id"] for v in latest["vacancies_without_applications"]] == [world.vacancy_ids[0]]
        assert latest["per_minute"][-1] == 1


async def test_the_organiser_dashboard_page(server: tuple[str, World]) -> None:
    base, world = server
    async with httpx.AsyncClient(base_url=base) as http:
        page = await http.get(
            f"/organiser/fairs/{world.fair_slug}/live",
            headers={"Cookie": world.organiser_cookie},
        )
        assert page.status_code == 200
        assert f'hx-ws:connect="/ws/fairs/{world.fair_slug}?channel=organiser"' in page.text
        assert 'id="organiser-live"' in page.text
        assert "hx-ws.min.js" in page.text
        foreign = await http.get(
            f"/organiser/fairs/{world.fair_slug}/live",
            headers={"Cookie": world.foreign_organiser_cookie},
        )
        assert foreign.status_code == 404
        anonymous = await http.get(f"/organiser/fairs/{world.fair_slug}/live")
        assert anonymous.status_code in (302, 303)
        recruiter = await http.get(
            f"/organiser/fairs/{world.fair_slug}/live",
            headers={"Cookie": world.recruiter_cookie},
        )
        assert recruiter.status_code == 403


async def test_a_closed_client_stops_counting_as_online(server: tuple[str, World]) -> None:
    base, world = server
    url = _ws(base, f"/ws/fairs/{world.fair_slug}?format=json")
    async with connect(url) as watcher:
        assert json.loads(await watcher.recv())["counters"]["online"] == 1
        async with connect(url) as other:
            await other.recv()
            await _frames(watcher, lambda raw: json.loads(raw)["counters"]["online"] == 2)
        await _frames(watcher, lambda raw: json.loads(raw)["counters"]["online"] == 1)
    # Anything the client sends is ignored, and closing is clean.
    async with connect(url) as chatty:
        await chatty.recv()
        await chatty.send("hello")
        with pytest.raises(ConnectionClosed):
            await chatty.close()
            await chatty.recv()


def test_disabling_a_user_closes_their_open_sockets(settings: Settings) -> None:
    """The organiser channel stayed open (and kept streaming the company table) after
    its user was disabled; now the sockets of a user whose sessions end close."""
    import asyncio as _asyncio

    from starlette.testclient import TestClient
    from starlette.websockets import WebSocketDisconnect

    from jobfair.app import create_app
    from jobfair.models import User
    from jobfair.services import auth

    world = _asyncio.run(build_world(settings))
    app = create_app(settings)
    path = f"/ws/fairs/{world.fair_slug}?channel=organiser&format=json"
    public = f"/ws/fairs/{world.fair_slug}?format=json"
    with TestClient(app, base_url="http://testserver") as client:
        cookie = {"cookie": world.organiser_cookie}
        with (
            client.websocket_connect(path, headers=cookie) as socket,
            client.websocket_connect(public) as anonymous,
        ):
            assert json.loads(socket.receive_text())["channel"] == f"organiser:{world.fair_id}"
            anonymous.receive_text()

            async def disable() -> None:
                ctx = app.state.ctx
                async with ctx.unit_of_work() as session:
                    organiser = await session.scalar(
                        select(User).where(User.email == f"petugas-{world.fair_slug}@example.test")
                    )
                    assert organiser is not None
                    await auth.disable_user(session, organiser.id, ctx.now(), actor_user_id=None)

            closed = threading.Event()

            def read_until_closed() -> None:
                try:
                    while True:  # frames already on their way may come first
                        socket.receive_text()
                except WebSocketDisconnect:
                    closed.set()

            reader = threading.Thread(target=read_until_closed, daemon=True)
            reader.start()
            client.portal.call(disable)
            assert closed.wait(10), "the disabled organiser's socket stayed open"
            # Nobody else's socket closed.
            assert app.state.ctx.live.client_count() == 1


async def test_updates_reach_real_sockets_encoded_once_for_all(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As the Procfile runs it (no compression: the bytes are the same for every
    # socket). The server runs in this process (a thread): its encoder can be watched.
    from jobfair.live import wire

    encoded: list[str] = []
    original = wire.encode_text

    def counting(text: str) -> bytes:
        encoded.append(text)
        return original(text)

    monkeypatch.setattr(wire, "encode_text", counting)
    world = await build_world(settings)
    with serve(settings, ws_per_message_deflate=False) as base:
        url = _ws(base, f"/ws/fairs/{world.fair_slug}?format=json")
        sockets = [await connect(url) for _ in range(4)]
        try:
            for socket in sockets:
                assert json.loads(await socket.recv())["counters"]["applications"] == 0
            assert await _apply(base, world.applicant_tokens[0], world.vacancy_ids[0]) == 201
            for socket in sockets:
                await _frames(socket, lambda raw: json.loads(raw)["counters"]["applications"] == 1)
        finally:
            for socket in sockets:
                await socket.close()
    carrying = [text for text in encoded if '"applications":1' in text]
    # Four sockets, the frame encoded once per fan-out that carried it.
    assert 1 <= len(carrying) < len(sockets)
