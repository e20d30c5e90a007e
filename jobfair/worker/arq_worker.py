"""arq worker configuration built from the registry: one arq function per task, the sweep
as a cron job, and the app context created on start-up."""

from __future__ import annotations

from typing import Any

from arq import cron
from arq.connections import RedisSettings
from arq.worker import func

from jobfair.context import AppContext
from jobfair.live.chat import ChatRelay
from jobfair.live.layer import LiveLayer
from jobfair.routes import route_paths
from jobfair.services.conversations import ChatLimits
from jobfair.settings import Settings
from jobfair.worker import tasks as _tasks  # noqa: F401  (registers the task functions)
from jobfair.worker.registry import MAX_TRIES, TASK_TIMEOUT, TASKS, run_task


def _arq_function(name: str) -> Any:
    async def run(arq_ctx: dict[str, Any], **kwargs: Any) -> Any:
        return await run_task(arq_ctx["app"], name, **kwargs)

    run.__qualname__ = run.__name__ = name
    return func(run, name=name, timeout=TASK_TIMEOUT, max_tries=MAX_TRIES)


async def _sweep(arq_ctx: dict[str, Any]) -> None:
    from jobfair.worker.tasks import SWEEP_TASKS

    for name in SWEEP_TASKS:
        await arq_ctx["redis"].enqueue_job(name)


def worker_settings(settings: Settings) -> dict[str, Any]:
    if not settings.redis_url:
        raise RuntimeError("the arq worker needs JOBFAIR_REDIS_URL")

    async def on_startup(arq_ctx: dict[str, Any]) -> None:
        app = AppContext.create(settings)
        # The route table, for the links tasks put in messages (no HTTP served here).
        app.paths = route_paths(settings.static_dir)
        # Tasks change counters too (released decisions, closed applications): the
        # worker publishes their signals to the web processes through Redis.
        app.live = LiveLayer.create(
            redis_url=settings.redis_url,
            namespace=settings.redis_namespace,
            read=app.read,
            clock=app.now,
        )
        await app.live.start(background=False)
        # Tasks end chats too (the chat timer's sweep): their chat notices reach the web
        # processes' sockets through the same Redis channel (publish only: no clients).
        relay = ChatRelay.create(
            redis_url=settings.redis_url,
            namespace=settings.redis_namespace,
            read=app.read,
            clock=app.now,
            limits=ChatLimits.from_settings(settings),
        )
        app.listeners.append(relay.listen)
        arq_ctx["chat_relay"] = relay
        arq_ctx["app"] = app

    async def on_shutdown(arq_ctx: dict[str, Any]) -> None:
        relay: ChatRelay | None = arq_ctx.get("chat_relay")
        if relay is not None:
            await relay.close()
        app: AppContext | None = arq_ctx.get("app")
        if app is not None:
            if app.live is not None:
                await app.live.close()
            await app.close()

    return {
        "functions": [_arq_function(name) for name in sorted(TASKS)],
        "cron_jobs": [cron(_sweep, second={0}, run_at_startup=True)],
        "on_startup": on_startup,
        "on_shutdown": on_shutdown,
        "redis_settings": RedisSettings.from_dsn(settings.redis_url),
        "health_check_interval": 60,
        # The sweep's cron job too: arq re-runs a dead worker's jobs TASK_TIMEOUT + 10 s
        # after they started, the longest timeout of all its functions.
        "job_timeout": TASK_TIMEOUT,
    }
