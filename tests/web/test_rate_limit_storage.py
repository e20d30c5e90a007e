"""The in-memory rate-limit storage: the library's moving windows, with an expiry that
is a plain pass on the loop at most once a second instead of a worker thread per key
after every hit (issue 14, item 2)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from limits import parse
from limits.aio.storage import memory as limits_memory
from limits.aio.strategies import MovingWindowRateLimiter

from jobfair.services.errors import RateLimited
from jobfair.web.auth import LIMITS, CheapExpiryMemoryStorage, RateLimits


class FakeTime:
    now = 1_900_000_000.0

    @classmethod
    def time(cls) -> float:
        return cls.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> type[FakeTime]:
    FakeTime.now = 1_900_000_000.0
    monkeypatch.setattr(limits_memory, "time", FakeTime)
    return FakeTime


@pytest.fixture
def no_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the limiter handed work to a thread")

    monkeypatch.setattr(asyncio, "to_thread", refuse)


async def test_the_moving_window_is_the_same(clock: type[FakeTime], no_threads: None) -> None:
    limits = RateLimits.create(None)
    assert isinstance(limits.storage, CheapExpiryMemoryStorage)
    (window,) = LIMITS["login:account"]  # 10 per 15 minutes
    for _minute in range(10):
        clock.now += 60
        await limits.hit("login:account", "ani")
    with pytest.raises(RateLimited):
        await limits.check("login:account", "ani")
    with pytest.raises(RateLimited):
        await limits.hit("login:account", "ani")
    # A moving window: 15 minutes after the first hit one try is free again, not all ten.
    clock.now += window.get_expiry() - 10 * 60 + 61
    await limits.hit("login:account", "ani")
    with pytest.raises(RateLimited):
        await limits.hit("login:account", "ani")
    # Another key is counted on its own.
    await limits.hit("login:account", "budi")


async def test_expired_windows_are_dropped_at_most_once_a_second(
    clock: type[FakeTime], no_threads: None
) -> None:
    storage = CheapExpiryMemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    item = parse("100/minute")
    for n in range(300):
        assert await limiter.hit(item, "kind", f"key-{n}")
    assert len(storage.events) == 300
    passes: list[float] = []
    expire = storage.expire

    def counted(now: float) -> None:
        passes.append(now)
        expire(now)

    storage.expire = counted  # type: ignore[method-assign]
    clock.now += 61
    assert await limiter.hit(item, "kind", "fresh")
    # Every window of a minute ago is gone; the fresh one stays.
    (fresh,) = storage.events  # the library's key: LIMITER/kind/fresh/100/1/minute
    assert "/fresh/" in fresh and set(storage.locks) <= {fresh}
    for _ in range(50):
        assert await limiter.hit(item, "kind", "another")
        clock.now += 0.01
    assert len(passes) == 1
    clock.now += 1
    await limiter.hit(item, "kind", "another")
    assert len(passes) == 2


async def test_a_window_being_updated_is_left_alone(clock: type[FakeTime]) -> None:
    storage = CheapExpiryMemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    item = parse("5/minute")
    assert await limiter.hit(item, "kind", "busy")
    key = next(iter(storage.events))
    async with storage.locks[key]:
        storage.expire(clock.now + 120)
        assert key in storage.events
    storage.expire(clock.now + 120)
    assert key not in storage.events
