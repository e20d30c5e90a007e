"""An arq worker SIGKILLed after it committed a requested report version, before arq
recorded the job done: arq runs the job again once its in-progress mark expires, and
the re-run must find the request compiled instead of writing a second version (it was
a forced compile, so every run wrote one)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import textwrap
from pathlib import Path
from subprocess import PIPE
from typing import Any

import pytest
import redis
from sqlalchemy import select
from support import factories
from support.own_redis import (
    OwnRedis,
    own_redis_fixture,  # noqa: F401 - the ``own_redis`` fixture
)

from jobfair.context import AppContext
from jobfair.models import FairReport, ReportRequest, User
from jobfair.models.accounts import Role
from jobfair.services import reports
from jobfair.settings import Settings
from jobfair.worker.runner import ArqRunner

pytestmark = pytest.mark.redis
ROOT = Path(__file__).resolve().parents[2]

WORKER_SCRIPT = textwrap.dedent(
    """
    # Test-only: an arq worker that, with "hang", says when a requested compile has
    # committed and then hangs before arq can mark the job done.
    import asyncio
    import sys

    from jobfair.worker import registry

    registry.TASK_TIMEOUT = 5.0  # arq re-runs an orphaned job TASK_TIMEOUT + 10 s later

    from arq import run_worker

    from jobfair.settings import Settings
    from jobfair.worker import report
    from jobfair.worker.arq_worker import worker_settings

    if sys.argv[1] == "hang":
        real = report.compile_request

        async def commit_then_hang(ctx, request_id):
            written = await real(ctx, request_id)
            print("committed", written.version if written else None, flush=True)
            await asyncio.sleep(3600)

        report.compile_request = commit_then_hang
    run_worker(worker_settings(Settings.from_env()), burst=True, poll_delay=0.1)
    """
)


class LostQueue:
    async def enqueue(self, name: str, **kwargs: Any) -> None:
        return None  # the test queues the job on its own Redis

    async def close(self) -> None:
        return None


async def _request(ctx: AppContext) -> tuple[int, int]:
    async with ctx.unit_of_work() as session:
        office = await factories.office(session)
        fair = await factories.fair(session, office_row=office)
        booth = await factories.booth(session, fair_row=fair)
        vacancy = await factories.vacancy(session, booth_row=booth)
        person = await factories.applicant(session)
        await factories.application(session, vacancy_row=vacancy, applicant_row=person)
        user = User(
            email="org@a.test", password_hash="x", role=Role.ORGANISER, full_name="Org",
            office_id=office.id,
        )  # fmt: skip
        session.add(user)
        await session.flush()
        requested = await reports.request_compile(session, user, fair.slug, ctx.now())
        return fair.id, requested.request_id


async def test_a_worker_killed_after_the_commit_leaves_one_version(
    ctx: AppContext, settings: Settings, own_redis: OwnRedis, tmp_path: Path
) -> None:
    ctx.tasks = LostQueue()
    fair_id, request_id = await _request(ctx)
    runner = await ArqRunner.connect(own_redis.url)
    try:
        await runner.enqueue("compile_requested_report", request_id=request_id)
    finally:
        await runner.close()
    script = tmp_path / "hanging_worker.py"
    script.write_text(WORKER_SCRIPT)
    env = {
        **os.environ,
        "JOBFAIR_DATABASE_URL": settings.database_url,
        "JOBFAIR_REDIS_URL": own_redis.url,
        "JOBFAIR_SECRET_KEY": settings.secret_key,
        "JOBFAIR_NIK_KEY": settings.nik_key,
        "JOBFAIR_DATA_DIR": str(settings.data_dir),
        "JOBFAIR_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    worker = await asyncio.create_subprocess_exec(
        sys.executable, str(script), "hang", env=env, cwd=ROOT, stdout=PIPE
    )
    try:
        assert worker.stdout is not None
        line = await asyncio.wait_for(worker.stdout.readline(), 60)
        assert line.strip() == b"committed 1", line
        worker.send_signal(signal.SIGKILL)
        await asyncio.wait_for(worker.wait(), 30)
    finally:
        if worker.returncode is None:
            worker.kill()
            await worker.wait()
    # arq still holds the job, in progress: it was never marked done.
    assert redis.Redis.from_url(own_redis.url).keys("arq:in-progress:*")

    restarted = await asyncio.create_subprocess_exec(
        sys.executable, str(script), "run", env=env, cwd=ROOT, stdout=PIPE, stderr=PIPE
    )
    _out, errors = await asyncio.wait_for(restarted.communicate(), 120)
    assert restarted.returncode == 0, errors.decode()[-2000:]
    assert redis.Redis.from_url(own_redis.url).zcard("arq:queue") == 0  # the job re-ran
    async with ctx.read() as session:
        versions = list(
            await session.execute(
                select(FairReport.version, FairReport.request_id).where(
                    FairReport.fair_id == fair_id
                )
            )
        )
        request = await session.get(ReportRequest, request_id)
    assert [tuple(row) for row in versions] == [(1, request_id)]
    assert request is not None and request.compiled_at is not None
