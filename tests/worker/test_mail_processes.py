"""Two worker processes (``jobfair worker``, the Procfile's worker) share the outbox:
their start-up sweeps and a burst of enqueued ``deliver_mail`` jobs overlap on a slow
relay, and every e-mail arrives exactly once, each with its own Message-ID."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from support.own_redis import (
    OwnRedis,
    own_redis_fixture,  # noqa: F401 - the ``own_redis`` fixture
)
from support.smtp_relay import smtp_relay

from jobfair.context import AppContext
from jobfair.models import Outbox
from jobfair.settings import Settings
from jobfair.worker.runner import ArqRunner

pytestmark = pytest.mark.redis
ROOT = Path(__file__).resolve().parents[2]
MAILS = 40
# Generous: only reached when delivery is broken.
WAIT_SECONDS = 120.0


async def _unsent(ctx: AppContext) -> int:
    async with ctx.read() as session:
        return (
            await session.scalar(select(func.count(Outbox.id)).where(Outbox.sent_at.is_(None))) or 0
        )


async def _all_sent(ctx: AppContext) -> bool:
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while asyncio.get_running_loop().time() < deadline:
        if await _unsent(ctx) == 0:
            return True
        await asyncio.sleep(0.3)
    return False


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "jobfair.cli", "worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop(worker: subprocess.Popen[bytes]) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


async def test_two_worker_processes_send_each_mail_once(
    ctx: AppContext, settings: Settings, own_redis: OwnRedis
) -> None:
    async with ctx.unit_of_work() as session:
        session.add_all(
            Outbox(
                dedupe_key=f"processes:{n}",
                to_address=f"pelamar{n}@example.test",
                subject=f"Pesan {n}",
                template="text",
                payload={"body": "Halo"},
            )
            for n in range(MAILS)
        )
    with smtp_relay(delay=0.05) as relay:
        env = {
            **os.environ,
            "JOBFAIR_DATABASE_URL": settings.database_url,
            "JOBFAIR_REDIS_URL": own_redis.url,
            "JOBFAIR_SECRET_KEY": settings.secret_key,
            "JOBFAIR_NIK_KEY": settings.nik_key,
            "JOBFAIR_DATA_DIR": str(settings.data_dir),
            "JOBFAIR_SMTP_URL": relay.url,
            "JOBFAIR_LOG_LEVEL": "WARNING",
        }
        workers = [_worker(env), _worker(env)]
        try:
            runner = await ArqRunner.connect(own_redis.url)
            try:
                # What the enqueue after each commit does, many times at once.
                for _ in range(8):
                    await runner.enqueue("deliver_mail")
            finally:
                await runner.close()
            assert await _all_sent(ctx), f"{await _unsent(ctx)} of {MAILS} never sent"
            assert all(worker.poll() is None for worker in workers)
        finally:
            for worker in workers:
                _stop(worker)
    recipients = sorted(str(message["To"]) for message in relay.accepted)
    assert recipients == sorted(f"pelamar{n}@example.test" for n in range(MAILS))
    async with ctx.read() as session:
        ids = set(await session.scalars(select(Outbox.message_id)))
        attempts = set(await session.scalars(select(Outbox.attempts)))
    assert set(relay.message_ids()) == ids and len(ids) == MAILS
    assert attempts == {1}
