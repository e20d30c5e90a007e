"""Counter stores: hashes of integer counters, in this process's memory or in Redis.

The store is a cache of the database: increments keep it current between
reconciliations, and a reconciliation replaces whole hashes with what the database says.
Keys are short names such as ``fair:12`` or ``fair:12:vacancies``; Redis keys get a
prefix (``JOBFAIR_REDIS_NAMESPACE``) so several deployments can share one Redis.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

PREFIX = "jobfair:live:"

Increment = tuple[str, str, int]  # (key, field, delta)


class CounterStore(Protocol):
    async def add(self, increments: Iterable[Increment]) -> None: ...

    async def read(self, keys: list[str]) -> list[dict[str, int]]: ...

    async def replace(self, hashes: Mapping[str, Mapping[str, int]]) -> None: ...

    async def try_lock(self, name: str, seconds: float) -> bool: ...


class MemoryCounterStore:
    """One process: plain dictionaries."""

    def __init__(self) -> None:
        self._hashes: dict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._locks: dict[str, float] = {}

    async def add(self, increments: Iterable[Increment]) -> None:
        for key, field, delta in increments:
            self._hashes[key][field] += delta

    async def read(self, keys: list[str]) -> list[dict[str, int]]:
        return [dict(self._hashes[key]) if key in self._hashes else {} for key in keys]

    async def replace(self, hashes: Mapping[str, Mapping[str, int]]) -> None:
        for key, values in hashes.items():
            self._hashes[key] = defaultdict(int, values)

    async def try_lock(self, name: str, seconds: float) -> bool:
        now = time.monotonic()
        if self._locks.get(name, 0.0) > now:
            return False
        self._locks[name] = now + seconds
        return True


class RedisCounterStore:
    """Every process: Redis hashes, one pipeline per call (a round trip, not one per key)."""

    def __init__(self, redis: Any, prefix: str = PREFIX) -> None:
        self._redis = redis
        self._prefix = prefix

    async def add(self, increments: Iterable[Increment]) -> None:
        pipe = self._redis.pipeline(transaction=False)
        count = 0
        for key, field, delta in increments:
            pipe.hincrby(self._prefix + key, field, delta)
            count += 1
        if count:
            await pipe.execute()

    async def read(self, keys: list[str]) -> list[dict[str, int]]:
        if not keys:
            return []
        pipe = self._redis.pipeline(transaction=False)
        for key in keys:
            pipe.hgetall(self._prefix + key)
        results = await pipe.execute()
        return [{_text(field): int(value) for field, value in result.items()} for result in results]

    async def replace(self, hashes: Mapping[str, Mapping[str, int]]) -> None:
        # One MULTI: readers see the old hash or the new one, never a half-written one.
        pipe = self._redis.pipeline(transaction=True)
        for key, values in hashes.items():
            pipe.delete(self._prefix + key)
            if values:
                pipe.hset(self._prefix + key, mapping=dict(values))
        await pipe.execute()

    async def try_lock(self, name: str, seconds: float) -> bool:
        return bool(
            await self._redis.set(
                self._prefix + "lock:" + name, "1", nx=True, px=int(seconds * 1000)
            )
        )


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
