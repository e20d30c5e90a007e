"""The two task runners: arq (Redis) when ``JOBFAIR_REDIS_URL`` is set, in-process on the
web server's event loop otherwise. Both enqueue by task name with keyword ids."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol

from jobfair.context import AppContext
from jobfair.worker import tasks as _tasks  # noqa: F401  (registers the task functions)
from jobfair.worker.registry import MAX_TRIES, RETRY_BACKOFF, TASK_TIMEOUT, TASKS, run_task

logger = logging.getLogger(__name__)
# How often the in-process sweep re-drives owed work (decisions due, mail, deadlines).
SWEEP_EVERY = 60.0


class TaskRunner(Protocol):
    async def enqueue(self, name: str, *, defer_by: float | None = None, **kwargs: Any) -> None: ...

    async def close(self) -> None: ...


class InProcessRunner:
    """Runs tasks as asyncio tasks of this process; failures are logged, and whatever is
    still owed is picked up again by the periodic sweep."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        sweep_every: float | None = SWEEP_EVERY,
        timeout: float = TASK_TIMEOUT,
        max_tries: int = MAX_TRIES,
        backoff: float = RETRY_BACKOFF,
    ) -> None:
        self._ctx = ctx
        self._timeout = timeout
        self._max_tries = max(1, max_tries)
        self._backoff = backoff
        self._running: set[asyncio.Task[Any]] = set()
        # Deferred tasks wait outside ``_running`` so drain() does not wait for them; the
        # sweep re-drives their work if the process stops first.
        self._scheduled: set[asyncio.Task[Any]] = set()
        self._sweeper = (
            asyncio.create_task(self._sweep_forever(sweep_every)) if sweep_every else None
        )

    async def enqueue(self, name: str, *, defer_by: float | None = None, **kwargs: Any) -> None:
        if name not in TASKS:
            raise KeyError(f"unknown task {name!r}")
        if defer_by:
            later = asyncio.create_task(self._later(defer_by, name, kwargs))
            self._scheduled.add(later)
            later.add_done_callback(self._scheduled.discard)
            return
        job = asyncio.create_task(self._run(name, kwargs))
        self._running.add(job)
        job.add_done_callback(self._running.discard)

    async def _later(self, delay: float, name: str, kwargs: dict[str, Any]) -> None:
        await asyncio.sleep(delay)
        await self.enqueue(name, **kwargs)

    async def _run(self, name: str, kwargs: dict[str, Any], *, tries: int | None = None) -> None:
        """Run with a per-try timeout, retrying a failure after a doubling pause, as arq
        does; tasks are idempotent, so a retry after a half-done try is safe."""
        max_tries = tries or self._max_tries
        for attempt in range(1, max_tries + 1):
            try:
                async with asyncio.timeout(self._timeout):
                    await run_task(self._ctx, name, **kwargs)
                return
            except Exception:  # TimeoutError included: the try took too long
                if attempt == max_tries:
                    logger.exception("task %s failed after %d tries", name, attempt)
                    return
                logger.warning("task %s failed (try %d); retrying", name, attempt, exc_info=True)
                await asyncio.sleep(self._backoff * 2 ** (attempt - 1))

    async def _sweep_forever(self, every: float) -> None:
        from jobfair.worker.tasks import SWEEP_TASKS

        while True:
            for name in SWEEP_TASKS:
                # Tracked like an enqueued task, so drain() also waits for a sweep pass.
                # One try: the next pass is the sweep's retry, and a failing task must
                # not hold up the others for its whole backoff.
                job = asyncio.create_task(self._run(name, {}, tries=1))
                self._running.add(job)
                job.add_done_callback(self._running.discard)
                await asyncio.shield(job)
            await asyncio.sleep(every)

    async def drain(self) -> None:
        """Wait for every enqueued task (tests and shutdown)."""
        while self._running:
            await asyncio.gather(*list(self._running), return_exceptions=True)

    async def close(self) -> None:
        if self._sweeper:
            self._sweeper.cancel()
        for later in list(self._scheduled):
            later.cancel()
        await self.drain()


class ArqRunner:
    """Enqueues onto the arq queue in Redis; ``arq jobfair.worker.WorkerSettings`` runs it."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    @classmethod
    async def connect(cls, redis_url: str) -> ArqRunner:
        from arq import create_pool
        from arq.connections import RedisSettings

        return cls(await create_pool(RedisSettings.from_dsn(redis_url)))

    async def enqueue(self, name: str, *, defer_by: float | None = None, **kwargs: Any) -> None:
        if name not in TASKS:
            raise KeyError(f"unknown task {name!r}")
        await self._pool.enqueue_job(name, _defer_by=defer_by, **kwargs)

    async def close(self) -> None:
        await self._pool.aclose()


async def start_task_runner(ctx: AppContext) -> TaskRunner:
    """arq when Redis is configured and the in-process runner is not forced, else
    in-process on this event loop."""
    if ctx.settings.redis_url and not ctx.settings.in_process_worker:
        return await ArqRunner.connect(ctx.settings.redis_url)
    return InProcessRunner(ctx, sweep_every=ctx.settings.sweep_seconds or None)
