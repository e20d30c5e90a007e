"""The live layer in one process: signals after commit, coalesced frames, snapshots,
reconciliation with the database, presence, the organiser's table, slow clients."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from support import factories
from support.ws_frames import parse

from jobfair.context import AppContext
from jobfair.live import layer as layer_module
from jobfair.live.layer import FANOUT_SHARE, Subscriber
from jobfair.models import Application, User, Vacancy
from jobfair.models.accounts import Role
from jobfair.services import auth, screening
from jobfair.services import live as live_service
from jobfair.services.errors import NotFound, PermissionDenied


async def _world(ctx: AppContext, applicants: int = 3) -> dict[str, Any]:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        booth = await factories.booth(session, fair_row=fair)
        first = await factories.vacancy(session, booth_row=booth, title="Operator")
        second = await factories.vacancy(session, booth_row=booth, title="Mandor")
        other_booth = await factories.booth(session, fair_row=fair)
        idle = await factories.vacancy(session, booth_row=other_booth, title="Sopir")
        tokens = []
        for _ in range(applicants):
            person = await factories.applicant(session, vault=ctx.nik_vault)
            user = await session.get(User, person.user_id)
            assert user is not None
            raw, _row = await auth.create_api_token(
                session, user, lifetime=factories.TOKEN_LIFETIME
            )
            tokens.append(raw)
        return {
            "fair": fair,
            "booth": booth,
            "other_booth": other_booth,
            "vacancies": [first, second],
            "idle": idle,
            "tokens": tokens,
        }


async def _apply(client: httpx.AsyncClient, token: str, vacancy: Vacancy) -> httpx.Response:
    return await client.post(
        f"/api/v1/vacancies/{vacancy.id}/applications",
        headers={"Authorization": f"Bearer {token}"},
    )


class Recorder:
    """A websocket stand-in that keeps what it is sent."""

    def __init__(self, delay: float = 0.0) -> None:
        self.frames: list[str] = []
        self.closed = False
        self.delay = delay

    async def send(self, text: str) -> None:
        if self.delay:
            await asyncio.sleep(self.delay)
        self.frames.append(text)

    async def close(self) -> None:
        self.closed = True

    def subscriber(self, fair_id: int, slug: str, **options: Any) -> Subscriber:
        return Subscriber(
            send=self.send, close=self.close, fair_id=fair_id, fair_slug=slug, **options
        )

    def json(self) -> list[dict[str, Any]]:
        return [json.loads(frame) for frame in self.frames]


async def _until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """Poll ``condition`` (frames arrive from the layer's own tasks)."""
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110 - nothing to wait on but the frames
            await asyncio.sleep(0.02)


async def _connected(ctx: AppContext, recorder: Recorder, fair: Any, **options: Any) -> Subscriber:
    assert ctx.live is not None
    subscriber = recorder.subscriber(fair.id, fair.slug, busy=True, **options)
    for frame in await ctx.live.connect(subscriber):
        await recorder.send(frame)
    ctx.live.resume(subscriber)
    return subscriber


async def test_an_application_reaches_a_connected_client(
    ctx: AppContext, client: httpx.AsyncClient
) -> None:
    world = await _world(ctx)
    fair, booth = world["fair"], world["booth"]
    recorder = Recorder()
    await _connected(ctx, recorder, fair, fmt="json", booth_id=booth.id)
    first = recorder.json()
    assert [frame["channel"] for frame in first] == [
        f"fair:{fair.id}",
        f"booth:{booth.id}",
        f"presence:{booth.id}",  # the booth's chat presence (nobody of the company here)
    ]
    assert first[0]["counters"]["applications"] == 0
    assert first[0]["counters"]["online"] == 1
    assert first[1]["counters"] == {"applications": 0, "online": 1}
    assert first[2]["presence"] == {"recruiters_online": 0, "recruiters": []}

    response = await _apply(client, world["tokens"][0], world["vacancies"][0])
    assert response.status_code == 201

    def fair_frames() -> list[dict[str, Any]]:
        return [f for f in recorder.json() if f["channel"] == f"fair:{fair.id}"]

    await _until(lambda: fair_frames()[-1]["counters"]["applications"] == 1)
    counters = fair_frames()[-1]["counters"]
    assert counters["applicants"] == 1
    assert counters["applications_last_hour"] == 1
    booth_frames = [f for f in recorder.json() if f["channel"] == f"booth:{booth.id}"]
    assert booth_frames[-1]["counters"]["applications"] == 1


async def test_bursts_are_coalesced_into_few_frames(
    ctx: AppContext, client: httpx.AsyncClient
) -> None:
    world = await _world(ctx, applicants=6)
    fair = world["fair"]
    recorder = Recorder()
    await _connected(ctx, recorder, fair, fmt="json")
    for token in world["tokens"]:
        for vacancy in world["vacancies"]:
            assert (await _apply(client, token, vacancy)).status_code == 201
    await _until(lambda: recorder.json()[-1]["counters"]["applications"] == 12)
    assert recorder.json()[-1]["counters"]["applicants"] == 6
    # Twelve commits, yet far fewer frames: at most one per tick reaches the client.
    assert len(recorder.frames) < 12


async def test_html_frames_are_out_of_band_fragments_in_the_client_language(
    ctx: AppContext, client: httpx.AsyncClient
) -> None:
    world = await _world(ctx)
    fair, booth = world["fair"], world["booth"]
    english, indonesian = Recorder(), Recorder()
    await _connected(ctx, english, fair, locale="en", booth_id=booth.id)
    await _connected(ctx, indonesian, fair, locale="id", booth_id=booth.id)
    assert (await _apply(client, world["tokens"][0], world["vacancies"][0])).status_code == 201

    def counters(recorder: Recorder) -> str:
        # The latest counters frame (a booth client's chat presence is a frame of its own).
        return next((f for f in reversed(recorder.frames) if "fair-counters" in f), "")

    await _until(
        lambda: "1 application<" in counters(english) and "1 lamaran<" in counters(indonesian)
    )
    latest = counters(english)
    assert f'id="fair-counters-{fair.id}" hx-swap-oob="true"' in latest
    assert f'id="booth-counters-{booth.id}" hx-swap-oob="true"' in latest
    assert "Online now" in latest and "1 application" in latest
    assert "Daring sekarang" in counters(indonesian)
    presence = [f for f in english.frames if f'id="chat-presence-{booth.id}"' in f]
    assert presence and 'hx-swap-oob="true"' in presence[-1]
    assert "No recruiter of this booth is online right now." in presence[-1]


async def test_withdrawal_and_screening_reconcile_from_the_database(
    ctx: AppContext, client: httpx.AsyncClient
) -> None:
    world = await _world(ctx)
    fair, booth = world["fair"], world["booth"]
    for token in world["tokens"]:
        assert (await _apply(client, token, world["vacancies"][0])).status_code == 201
    assert ctx.live is not None
    await _until(lambda: ctx.live is not None and not ctx.live._signals)
    snapshot = await ctx.live.snapshot(fair.id, [booth.id])
    assert snapshot.booths[booth.id]["unreviewed"] == 3

    # A recruiter looks at one: it is no longer unreviewed, for the organiser too.
    async with ctx.unit_of_work() as session:
        recruiter = await factories.recruiter(
            session, company_row=await session.get(factories.Company, booth.company_id)
        )
        application_id = await session.scalar(
            select(Application.id).where(Application.booth_id == booth.id).limit(1)
        )
        assert application_id is not None
        await screening.stage(
            session, recruiter, "reviewed", ctx.now(), application_ids=[application_id]
        )
    await _until(lambda: ctx.live is not None and not ctx.live._signals)
    # The flusher reconciles from the database after taking the signals: poll for it
    # (a fixed pause was too short on a loaded machine).
    async with asyncio.timeout(10):
        while True:
            snapshot = await ctx.live.snapshot(fair.id, [booth.id])
            if snapshot.booths[booth.id]["unreviewed"] != 3:
                break
            await asyncio.sleep(0.05)
    assert snapshot.booths[booth.id]["unreviewed"] == 2
    assert snapshot.fair["applications"] == 3


async def test_reconciliation_repairs_a_wrong_store(ctx: AppContext) -> None:
    world = await _world(ctx)
    fair = world["fair"]
    async with ctx.unit_of_work() as session:
        person = await factories.applicant(session, vault=ctx.nik_vault)
        await factories.application(
            session, vacancy_row=world["vacancies"][0], applicant_row=person, submitted_at=ctx.now()
        )
    assert ctx.live is not None
    keys = live_service.counter_keys(fair.id)
    await ctx.live.store.replace({keys["fair"]: {"applications": 999, "_reconciled": 1}})
    assert (await ctx.live.snapshot(fair.id)).fair["applications"] == 999
    await ctx.live.reconcile(fair.id)
    counters = (await ctx.live.snapshot(fair.id)).fair
    assert counters["applications"] == 1
    assert counters["applicants"] == 1
    assert counters["companies"] == 2
    assert counters["vacancies"] == 3


async def test_a_store_never_reconciled_is_read_from_the_database(ctx: AppContext) -> None:
    world = await _world(ctx)
    assert ctx.live is not None
    keys = live_service.counter_keys(world["fair"].id)
    # As after a Redis restart: an increment created the hash without a reconciliation.
    await ctx.live.store.replace({keys["fair"]: {"applications": 1}})
    assert (await ctx.live.snapshot(world["fair"].id)).fair["applications"] == 0


async def test_presence_counts_visitors_and_recruiters_apart(ctx: AppContext) -> None:
    world = await _world(ctx)
    fair, booth = world["fair"], world["booth"]
    assert ctx.live is not None
    visitors = [Recorder() for _ in range(3)]
    subscribers = [await _connected(ctx, one, fair, booth_id=booth.id) for one in visitors]
    hrd = await _connected(ctx, Recorder(), fair, booth_id=booth.id, recruiter=True)
    organiser = await _connected(ctx, Recorder(), fair, organiser=True)
    counts = await ctx.live.presence.counts(
        [f"fair:{fair.id}", f"booth:{booth.id}", f"recruiters:{booth.id}"]
    )
    assert counts == {f"fair:{fair.id}": 3, f"booth:{booth.id}": 3, f"recruiters:{booth.id}": 1}
    for subscriber in [*subscribers, hrd, organiser]:
        ctx.live.disconnect(subscriber)
        ctx.live.disconnect(subscriber)  # twice is harmless
    counts = await ctx.live.presence.counts([f"fair:{fair.id}", f"recruiters:{booth.id}"])
    assert counts == {f"fair:{fair.id}": 0, f"recruiters:{booth.id}": 0}
    assert ctx.live.client_count() == 0


async def test_the_organiser_frame_holds_the_per_company_table(
    ctx: AppContext, client: httpx.AsyncClient
) -> None:
    world = await _world(ctx)
    fair, booth, other = world["fair"], world["booth"], world["other_booth"]
    assert (await _apply(client, world["tokens"][0], world["vacancies"][0])).status_code == 201
    assert (await _apply(client, world["tokens"][1], world["vacancies"][0])).status_code == 201
    await _connected(ctx, Recorder(), fair, booth_id=booth.id, recruiter=True)
    recorder = Recorder()
    await _connected(ctx, recorder, fair, fmt="json", organiser=True)
    frame = recorder.json()[0]
    assert frame["channel"] == f"organiser:{fair.id}"
    assert frame["counters"]["applications"] == 2
    assert frame["counters"]["unreviewed"] == 2
    rows = {row["booth_id"]: row for row in frame["companies"]}
    assert rows[booth.id]["applications"] == 2
    assert rows[booth.id]["unreviewed"] == 2
    assert rows[booth.id]["share_answered"] == 0.0
    assert rows[booth.id]["recruiters_online"] == 1
    assert rows[other.id]["applications"] == 0
    assert rows[other.id]["share_answered"] is None
    idle = {one["id"] for one in frame["vacancies_without_applications"]}
    assert idle == {world["vacancies"][1].id, world["idle"].id}
    assert [one["booth_id"] for one in frame["booths_without_recruiter"]] == [other.id]
    assert len(frame["per_minute"]) == layer_module.SPARKLINE_MINUTES
    assert frame["per_minute"][-1] == 2


async def test_each_organiser_gets_the_company_table_in_their_order(
    ctx: AppContext, client: httpx.AsyncClient
) -> None:
    world = await _world(ctx)
    fair, booth, other = world["fair"], world["booth"], world["other_booth"]
    assert (await _apply(client, world["tokens"][0], world["vacancies"][0])).status_code == 201
    by_name, by_count, rising = Recorder(), Recorder(), Recorder()
    most = live_service.CompanySort.parse("-applications")
    fewest = live_service.CompanySort.parse("applications")
    await _connected(ctx, by_name, fair, fmt="json", organiser=True)
    await _connected(ctx, by_count, fair, fmt="json", organiser=True, sort=most)
    await _connected(ctx, rising, fair, fmt="html", organiser=True, sort=fewest)
    order = [row["booth_id"] for row in by_count.json()[0]["companies"]]
    assert order == [booth.id, other.id]
    names = [row["name"] for row in by_name.json()[0]["companies"]]
    assert names == sorted(names, key=str.casefold)
    # An HTML frame: the headings link the next order and the socket keeps this one.
    assert 'aria-sort="ascending"' in rising.frames[0]
    assert f"/organiser/fairs/{fair.slug}/live?sort=-applications" in rising.frames[0]


async def test_a_slow_client_is_dropped_without_holding_up_the_others(
    ctx: AppContext, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layer_module, "SEND_TIMEOUT", 0.2)
    world = await _world(ctx)
    fair = world["fair"]
    slow, quick = Recorder(delay=30), Recorder()
    assert ctx.live is not None
    slow_subscriber = slow.subscriber(fair.id, fair.slug, fmt="json")
    await ctx.live.connect(slow_subscriber)
    await _connected(ctx, quick, fair, fmt="json")
    assert (await _apply(client, world["tokens"][0], world["vacancies"][0])).status_code == 201
    await _until(lambda: quick.json()[-1]["counters"]["applications"] == 1)
    await _until(lambda: slow.closed)
    assert ctx.live.client_count() == 1


async def test_signals_of_a_rolled_back_transaction_are_dropped(ctx: AppContext) -> None:
    world = await _world(ctx)
    assert ctx.live is not None
    published: list[Any] = []
    original: Callable[[list[Any]], None] = ctx.live.submit
    ctx.live.submit = published.extend  # type: ignore[method-assign]
    try:
        with pytest.raises(RuntimeError):
            async with ctx.unit_of_work() as session:
                from jobfair.live import signals

                signals.fair_changed(session, world["fair"].id)
                raise RuntimeError("boom")
        assert published == []
        async with ctx.unit_of_work() as session:
            signals.fair_changed(session, world["fair"].id)
        assert published == [signals.FairChanged(world["fair"].id)]
    finally:
        ctx.live.submit = original  # type: ignore[method-assign]


async def test_watch_target_rules(ctx: AppContext) -> None:
    world = await _world(ctx)
    fair, booth = world["fair"], world["booth"]
    async with ctx.unit_of_work() as session:
        company = await session.get(factories.Company, booth.company_id)
        hrd = await factories.recruiter(session, company_row=company)
        stranger = await factories.recruiter(session, company_row=await factories.company(session))
        organiser = User(
            email="petugas@example.test",
            password_hash="x",
            role=Role.ORGANISER,
            full_name="Petugas",
            office_id=fair.office_id,
        )
        elsewhere = User(
            email="lain@example.test",
            password_hash="x",
            role=Role.ORGANISER,
            full_name="Petugas Lain",
            office_id=(await factories.office(session)).id,
        )
        session.add_all([organiser, elsewhere])
        await session.flush()
    company_slug = company.slug if company else ""
    async with ctx.read() as session:
        mine = await live_service.watch_target(session, hrd, fair.slug, booth_company=company_slug)
        assert (mine.booth_id, mine.recruiter) == (booth.id, True)
        theirs = await live_service.watch_target(
            session, stranger, fair.slug, booth_company=company_slug
        )
        assert theirs.recruiter is False
        watched = await live_service.watch_target(session, organiser, fair.slug, organiser=True)
        assert watched.organiser
        for user in (None, hrd):
            with pytest.raises(PermissionDenied):
                await live_service.watch_target(session, user, fair.slug, organiser=True)
        with pytest.raises(NotFound):
            await live_service.watch_target(session, elsewhere, fair.slug, organiser=True)
        with pytest.raises(NotFound):
            await live_service.watch_target(session, None, fair.slug, booth_company="no-such")
        with pytest.raises(NotFound):
            await live_service.watch_target(session, None, "no-such-fair")


class Writer:
    """The broadcast path's stand-in (jobfair.live.wire.TransportWriter): keeps the
    encoded frames it is given; ``paused`` plays a client whose buffer is full."""

    def __init__(self, paused: bool = False) -> None:
        self.paused = paused
        self.frames: list[bytes] = []

    def ready(self) -> bool:
        return not self.paused

    def write(self, frame: bytes) -> None:
        self.frames.append(frame)

    def json(self) -> list[dict[str, Any]]:
        return [json.loads(f.data) for frame in self.frames for f in parse(frame)]


async def test_a_fan_out_encodes_each_frame_once_and_writes_without_tasks(
    ctx: AppContext, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jobfair.live import wire

    world = await _world(ctx)
    fair, booth = world["fair"], world["booth"]
    encoded: list[str] = []
    original = wire.encode_text

    def counting(text: str) -> bytes:
        encoded.append(text)
        return original(text)

    monkeypatch.setattr(wire, "encode_text", counting)
    assert ctx.live is not None
    delivered: list[Subscriber] = []
    deliver = ctx.live._deliver

    async def spied(subscriber: Subscriber) -> None:
        delivered.append(subscriber)
        await deliver(subscriber)

    monkeypatch.setattr(ctx.live, "_deliver", spied)
    # Five fair watchers and two of the booth, in JSON.
    writers = [Writer() for _ in range(7)]
    for index, writer in enumerate(writers):
        await _connected(
            ctx,
            Recorder(),
            fair,
            fmt="json",
            booth_id=booth.id if index >= 5 else None,
            writer=writer,
        )
    assert (await _apply(client, world["tokens"][0], world["vacancies"][0])).status_code == 201

    def seen(writer: Writer) -> list[int]:
        return [
            f["counters"]["applications"]
            for f in writer.json()
            if f["channel"] == f"fair:{fair.id}"
        ]

    await _until(lambda: all(1 in seen(writer) for writer in writers))
    # The fair frame carrying the application was encoded once for all seven clients
    # (per fan-out that carried it), the booth frame once for both booth watchers.
    fair_texts = [t for t in encoded if f'"fair:{fair.id}"' in t and '"applications":1' in t]
    booth_texts = [t for t in encoded if f'"booth:{booth.id}"' in t and '"applications":1' in t]
    assert 1 <= len(fair_texts) < len(writers)
    assert 1 <= len(booth_texts) < 2
    assert len(set(fair_texts)) == len(fair_texts)
    assert all(
        f["counters"]["applications"] == 1
        for f in writers[6].json()
        if f["channel"] == f"booth:{booth.id}" and f["counters"]["applications"]
    )
    # Written straight to the transports: no delivery task for any of them.
    assert delivered == []


async def test_a_large_fan_out_lets_the_loop_run_between_slices(
    ctx: AppContext, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layer_module, "FANOUT_SLICE", 2)
    world = await _world(ctx)
    fair = world["fair"]
    log: list[str] = []

    class Logged(Writer):
        def write(self, frame: bytes) -> None:
            super().write(frame)
            if b'"applications":1' in frame:
                log.append("write")

    writers = [Logged() for _ in range(7)]
    for writer in writers:
        await _connected(ctx, Recorder(), fair, fmt="json", writer=writer)

    async def ticker() -> None:
        while True:
            log.append("tick")
            await asyncio.sleep(0)

    ticking = asyncio.create_task(ticker())
    try:
        assert (await _apply(client, world["tokens"][0], world["vacancies"][0])).status_code == 201
        await _until(lambda: log.count("write") >= len(writers))
    finally:
        ticking.cancel()
    writes = [index for index, what in enumerate(log) if what == "write"]
    # Other tasks ran between the slices of one fan-out (written in one go, the seven
    # writes would be back to back).
    between = log[writes[0] : writes[len(writers) - 1]]
    assert "tick" in between, between


def test_fan_outs_take_at_most_their_share_of_the_loop(ctx: AppContext) -> None:
    live = ctx.live
    assert live is not None
    started = 1000.0
    # A small fan-out: the tick decides.
    live._round_started, live._round_cost = started, 0.01
    assert live._next_public(started + 0.01) == started + live.tick
    # 10,000 sockets: about 0.12 s a fan-out, so the next one waits ~0.48 s
    # (a quarter of the loop), not 0.24 (half of it) nor the 0.25 s tick.
    live._round_cost = 0.12
    assert live._next_public(started + 0.2) == pytest.approx(started + 0.12 / FANOUT_SHARE)
    assert FANOUT_SHARE == 0.25
    # One still being delivered counts as lasting till now.
    live._round_cost = None
    assert live._next_public(started + 0.3) == pytest.approx(started + 0.3 / FANOUT_SHARE)


async def test_a_paused_client_gets_a_task_and_is_dropped_without_delaying_others(
    ctx: AppContext, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(layer_module, "SEND_TIMEOUT", 0.2)
    world = await _world(ctx)
    fair = world["fair"]
    assert ctx.live is not None
    delivered: list[Subscriber] = []
    deliver = ctx.live._deliver

    async def spied(subscriber: Subscriber) -> None:
        delivered.append(subscriber)
        await deliver(subscriber)

    monkeypatch.setattr(ctx.live, "_deliver", spied)
    # The slow one's transport is paused and its send never finishes in time.
    slow, slow_writer = Recorder(delay=30), Writer(paused=True)
    slow_subscriber = slow.subscriber(fair.id, fair.slug, fmt="json", writer=slow_writer)
    await ctx.live.connect(slow_subscriber)
    ctx.live.resume(slow_subscriber)
    quick = [Writer() for _ in range(3)]
    for writer in quick:
        await _connected(ctx, Recorder(), fair, fmt="json", writer=writer)
    assert (await _apply(client, world["tokens"][0], world["vacancies"][0])).status_code == 201

    def has_update(writer: Writer) -> bool:
        return any(f["counters"].get("applications") == 1 for f in writer.json())

    # The others have the update while the slow one's delivery is still hanging.
    await _until(lambda: all(has_update(writer) for writer in quick))
    await _until(lambda: slow.closed)
    assert delivered and set(delivered) == {slow_subscriber}
    assert slow_writer.frames == []
    assert ctx.live.client_count() == 3
