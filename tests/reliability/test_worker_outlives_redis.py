"""A worker outlives a Redis restart: ``jobfair worker`` (the Procfile's worker) starts
again with backoff when Redis goes away and takes jobs once it is back. It used to
exit, leaving the queue without a worker until someone restarted it."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from support import factories
from support.own_redis import (
    OwnRedis,
    own_redis_fixture,  # noqa: F401 - the ``own_redis`` fixture
)

from jobfair.context import AppContext
from jobfair.models import FairReport
from jobfair.models.fairs import FairStatus
from jobfair.settings import Settings
from jobfair.worker.runner import ArqRunner

pytestmark = pytest.mark.redis
ROOT = Path(__file__).resolve().parents[2]


async def _closed_fairs(ctx: AppContext, count: int) -> list[int]:
    closes_at = datetime.now(UTC) - timedelta(hours=1)
    ids = []
    async with ctx.unit_of_work() as session:
        for _ in range(count):
            fair = await factories.fair(
                session, opens_at=closes_at - timedelta(days=7), days=7,
                status=FairStatus.PUBLISHED,
            )  # fmt: skip
            ids.append(fair.id)
    return ids


async def _compiled(ctx: AppContext, fair_id: int, seconds: float) -> bool:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        async with ctx.read() as session:
            if await session.scalar(select(FairReport.id).where(FairReport.fair_id == fair_id)):
                return True
        await asyncio.sleep(0.3)
    return False


async def _enqueue(url: str, fair_id: int) -> None:
    runner = await ArqRunner.connect(url)
    try:
        await runner.enqueue("compile_fair_report", fair_id=fair_id)
    finally:
        await runner.close()


async def test_a_worker_outlives_a_redis_restart(
    ctx: AppContext, settings: Settings, own_redis: OwnRedis
) -> None:
    first, second = await _closed_fairs(ctx, 2)
    env = {
        **os.environ,
        "JOBFAIR_DATABASE_URL": settings.database_url,
        "JOBFAIR_REDIS_URL": own_redis.url,
        "JOBFAIR_SECRET_KEY": settings.secret_key,
        "JOBFAIR_NIK_KEY": settings.nik_key,
        "JOBFAIR_DATA_DIR": str(settings.data_dir),
        "JOBFAIR_LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(  # noqa: ASYNC220 - started once, polled, never awaited
        [sys.executable, "-m", "jobfair.cli", "worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        await _enqueue(own_redis.url, first)
        assert await _compiled(ctx, first, 60), "the worker did not take the first job"
        own_redis.kill()
        await asyncio.sleep(3)  # the worker notices and waits to start again
        assert worker.poll() is None, "the worker exited when Redis went away"
        own_redis.start()
        await _enqueue(own_redis.url, second)
        assert await _compiled(ctx, second, 90), "the worker did not come back"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
