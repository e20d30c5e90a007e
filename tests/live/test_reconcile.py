"""Reconciling the live counters with the database while applications keep coming: the
guarded swap of the counter store, against the memory store and the real Redis, with an
increment forced between the reconciliation's database read and its write."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any

import pytest
from redis.asyncio import Redis
from support import factories

from jobfair.context import AppContext
from jobfair.live import layer as layer_module
from jobfair.live.hub import MemoryHub
from jobfair.live.layer import LiveLayer, _increments
from jobfair.live.presence import MemoryPresence
from jobfair.live.signals import Applied
from jobfair.live.store import MemoryCounterStore, RedisCounterStore
from jobfair.models import Applicant, Vacancy
from jobfair.services import live as live_service


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    if request.param == "memory":
        yield MemoryCounterStore()
        return
    client = Redis.from_url(request.getfixturevalue("redis_url"))
    yield RedisCounterStore(client, f"test-{uuid.uuid4().hex[:8]}:live:")
    await client.aclose()


def _layer(ctx: AppContext, store: Any) -> LiveLayer:
    # Not started: the test drives reconcile and the increments itself.
    return LiveLayer(
        store=store, hub=MemoryHub(), presence=MemoryPresence(), read=ctx.read, clock=ctx.now
    )


async def _world(ctx: AppContext) -> tuple[int, Vacancy]:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        booth = await factories.booth(session, fair_row=fair)
        vacancy = await factories.vacancy(session, booth_row=booth)
        for _ in range(2):
            person = await factories.applicant(session, vault=ctx.nik_vault)
            await factories.application(
                session, vacancy_row=vacancy, applicant_row=person, submitted_at=ctx.now()
            )
        return fair.id, vacancy


async def _commit_application(ctx: AppContext, vacancy: Vacancy) -> Applied:
    """A new application committed, and the signal its request hands the live layer."""
    async with ctx.unit_of_work() as session:
        person: Applicant = await factories.applicant(session, vault=ctx.nik_vault)
        row = await factories.application(
            session, vacancy_row=vacancy, applicant_row=person, submitted_at=ctx.now()
        )
        return Applied(row.fair_id, row.booth_id, row.vacancy_id, ctx.now(), True)


async def _counters(layer: LiveLayer, ctx: AppContext, fair_id: int) -> tuple[Any, Any]:
    """What the store holds and what the database says, hash by hash."""
    keys = list(live_service.counter_keys(fair_id).values())
    held = await layer.store.read(keys)
    async with ctx.read() as session:
        truth = await live_service.counters_from_db(session, fair_id, ctx.now())
    held[0].pop(layer_module.RECONCILED, None)
    return held, [truth[key] for key in keys]


def _interleave(
    monkeypatch: pytest.MonkeyPatch, between: Callable[[], Awaitable[None]]
) -> list[int]:
    """Run ``between`` once, right after the reconciliation's first database read and
    before its write; returns the list of reads made."""
    real = live_service.counters_from_db
    reads: list[int] = []

    async def read_then_interleave(session: Any, fair_id: int, now: datetime) -> Any:
        hashes = await real(session, fair_id, now)
        reads.append(fair_id)
        if len(reads) == 1:
            await between()
        return hashes

    monkeypatch.setattr(layer_module.live_service, "counters_from_db", read_then_interleave)
    return reads


async def test_an_increment_between_the_read_and_the_write_is_kept(
    ctx: AppContext, store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The application commits after the reconciliation read the database, and its
    increment lands before the write: the old replace erased it (counters one short
    until the next reconciliation)."""
    fair_id, vacancy = await _world(ctx)
    layer = _layer(ctx, store)
    assert await layer.reconcile(fair_id) is True

    async def apply_meanwhile() -> None:
        signal = await _commit_application(ctx, vacancy)
        await store.add(_increments(signal))

    reads = _interleave(monkeypatch, apply_meanwhile)
    assert await layer.reconcile(fair_id) is True
    assert len(reads) == 2  # the swap was refused once and read the database again
    held, truth = await _counters(layer, ctx, fair_id)
    assert held == truth
    assert held[0]["applications"] == 3 and held[0]["applicants"] == 3


