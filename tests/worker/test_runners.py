"""One task registry, two runners: in-process without Redis, arq with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from arq.worker import create_worker
from sqlalchemy import func, select

from jobfair.context import AppContext
from jobfair.models import User, UserSession
from jobfair.settings import Settings
from jobfair.worker.arq_worker import worker_settings
from jobfair.worker.registry import TASKS
from jobfair.worker.runner import ArqRunner, InProcessRunner


async def _sessions(ctx: AppContext, now: datetime) -> None:
    """One user with a session expired three days before ``now`` and a live one."""
    async with ctx.unit_of_work() as session:
        user = User(email="x@example.test", password_hash="x", role="admin", full_name="X")
        session.add(user)
        await session.flush()
        session.add_all(
            [
                UserSession(
                    token_hash="a" * 64,
                    user_id=user.id,
                    csrf_token="c",
                    expires_at=now - timedelta(days=3),
                ),
                UserSession(
                    token_hash="b" * 64,
                    user_id=user.id,
                    csrf_token="c",
                    expires_at=now + timedelta(days=3),
                ),
            ]
        )


async def _count_sessions(ctx: AppContext) -> int:
    async with ctx.read() as session:
        return await session.scalar(select(func.count()).select_from(UserSession)) or 0


async def test_in_process_runner_runs_registered_tasks(ctx: AppContext) -> None:
    await _sessions(ctx, ctx.now())
    runner = InProcessRunner(ctx, sweep_every=None)
    await runner.enqueue("purge_expired_sessions")
    await runner.drain()
    assert await _count_sessions(ctx) == 1
    await runner.enqueue("purge_expired_sessions")  # idempotent: nothing more to remove
    await runner.drain()
    assert await _count_sessions(ctx) == 1
    with pytest.raises(KeyError):
        await runner.enqueue("no_such_task")
    await runner.close()


async def test_the_app_uses_the_in_process_runner_without_redis(ctx: AppContext) -> None:
    assert isinstance(ctx.tasks, InProcessRunner)


def test_worker_settings_need_redis(settings: Settings) -> None:
    with pytest.raises(RuntimeError, match="JOBFAIR_REDIS_URL"):
        worker_settings(settings)


@pytest.mark.redis
async def test_arq_worker_runs_the_same_tasks(
    ctx: AppContext, settings: Settings, redis_url: str
) -> None:
    await _sessions(ctx, datetime.now(UTC))  # the worker runs on the real clock
    config = worker_settings(settings.with_overrides(redis_url=redis_url))
    assert {f.name for f in config["functions"]} == set(TASKS)
    runner = await ArqRunner.connect(redis_url)
    try:
        await runner.enqueue("purge_expired_sessions")
    finally:
        await runner.close()
    worker = create_worker(config, burst=True, poll_delay=0.05)
    try:
        await worker.main()
    finally:
        await worker.close()
    assert await _count_sessions(ctx) == 1


@pytest.mark.redis
async def test_the_arq_worker_publishes_chat_notices(settings: Settings, redis_url: str) -> None:
    # A chat the timer's sweep ends in the worker reaches the web processes' sockets:
    # the worker's committed signals go to a chat relay publishing on Redis.
    import asyncio
    import json

    from redis.asyncio import Redis

    from jobfair.live.signals import ConversationChanged

    namespace = "arq-chat-notices"
    config = worker_settings(
        settings.with_overrides(redis_url=redis_url, redis_namespace=namespace)
    )
    arq_ctx: dict[str, object] = {}
    await config["on_startup"](arq_ctx)
    redis = Redis.from_url(redis_url)
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    try:
        await pubsub.subscribe(f"{namespace}:chat:notices")
        app = arq_ctx["app"]
        assert isinstance(app, AppContext)
        for listener in app.listeners:
            listener([ConversationChanged(7, (11, 12))])
        async with asyncio.timeout(5):
            while True:
                message = await pubsub.get_message(timeout=1.0)
                if message is not None:
                    break
        assert json.loads(message["data"])["u"] == [11, 12]
    finally:
        await pubsub.aclose()
        await redis.aclose()
        await config["on_shutdown"](arq_ctx)
