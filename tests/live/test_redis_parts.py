"""The Redis side of the live layer against the real Redis: counter hashes, presence
that expires with a dead process, and the pub/sub hub that resubscribes after losing
its connection. The memory versions must behave the same."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from redis.asyncio import Redis

from jobfair.live.hub import MemoryHub, RedisHub
from jobfair.live.presence import MemoryPresence, RedisPresence
from jobfair.live.store import MemoryCounterStore, RedisCounterStore


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


@pytest.fixture
def prefix() -> str:
    return f"test-{uuid.uuid4().hex[:8]}:live:"


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def store(request: pytest.FixtureRequest, prefix: str) -> AsyncIterator[Any]:
    if request.param == "memory":
        yield MemoryCounterStore()
        return
    client = Redis.from_url(request.getfixturevalue("redis_url"))
    yield RedisCounterStore(client, prefix)
    await client.aclose()


async def _until(condition: Callable[[], bool], seconds: float) -> None:
    async with asyncio.timeout(seconds):
        while not condition():  # noqa: ASYNC110 - the hub's task fills the list
            await asyncio.sleep(0.02)


async def test_counter_store_adds_reads_replaces_and_locks(store: Any) -> None:
    await store.add([("fair:1", "applications", 1), ("fair:1", "applications", 2)])
    await store.add([("fair:1:booths", "7", 1), ("fair:2", "applications", 5)])
    assert await store.read(["fair:1", "fair:1:booths", "fair:9"]) == [
        {"applications": 3},
        {"7": 1},
        {},
    ]
    await store.replace({"fair:1": {"applications": 10, "applicants": 4}, "fair:1:booths": {}})
    assert await store.read(["fair:1", "fair:1:booths", "fair:2"]) == [
        {"applications": 10, "applicants": 4},
        {},
        {"applications": 5},
    ]
    assert await store.add([]) is None
    assert await store.try_lock("reconcile", 5) is True
    assert await store.try_lock("reconcile", 5) is False
    assert await store.try_lock("other", 5) is True


@pytest.mark.redis
async def test_presence_is_shared_and_a_dead_process_leaves_no_ghosts(
    redis: Redis, prefix: str
) -> None:
    first = RedisPresence(redis, prefix=prefix, ttl=1)
    second = RedisPresence(redis, prefix=prefix, ttl=1)
    first.join(["fair:1", "booth:3"])
    first.join(["fair:1"])
    second.join(["fair:1"])
    await first.flush()
    await second.flush()
    keys = ["fair:1", "booth:3", "fair:2"]
    assert await first.counts(keys) == {"fair:1": 3, "booth:3": 1, "fair:2": 0}
    assert await second.counts(keys) == {"fair:1": 3, "booth:3": 1, "fair:2": 0}
    # The first process dies without a word: its counts expire with its heartbeat (1 s).
    # Polled rather than slept out: the survivor keeps beating meanwhile, as it would.
    alone = {"fair:1": 1, "booth:3": 0, "fair:2": 0}
    deadline = asyncio.get_running_loop().time() + 20
    while True:
        await second.flush()
        seen = await second.counts(keys)
        if seen == alone or asyncio.get_running_loop().time() > deadline:
            break
        await asyncio.sleep(0.1)
    assert seen == alone
    second.leave(["fair:1"])
    await second.flush()
    assert await second.counts(keys) == {"fair:1": 0, "booth:3": 0, "fair:2": 0}
    await second.remove()


async def test_memory_presence_counts_joins_and_leaves() -> None:
    presence = MemoryPresence()
    presence.join(["fair:1", "fair:1", "booth:2"])
    presence.leave(["fair:1"])
    assert await presence.counts(["fair:1", "booth:2", "x"]) == {"fair:1": 1, "booth:2": 1, "x": 0}
    presence.leave(["fair:1", "booth:2"])
    assert presence.local == {}


@pytest.mark.redis
async def test_the_hub_carries_notices_and_resubscribes(redis_url: str, prefix: str) -> None:
    listener = Redis.from_url(redis_url)
    publisher = Redis.from_url(redis_url)
    hub = RedisHub(listener, prefix=prefix, max_backoff=0.2)
    other = RedisHub(publisher, prefix=prefix)
    heard: list[list[int]] = []
    resubscribed: list[int] = []
    await hub.start(heard.append, lambda: resubscribed.append(1))
    try:
        async with asyncio.timeout(5):
            await hub.connected.wait()
        await other.publish([3, 1, 3])
        await _until(lambda: bool(heard), 5)
        assert heard == [[1, 3]]
        assert resubscribed == [1]
        # Redis drops the subscriber's connection: the hub comes back on its own and
        # says so, so the layer refreshes every client.
        await publisher.client_kill_filter(_type="pubsub")
        await _until(lambda: len(resubscribed) >= 2, 10)
        await other.publish([5])
        await _until(lambda: heard[-1] == [5], 5)
    finally:
        await hub.close()
        await listener.aclose()
        await publisher.aclose()


@pytest.mark.redis
async def test_the_hub_carries_signed_out_users_to_other_processes(
    redis_url: str, prefix: str
) -> None:
    """A user disabled through one web process has sockets on the others: the notice
    names them, so each process closes its own."""
    listener = Redis.from_url(redis_url)
    publisher = Redis.from_url(redis_url)
    hub = RedisHub(listener, prefix=prefix, max_backoff=0.2)
    other = RedisHub(publisher, prefix=prefix)
    changed: list[list[int]] = []
    signed_out: list[list[int]] = []
    await hub.start(changed.append, lambda: None, signed_out.append)
    try:
        async with asyncio.timeout(5):
            await hub.connected.wait()
        await other.publish([], [7, 7, 2])
        await _until(lambda: bool(signed_out), 5)
        assert signed_out == [[2, 7]] and changed == []
    finally:
        await hub.close()
        await listener.aclose()
        await publisher.aclose()


async def test_the_memory_hub_calls_back_at_once() -> None:
    hub = MemoryHub()
    heard: list[list[int]] = []
    await hub.publish([1])  # nobody listening yet: nothing happens
    await hub.start(heard.append, lambda: None)
    await hub.publish([2, 4])
    assert heard == [[2, 4]]
    await hub.close()
