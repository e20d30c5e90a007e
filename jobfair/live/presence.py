"""Presence: who is connected now, counted per key (``fair:12``, ``booth:5``,
``recruiters:5``).

Each process counts its own open websockets. With Redis, each process also writes its
counts to a hash that expires unless the process keeps refreshing it, so a process that
dies leaves no ghosts: its counts vanish within ``TTL`` seconds.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterable
from typing import Any

from jobfair.live.store import PREFIX

TTL = 15.0  # seconds a process's counts outlive its last refresh


class MemoryPresence:
    def __init__(self) -> None:
        self.local: Counter[str] = Counter()

    def join(self, keys: Iterable[str]) -> None:
        self.local.update(keys)

    def leave(self, keys: Iterable[str]) -> None:
        self.local.subtract(keys)
        for key in [key for key, n in self.local.items() if n <= 0]:
            del self.local[key]

    async def flush(self) -> None:
        """Nothing to share in one process."""

    async def counts(self, keys: list[str]) -> dict[str, int]:
        return {key: self.local.get(key, 0) for key in keys}


class RedisPresence(MemoryPresence):
    def __init__(
        self,
        redis: Any,
        *,
        prefix: str = PREFIX,
        process_id: str | None = None,
        ttl: float = TTL,
    ) -> None:
        super().__init__()
        self._redis = redis
        self._ttl = ttl
        self._prefix = prefix
        self._processes = prefix + "processes"
        self.process_id = process_id or uuid.uuid4().hex[:12]
        self._key = prefix + "presence:" + self.process_id

    async def flush(self) -> None:
        """Publish this process's counts and refresh its heartbeat."""
        now = time.time()
        pipe = self._redis.pipeline(transaction=True)
        pipe.delete(self._key)
        if self.local:
            pipe.hset(self._key, mapping=dict(self.local))
            pipe.expire(self._key, max(1, int(self._ttl)))
        pipe.zadd(self._processes, {self.process_id: now})
        pipe.zremrangebyscore(self._processes, 0, now - self._ttl)
        await pipe.execute()

    async def counts(self, keys: list[str]) -> dict[str, int]:
        if not keys:
            return {}
        try:
            processes = await self._redis.zrangebyscore(
                self._processes, time.time() - self._ttl, "+inf"
            )
            pipe = self._redis.pipeline(transaction=False)
            for process in processes:
                name = process.decode() if isinstance(process, bytes) else process
                # This process's own counts are taken fresh from memory below.
                if name != self.process_id:
                    pipe.hmget(self._prefix + "presence:" + name, keys)
            rows = await pipe.execute()
        except Exception:
            # Redis away: this process's own count is the best we know.
            return await super().counts(keys)
        totals = await super().counts(keys)
        for row in rows:
            for key, value in zip(keys, row, strict=True):
                if value is not None:
                    totals[key] += int(value)
        return totals

    async def remove(self) -> None:
        pipe = self._redis.pipeline(transaction=True)
        pipe.delete(self._key)
        pipe.zrem(self._processes, self.process_id)
        await pipe.execute()
