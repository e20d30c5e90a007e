"""Counter stores: hashes of integer counters, in this process's memory or in Redis.

The store is a cache of the database: increments keep it current between
reconciliations, and a reconciliation replaces whole hashes with what the database says.
Keys are short names such as ``fair:12`` or ``fair:12:vacancies``; Redis keys get a
prefix (``JOBFAIR_REDIS_NAMESPACE``) so several deployments can share one Redis.

A reconciliation is a guarded swap (:meth:`CounterStore.swap`): the hashes are watched
before the database is read, and the new ones are written only if no increment touched
them meanwhile; otherwise the database is read again. A plain read-then-replace erased
an increment landing between the read and the write (its application committed after
the read) until the next reconciliation.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Protocol

PREFIX = "jobfair:live:"
# Tries of a swap before giving up for this round: each contended try means increments
# kept the hashes current meanwhile, so giving up loses nothing; the next periodic
# reconciliation tries again.
SWAP_ATTEMPTS = 5

Increment = tuple[str, str, int]  # (key, field, delta)
Hashes = Mapping[str, Mapping[str, int]]
# Reads the database: the new hashes (a subset of the watched keys is fine).
Compute = Callable[[], Awaitable[Hashes]]


class CounterStore(Protocol):
    async def add(self, increments: Iterable[Increment]) -> None: ...

    async def read(self, keys: list[str]) -> list[dict[str, int]]: ...

    async def replace(self, hashes: Mapping[str, Mapping[str, int]]) -> None: ...

    async def swap(self, keys: list[str], compute: Compute, attempts: int = ...) -> bool: ...

    async def try_lock(self, name: str, seconds: float) -> bool: ...


class MemoryCounterStore:
    """One process: plain dictionaries."""

    def __init__(self) -> None:
        self._hashes: dict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._locks: dict[str, float] = {}
        # Writes per key, the memory form of Redis's WATCH: a swap compares them.
        self._writes: defaultdict[str, int] = defaultdict(int)

    async def add(self, increments: Iterable[Increment]) -> None:
        for key, field, delta in increments:
            self._hashes[key][field] += delta
            self._writes[key] += 1

    async def read(self, keys: list[str]) -> list[dict[str, int]]:
        return [dict(self._hashes[key]) if key in self._hashes else {} for key in keys]

    async def replace(self, hashes: Mapping[str, Mapping[str, int]]) -> None:
        for key, values in hashes.items():
            self._hashes[key] = defaultdict(int, values)
            self._writes[key] += 1

    async def swap(self, keys: list[str], compute: Compute, attempts: int = SWAP_ATTEMPTS) -> bool:
        """Replace with ``compute()``'s hashes unless one of ``keys`` was written while it
        ran (then compute again); False after ``attempts`` contended tries."""
        for _attempt in range(attempts):
            before = [self._writes[key] for key in keys]
            hashes = await compute()
            # No await from the check to the write: nothing of this loop runs between.
            if [self._writes[key] for key in keys] == before:
                await self.replace({key: hashes.get(key, {}) for key in keys})
                return True
        return False

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

    async def swap(self, keys: list[str], compute: Compute, attempts: int = SWAP_ATTEMPTS) -> bool:
        """WATCH ``keys``, run ``compute()`` (the database read), then replace them in one
        MULTI, which Redis refuses if an increment (or another swap) wrote a watched key
        since the WATCH; then compute again. False after ``attempts`` refused tries."""
        from redis.exceptions import WatchError

        names = [self._prefix + key for key in keys]
        for _attempt in range(attempts):
            async with self._redis.pipeline(transaction=True) as pipe:
                await pipe.watch(*names)
                hashes = await compute()
                pipe.multi()
                for key, name in zip(keys, names, strict=True):
                    pipe.delete(name)
                    values = hashes.get(key)
                    if values:
                        pipe.hset(name, mapping=dict(values))
                try:
                    await pipe.execute()
                except WatchError:
                    continue
                return True
        return False

    async def try_lock(self, name: str, seconds: float) -> bool:
        return bool(
            await self._redis.set(
                self._prefix + "lock:" + name, "1", nx=True, px=int(seconds * 1000)
            )
        )


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