async def test_an_increment_of_an_application_already_read_is_not_doubled(
    ctx: AppContext, store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The application committed before the read (the database counts it) and its
    increment lands between the read and the write: counted once."""
    fair_id, vacancy = await _world(ctx)
    layer = _layer(ctx, store)
    assert await layer.reconcile(fair_id) is True
    signal = await _commit_application(ctx, vacancy)

    async def late_increment() -> None:
        await store.add(_increments(signal))

    _interleave(monkeypatch, late_increment)
    assert await layer.reconcile(fair_id) is True
    held, truth = await _counters(layer, ctx, fair_id)
    assert held == truth and held[0]["applications"] == 3


async def test_a_signal_queued_before_the_read_is_not_added_after_the_swap(
    ctx: AppContext, store: Any
) -> None:
    """The application committed and its signal was queued before the reconciliation
    read the database, but this process's flusher adds it only after the swap: the read
    counted it, so the swap drops it (it was counted twice until the next one)."""
    fair_id, vacancy = await _world(ctx)
    layer = _layer(ctx, store)
    assert await layer.reconcile(fair_id) is True
    layer.submit([await _commit_application(ctx, vacancy)])
    assert await layer.reconcile(fair_id) is True
    await layer._flush_once()
    held, truth = await _counters(layer, ctx, fair_id)
    assert held == truth and held[0]["applications"] == 3


async def test_a_signal_queued_after_the_read_began_is_added(
    ctx: AppContext, store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Committed while the reconciliation was reading (after its read began): it may be
    missing from the read, so its increment is kept and added after the swap."""
    fair_id, vacancy = await _world(ctx)
    layer = _layer(ctx, store)
    assert await layer.reconcile(fair_id) is True
    other_fair, other_vacancy = await _world(ctx)
    assert await layer.reconcile(other_fair) is True
    queued: list[Applied] = []

    async def commit_meanwhile() -> None:
        queued.append(await _commit_application(ctx, vacancy))
        layer.submit([queued[-1]])

    _interleave(monkeypatch, commit_meanwhile)
    # Queued before this fair's read, but of another fair: not this swap's to drop.
    layer.submit([await _commit_application(ctx, other_vacancy)])
    assert await layer.reconcile(fair_id) is True
    assert [signal for _at, signal in layer._signals][-1] == queued[0]
    await layer._flush_once()
    held, truth = await _counters(layer, ctx, fair_id)
    assert held == truth and held[0]["applications"] == 3
    held, truth = await _counters(layer, ctx, other_fair)
    assert held == truth and held[0]["applications"] == 3


async def test_increments_after_the_swap_add_up(ctx: AppContext, store: Any) -> None:
    fair_id, vacancy = await _world(ctx)
    layer = _layer(ctx, store)
    assert await layer.reconcile(fair_id) is True
    for _ in range(2):
        await store.add(_increments(await _commit_application(ctx, vacancy)))
    held, truth = await _counters(layer, ctx, fair_id)
    assert held == truth and held[0]["applications"] == 4


async def test_a_swap_contended_on_every_try_gives_up_and_keeps_the_increments(
    store: Any,
) -> None:
    """Increments on every try: no write at all (nothing erased), and False so the
    caller knows; the next reconciliation tries again."""
    await store.replace({"fair:1": {"applications": 5}})
    tries = 0

    async def compute() -> dict[str, dict[str, int]]:
        nonlocal tries
        tries += 1
        await store.add([("fair:1", "applications", 1)])
        return {"fair:1": {"applications": 100}}

    assert await store.swap(["fair:1", "fair:1:booths"], compute, attempts=3) is False
    assert tries == 3
    assert await store.read(["fair:1"]) == [{"applications": 8}]

    async def quiet() -> dict[str, dict[str, int]]:
        return {"fair:1": {"applications": 9}}

    # Uncontended: the listed keys the computation leaves out are emptied.
    await store.add([("fair:1:booths", "4", 2)])
    assert await store.swap(["fair:1", "fair:1:booths"], quiet) is True
    assert await store.read(["fair:1", "fair:1:booths"]) == [{"applications": 9}, {}]
