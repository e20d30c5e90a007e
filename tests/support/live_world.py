"""A small open fair for tests that run the app as a real server (uvicorn in a thread or
a subprocess): the data is written before the server starts, on the real clock. And
``web_process``: the app as the Procfile runs it, in a subprocess (``web_processes``: several);
``redis_server``: a Redis of the test's own, to stop and start again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from jobfair.context import AppContext
from jobfair.db.migrate import upgrade
from jobfair.models import User
from jobfair.models.accounts import Role
from jobfair.services import auth
from jobfair.settings import Settings
from jobfair.web.auth import SESSION_COOKIE, session_signer
from support import factories
from support.live_server import IN_CI, free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class World:
    fair_id: int
    fair_slug: str
    booth_id: int
    company_slug: str
    vacancy_ids: list[int]
    applicant_tokens: list[str]
    organiser_cookie: str
    foreign_organiser_cookie: str
    recruiter_cookie: str


async def build_world(settings: Settings, *, applicants: int = 3, vacancies: int = 2) -> World:
    ctx = AppContext.create(settings)
    now = datetime.now(UTC)
    try:
        await upgrade(ctx.engine)
        async with ctx.unit_of_work() as session:
            office = await factories.office(session)
            fair = await factories.fair(
                session, office_row=office, opens_at=now - timedelta(days=1)
            )
            company = await factories.company(session)
            booth = await factories.booth(session, fair_row=fair, company_row=company)
            vacancy_rows = [
                await factories.vacancy(session, booth_row=booth) for _ in range(vacancies)
            ]
            tokens = []
            for _ in range(applicants):
                person = await factories.applicant(session, vault=ctx.nik_vault)
                user = await session.get(User, person.user_id)
                assert user is not None
                tokens.append(
                    (await auth.create_api_token(session, user, lifetime=factories.TOKEN_LIFETIME))[
                        0
                    ]
                )
            organiser = User(
                email=f"petugas-{fair.slug}@example.test",
                password_hash="x",
                role=Role.ORGANISER,
                full_name="Petugas Antar Kerja",
                office_id=office.id,
            )
            foreign = User(
                email=f"lain-{fair.slug}@example.test",
                password_hash="x",
                role=Role.ORGANISER,
                full_name="Petugas Kantor Lain",
                office_id=(await factories.office(session)).id,
            )
            session.add_all([organiser, foreign])
            await session.flush()
            recruiter = await factories.recruiter(session, company_row=company)
            signer = session_signer(settings.secret_key)
            cookies = []
            for user in (organiser, foreign, recruiter):
                raw, _row = await auth.start_session(session, user, now)
                cookies.append(f"{SESSION_COOKIE}={signer.sign(raw).decode()}")
            return World(
                fair_id=fair.id,
                fair_slug=fair.slug,
                booth_id=booth.id,
                company_slug=company.slug,
                vacancy_ids=[row.id for row in vacancy_rows],
                applicant_tokens=tokens,
                organiser_cookie=cookies[0],
                foreign_organiser_cookie=cookies[1],
                recruiter_cookie=cookies[2],
            )
    finally:
        await ctx.close()


def process_environment(settings: Settings, redis_url: str, namespace: str) -> dict[str, str]:
    """The environment of a web process on ``settings``'s database behind ``redis_url``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("JOBFAIR_")}
    env.update(
        JOBFAIR_DATABASE_URL=settings.database_url,
        JOBFAIR_SECRET_KEY=settings.secret_key,
        JOBFAIR_NIK_KEY=settings.nik_key,
        JOBFAIR_DATA_DIR=str(settings.data_dir),
        JOBFAIR_REDIS_URL=redis_url,
        JOBFAIR_REDIS_NAMESPACE=namespace,
        JOBFAIR_SWEEP_SECONDS="0",
        JOBFAIR_LOG_LEVEL="WARNING",
    )
    return env


def _launch(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``uvicorn --factory jobfair.app:asgi`` as the Procfile runs it, on a free port."""
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "jobfair.app:asgi",
        "--host", "127.0.0.1", "--port", str(port), "--ws-per-message-deflate", "false",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 - fixed arguments
    return process, f"http://127.0.0.1:{port}"


def _wait_healthy(process: subprocess.Popen[bytes], base: str, deadline: float) -> None:
    while True:
        assert process.poll() is None, "the web process exited during start-up"
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the web process did not start"
        time.sleep(0.2)


def start_web_process(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """A started web process whose handle the caller keeps (to kill it outright)."""
    process, base = _launch(env)
    try:
        _wait_healthy(process, base, time.monotonic() + 60)
    except BaseException:
        _stop(process)
        raise
    return process, base


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def web_processes(env: dict[str, str], count: int) -> Iterator[list[str]]:
    """``count`` web processes on one environment (one database, one Redis), started
    side by side (their start-ups overlap); yields their URLs."""
    started = [_launch(env) for _ in range(count)]
    try:
        deadline = time.monotonic() + 60
        for process, base in started:
            _wait_healthy(process, base, deadline)
        yield [base for _process, base in started]
    finally:
        for process, _base in started:
            _stop(process)


@contextmanager
def web_process(env: dict[str, str]) -> Iterator[str]:
    """``uvicorn --factory jobfair.app:asgi`` as the Procfile runs it; yields its URL."""
    with web_processes(env, 1) as (base,):
        yield base


def require_redis_server() -> None:
    """Skip (fail in CI) a test that starts a Redis of its own when there is none."""
    if shutil.which("redis-server") is None:
        message = "redis-server is not installed (apt install redis-server)"
        if IN_CI:
            pytest.fail(message + " — required in CI", pytrace=False)
        pytest.skip(message)


@contextmanager
def redis_server(port: int, folder: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A Redis of the test's own on ``port`` (so that the test can stop it), no persistence."""
    binary = shutil.which("redis-server")
    assert binary is not None
    command = [
        binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", str(folder),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
    try:
        deadline = time.monotonic() + 15
        import redis

        while True:
            try:
                redis.Redis(port=port, socket_connect_timeout=0.5).ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.1)
        yield process
    finally:
        process.kill()
        process.wait()
