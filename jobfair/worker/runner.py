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
    """Enqueues onto the arq queue in Redis; ``arq jobfair.worker.WorkerSettings`` runs it.

    A web process must start and serve while Redis is away (the database is the truth;
    the sweep re-drives whatever was owed): the pool is opened on first use, and again
    after a failure, at most every ``retry_every`` seconds; an enqueue meanwhile raises,
    which the unit of work logs after its commit."""

    def __init__(self, pool: Any = None, *, redis_url: str | None = None,
                 retry_every: float = 2.0) -> None:  # fmt: skip
        self._pool = pool
        self._redis_url = redis_url
        self._retry_every = retry_every
        self._next_try = 0.0
        self._lock = asyncio.Lock()

    @classmethod
    async def connect(cls, redis_url: str) -> ArqRunner:
        runner = cls(redis_url=redis_url)
        try:
            await runner._ensure_pool()
        except Exception as exc:
            logger.warning("task queue unreachable at start (%s); will retry", type(exc).__name__)
        return runner

    async def _ensure_pool(self) -> Any:
        if self._pool is not None:
            return self._pool
        async with self._lock:
            if self._pool is not None:
                return self._pool
            loop = asyncio.get_running_loop()
            if loop.time() < self._next_try:
                raise ConnectionError("the task queue is unreachable; retrying shortly")
            self._next_try = loop.time() + self._retry_every
            from arq import create_pool
            from arq.connections import RedisSettings

            assert self._redis_url is not None
            settings = RedisSettings.from_dsn(self._redis_url)
            # One quick try: a request must not wait seconds for a queue that is away.
            settings.conn_timeout = 1
            settings.conn_retries = 0
            self._pool = await create_pool(settings)
            return self._pool

    async def enqueue(self, name: str, *, defer_by: float | None = None, **kwargs: Any) -> None:
        if name not in TASKS:
            raise KeyError(f"unknown task {name!r}")
        pool = await self._ensure_pool()
        await pool.enqueue_job(name, _defer_by=defer_by, **kwargs)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()


async def start_task_runner(ctx: AppContext) -> TaskRunner:
    """arq when Redis is configured and the in-process runner is not forced, else
    in-process on this event loop."""
    if ctx.settings.redis_url and not ctx.settings.in_process_worker:
        return await ArqRunner.connect(ctx.settings.redis_url)
    return InProcessRunner(ctx, sweep_every=ctx.settings.sweep_seconds or None)
