"""The report task: scheduled at publish/extend, idempotent, re-driven by the sweep; the
in-process runner's timeout and retries; the arq path against the real Redis, and a
worker killed mid-compile that leaves exactly one complete version once restarted."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from subprocess import PIPE
from typing import Any

import pytest
import redis
from arq.worker import create_worker
from sqlalchemy import select
from support import factories

from jobfair.context import AppContext
from jobfair.models import Fair, FairReport
from jobfair.models.fairs import FairStatus
from jobfair.services import fairs, screening
from jobfair.settings import Settings
from jobfair.worker import registry
from jobfair.worker.arq_worker import worker_settings
from jobfair.worker.report import compile_due_reports, compile_fair_report
from jobfair.worker.runner import ArqRunner, InProcessRunner

ROOT = Path(__file__).resolve().parents[2]


async def _closed_fair(ctx: AppContext, closes_at: datetime, applications: int = 3) -> int:
    """A published fair that closed at ``closes_at``, with a few applications."""
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(
            session, opens_at=closes_at - timedelta(days=7), days=7, status=FairStatus.PUBLISHED
        )
        booth = await factories.booth(session, fair_row=fair)
        vacancy = await factories.vacancy(session, booth_row=booth)
        for n in range(applications):
            person = await factories.applicant(session, sex="LP"[n % 2])
            await factories.application(
                session,
                vacancy_row=vacancy,
                applicant_row=person,
                submitted_at=closes_at - timedelta(days=1, hours=n),
            )
        return fair.id


async def _versions(ctx: AppContext, fair_id: int) -> list[int]:
    async with ctx.read() as session:
        return list(
            await session.scalars(
                select(FairReport.version)
                .where(FairReport.fair_id == fair_id)
                .order_by(FairReport.version)
            )
        )


async def _report(ctx: AppContext, fair_id: int) -> FairReport:
    async with ctx.read() as session:
        report = await session.scalar(select(FairReport).where(FairReport.fair_id == fair_id))
        assert report is not None
        return report


# ------------------------------------------------------------------ the task itself


async def test_the_task_compiles_a_closed_fair_once(ctx: AppContext, clock: Any) -> None:
    fair_id = await _closed_fair(ctx, clock.now - timedelta(hours=1))
    assert await compile_fair_report(ctx, fair_id) == 1
    assert await compile_fair_report(ctx, fair_id) is None  # already compiled since the close
    assert await compile_due_reports(ctx) == 0  # the sweep finds nothing owed
    assert await compile_fair_report(ctx, fair_id, force=True) == 2  # the organiser's recompile
    first, second = [await _version_data(ctx, fair_id, v) for v in (1, 2)]
    assert {**first, "version": 0} == {**second, "version": 0}
    assert first["headline"][5]["value"] == 3  # applications
    assert first["provisional"] is False


async def _version_data(ctx: AppContext, fair_id: int, version: int) -> dict[str, Any]:
    async with ctx.read() as session:
        report = await session.scalar(
            select(FairReport).where(FairReport.fair_id == fair_id, FairReport.version == version)
        )
        assert report is not None
        return report.data


async def test_an_open_fair_is_compiled_only_on_request(ctx: AppContext, clock: Any) -> None:
    fair_id = await _closed_fair(ctx, clock.now + timedelta(days=1))
    assert await compile_fair_report(ctx, fair_id) is None  # the job of an extended fair
    assert await compile_due_reports(ctx) == 0
    assert await compile_fair_report(ctx, fair_id, force=True) == 1
    assert (await _report(ctx, fair_id)).data["provisional"] is True
    # Once closed, the provisional snapshot does not count: the sweep compiles the final one.
    clock.advance(timedelta(days=2))
    assert await compile_due_reports(ctx) == 1
    assert await _versions(ctx, fair_id) == [1, 2]
    assert await compile_due_reports(ctx) == 0


async def test_the_sweep_compiles_again_after_the_decision_deadline(
    ctx: AppContext, clock: Any
) -> None:
    """The filed figures include the last answers: past the deadline, once the deadline
    task has closed what was left unanswered, the sweep compiles the final version."""
    fair_id = await _closed_fair(ctx, clock.now - timedelta(hours=1))
    assert await compile_due_reports(ctx) == 1  # at the close
    async with ctx.read() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None
        deadline = fair.decision_deadline
    clock.now = deadline + timedelta(minutes=1)
    # Applications are still waiting for an answer: not yet.
    assert await compile_due_reports(ctx) == 0
    async with ctx.unit_of_work() as session:
        assert await screening.close_unanswered(session, fair_id, ctx.now()) == 3
    assert await compile_due_reports(ctx) == 1
    assert await _versions(ctx, fair_id) == [1, 2]
    assert await compile_due_reports(ctx) == 0
    assert await compile_fair_report(ctx, fair_id) is None


async def test_draft_cancelled_and_unknown_fairs_are_skipped(ctx: AppContext, clock: Any) -> None:
    fair_id = await _closed_fair(ctx, clock.now - timedelta(hours=1))
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None
        fair.status = FairStatus.CANCELLED
    assert await compile_fair_report(ctx, fair_id, force=True) is None
    assert await compile_due_reports(ctx) == 0
    assert await compile_fair_report(ctx, 424242) is None
    assert await _versions(ctx, fair_id) == []


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    async def enqueue(self, name: str, **kwargs: Any) -> None:
        self.calls.append((name, kwargs))

    async def close(self) -> None:
        return None


async def test_publish_and_extend_schedule_the_compile_for_the_close(
    ctx: AppContext, clock: Any
) -> None:
    recorder = Recorder()
    ctx.tasks = recorder
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(
            session, opens_at=clock.now + timedelta(days=1), days=7, status=FairStatus.DRAFT
        )
        fair_id = fair.id
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None
        fairs.publish(session, fair, now=clock.now, actor_user_id=None)
    assert recorder.calls == [
        ("compile_fair_report", {"fair_id": fair_id, "defer_by": 8 * 86400 + 1.0})
    ]
    async with ctx.unit_of_work() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None
        fairs.extend(
            session, fair, closes_at=fair.closes_at + timedelta(days=2), now=clock.now,
            actor_user_id=None,
        )  # fmt: skip
    assert recorder.calls[-1] == (
        "compile_fair_report",
        {"fair_id": fair_id, "defer_by": 10 * 86400 + 1.0},
    )


async def test_the_sweep_lists_the_report_task() -> None:
    from jobfair.worker.tasks import SWEEP_TASKS

    assert "compile_due_reports" in SWEEP_TASKS
    assert {"compile_fair_report", "compile_due_reports", "deliver_mail", "deliver_decisions",
            "close_unanswered", "build_export"} <= set(registry.TASKS)  # fmt: skip


# ------------------------------------------------------------------ in-process runner


async def test_in_process_runner_compiles_without_redis(ctx: AppContext, clock: Any) -> None:
    fair_id = await _closed_fair(ctx, clock.now - timedelta(hours=1))
    runner = InProcessRunner(ctx, sweep_every=None)
    await runner.enqueue("compile_fair_report", fair_id=fair_id)
    await runner.enqueue("compile_due_reports")
    await runner.drain()
    await runner.close()
    assert await _versions(ctx, fair_id) == [1]


async def test_in_process_runner_retries_with_backoff_then_gives_up(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    tries: dict[str, int] = {"flaky": 0, "broken": 0, "slow": 0}

    async def flaky(_ctx: AppContext) -> None:
        tries["flaky"] += 1
        if tries["flaky"] < 3:
            raise RuntimeError("not yet")

    async def broken(_ctx: AppContext) -> None:
        tries["broken"] += 1
        raise RuntimeError("never")

    async def slow(_ctx: AppContext) -> None:
        tries["slow"] += 1
        await asyncio.sleep(3600)

    monkeypatch.setitem(registry.TASKS, "flaky", flaky)
    monkeypatch.setitem(registry.TASKS, "broken", broken)
    monkeypatch.setitem(registry.TASKS, "slow", slow)
    pauses: list[float] = []
    real_sleep = asyncio.sleep

    async def record_sleep(delay: float) -> None:
        pauses.append(delay)
        await real_sleep(0)

    runner = InProcessRunner(ctx, sweep_every=None, timeout=0.05, max_tries=4, backoff=0.5)
    monkeypatch.setattr("jobfair.worker.runner.asyncio.sleep", record_sleep)
    await runner.enqueue("flaky")
    await runner.drain()
    assert tries["flaky"] == 3 and pauses == [0.5, 1.0]
    pauses.clear()
    await runner.enqueue("broken")
    await runner.drain()
    assert tries["broken"] == 4 and pauses == [0.5, 1.0, 2.0]
    monkeypatch.setattr("jobfair.worker.runner.asyncio.sleep", real_sleep)
    runner = InProcessRunner(ctx, sweep_every=None, timeout=0.05, max_tries=2, backoff=0.01)
    await runner.enqueue("slow")
    await runner.drain()  # each try is cut at the timeout; no hour-long wait
    assert tries["slow"] == 2
    await runner.close()


async def test_the_in_process_sweep_tries_once_per_pass(
    ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    tries = {"broken": 0}

    async def broken(_ctx: AppContext) -> None:
        tries["broken"] += 1
        raise RuntimeError("never")

    monkeypatch.setitem(registry.TASKS, "broken", broken)
    monkeypatch.setattr("jobfair.worker.tasks.SWEEP_TASKS", ("broken",))
    # A long backoff: a retry inside the pass would hold drain() for minutes.
    runner = InProcessRunner(ctx, sweep_every=3600, backoff=600)
    for _ in range(5):
        await asyncio.sleep(0)
    await runner.drain()
    await runner.close()
    assert tries["broken"] == 1  # the next pass, not a backoff, is the sweep's retry


def test_the_runners_share_timeout_and_tries(settings: Settings) -> None:
    config = worker_settings(settings.with_overrides(redis_url="redis://127.0.0.1:1/0"))
    compile_function = next(f for f in config["functions"] if f.name == "compile_fair_report")
    assert compile_function.timeout_s == registry.TASK_TIMEOUT
    assert compile_function.max_tries == registry.MAX_TRIES


def test_a_dead_workers_job_is_retried_within_about_two_minutes(settings: Settings) -> None:
    """arq keeps a job's in-progress key for the longest function timeout + 10 s: a
    compile killed with its worker waited over ten minutes (600 s) to run again."""
    from arq.worker import Worker

    config = worker_settings(settings.with_overrides(redis_url="redis://127.0.0.1:1/0"))
    worker = Worker(**{**config, "burst": True})
    assert worker.in_progress_timeout_s <= 130
    # Still several times the measured compile of a million applications (~25 s).
    assert all((f.timeout_s or 0) >= 90 for f in config["functions"])


# ------------------------------------------------------------------ arq and Redis


def _emptied(redis_url: str) -> str:
    """This xdist worker's own Redis database (tests/support/workers.py), emptied: arq's
    queue and health-check keys are not namespaced, and these tests count them. The worker
    runs one test at a time, so no other test is using the database meanwhile."""
    redis.Redis.from_url(redis_url).flushdb()
    return redis_url


@pytest.mark.redis
async def test_arq_worker_compiles_the_report(
    ctx: AppContext, settings: Settings, redis_url: str
) -> None:
    fair_id = await _closed_fair(ctx, datetime.now(UTC) - timedelta(hours=1))
    url = _emptied(redis_url)
    runner = await ArqRunner.connect(url)
    try:
        await runner.enqueue("compile_fair_report", fair_id=fair_id)
        await runner.enqueue("compile_fair_report", fair_id=fair_id)  # a duplicate job
    finally:
        await runner.close()
    worker = create_worker(
        worker_settings(settings.with_overrides(redis_url=url)), burst=True, poll_delay=0.05
    )
    try:
        await worker.main()
    finally:
        await worker.close()
    assert await _versions(ctx, fair_id) == [1]


WORKER_SCRIPT = textwrap.dedent(
    """
    # Test-only: an arq worker whose compile is slowed down and says when it is busy.
    import sys

    from jobfair.worker import registry

    registry.TASK_TIMEOUT = 5.0  # arq re-runs an orphaned job TASK_TIMEOUT + 10 s later

    from arq import run_worker

    from jobfair.settings import Settings
    from jobfair.stats import compile as stats
    from jobfair.worker.arq_worker import worker_settings

    stats.STEP_DELAY = float(sys.argv[1])
    real_rows = stats._rows


    async def noisy_rows(session, statement):
        print("step", flush=True)
        return await real_rows(session, statement)


    stats._rows = noisy_rows
    run_worker(worker_settings(Settings.from_env()), burst=True, poll_delay=0.1)
    """
)


@pytest.mark.redis
async def test_a_worker_killed_mid_compile_leaves_one_complete_version(
    ctx: AppContext, settings: Settings, redis_url: str, tmp_path: Path
) -> None:
    fair_id = await _closed_fair(ctx, datetime.now(UTC) - timedelta(hours=1), applications=5)
    url = _emptied(redis_url)
    script = tmp_path / "slow_worker.py"
    script.write_text(WORKER_SCRIPT)
    env = {
        **os.environ,
        "JOBFAIR_DATABASE_URL": settings.database_url,
        "JOBFAIR_REDIS_URL": url,
        "JOBFAIR_SECRET_KEY": settings.secret_key,
        "JOBFAIR_NIK_KEY": settings.nik_key,
        "JOBFAIR_DATA_DIR": str(settings.data_dir),
        "JOBFAIR_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }

    async def run(*args: str) -> tuple[int, bytes]:
        process = await asyncio.create_subprocess_exec(
            *args, env=env, cwd=ROOT, stdout=PIPE, stderr=PIPE
        )
        _out, err = await asyncio.wait_for(process.communicate(), 120)
        return process.returncode or 0, err

    check = (sys.executable, "-m", "arq", "--check", "jobfair.worker.WorkerSettings")
    # No worker has reported yet: the health check fails.
    assert (await run(*check))[0] == 1

    runner = await ArqRunner.connect(url)
    try:
        await runner.enqueue("compile_fair_report", fair_id=fair_id)
    finally:
        await runner.close()
    worker = await asyncio.create_subprocess_exec(
        sys.executable, str(script), "1.0", env=env, cwd=ROOT, stdout=PIPE
    )
    try:
        assert worker.stdout is not None
        steps = 0
        while steps < 3:  # well inside the compile, between two aggregate statements
            line = await asyncio.wait_for(worker.stdout.readline(), 60)
            assert line, "the worker ended before compiling"
            steps += line.strip() == b"step"
        assert (await run(*check))[0] == 0  # a running worker passes the health check
        worker.send_signal(signal.SIGKILL)
        await asyncio.wait_for(worker.wait(), 30)
    finally:
        if worker.returncode is None:
            worker.kill()
            await worker.wait()
    assert await _versions(ctx, fair_id) == []  # nothing half-written

    # Restarted: arq re-runs the orphaned job once its in-progress mark expires, and the
    # sweep at start-up finds the fair owed; exactly one version comes out of both.
    returncode, errors = await run(sys.executable, str(script), "0")
    assert returncode == 0, errors.decode()[-2000:]
    assert await _versions(ctx, fair_id) == [1]
    report = await _report(ctx, fair_id)
    assert {item["key"]: item["value"] for item in report.data["headline"]}["applications"] == 5
    assert len(report.data["tables"]) == 17  # with booth_conversations
    pending = redis.Redis.from_url(url).zcard("arq:queue")
    assert pending == 0
