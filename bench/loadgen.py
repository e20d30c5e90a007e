"""Shared by the side-by-side benchmarks: servers in child processes on loopback, one
async load generator (httpx, N connections, bounded in count and time), percentiles,
and throw-away databases (a SQLite file, or a fresh database on a PostgreSQL server).

The load generator runs in this process and every server in its own, so the product
and its bare reference are driven the same way and compete for the same two cores.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url

from jobfair.db.engine import create_engine
from jobfair.db.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-secret-key-not-for-production"  # noqa: S105 - throwaway
NIK_KEY = "bench-nik-key-not-for-production"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def jobfair_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("JOBFAIR_")}
    env.update(
        JOBFAIR_DATABASE_URL=database_url,
        JOBFAIR_DATA_DIR=str(data_dir),
        JOBFAIR_SECRET_KEY=SECRET_KEY,
        JOBFAIR_NIK_KEY=NIK_KEY,
        JOBFAIR_LOG_LEVEL="WARNING",
        **extra,
    )
    return env


@contextmanager
def server(
    command: Sequence[str],
    env: dict[str, str],
    ready_path: str,
    *,
    cwd: Path = ROOT,
    port: int | None = None,
) -> Iterator[str]:
    """Run ``command`` (which must listen on the port in ``{port}``: ``port``, or a free
    one) in ``cwd`` (another checkout runs that checkout's code); yields the base URL
    once ``ready_path`` answers 200."""
    port = port or free_port()
    argv = [part.replace("{port}", str(port)) for part in command]
    process = subprocess.Popen(argv, env=env, cwd=cwd)  # noqa: S603 - our own commands
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}: {argv}")
            try:
                if httpx.get(base_url + ready_path, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not come up: {argv}")
            time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def uvicorn_command(app: str, *, factory: bool = True) -> list[str]:
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", "{port}"]
    command += ["--log-level", "warning", "--no-access-log"]
    return command + (["--factory"] if factory else [])


@dataclass(frozen=True)
class Call:
    """One request of a run and the status that counts as success."""

    method: str
    path: str
    expect: int
    headers: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] | None = None
    json: dict[str, Any] | None = None


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int | str, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    def summary(self) -> dict[str, Any]:
        return {
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile(0.50), 2),
            "p99_ms": round(self.percentile(0.99), 2),
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
        }


async def drive(
    base_url: str,
    calls: Sequence[Call],
    *,
    connections: int,
    max_requests: int,
    max_seconds: float,
    warmup: int = 50,
) -> Result:
    """Send ``calls`` in order over ``connections`` keep-alive connections: the first
    ``warmup`` unmeasured, then at most ``max_requests`` or ``max_seconds``."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    timeout = httpx.Timeout(60.0)
    latencies: list[float] = []
    statuses: dict[int | str, int] = {}
    errors = 0
    position = 0

    async def worker(client: httpx.AsyncClient, stop_at: int, deadline: float) -> None:
        nonlocal position, errors
        while position < stop_at and time.perf_counter() < deadline:
            call = calls[position]
            position += 1
            started = time.perf_counter()
            try:
                response = await client.request(
                    call.method, call.path, headers=call.headers, data=call.data, json=call.json
                )
                status: int | str = response.status_code
            except httpx.TransportError as error:
                status = type(error).__name__
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if status != call.expect:
                errors += 1

    async with httpx.AsyncClient(base_url=base_url, timeout=timeout, limits=limits) as client:
        warm = min(warmup, len(calls))
        await asyncio.gather(*(worker(client, warm, float("inf")) for _ in range(connections)))
        latencies.clear()
        statuses.clear()
        errors = 0
        stop_at = min(len(calls), warm + max_requests)
        started = time.perf_counter()
        deadline = started + max_seconds
        await asyncio.gather(*(worker(client, stop_at, deadline) for _ in range(connections)))
        elapsed = time.perf_counter() - started
    return Result(len(latencies), errors, elapsed, latencies, statuses)


@asynccontextmanager
async def database(postgres_url: str | None, directory: Path, name: str) -> AsyncIterator[str]:
    """A migrated, empty database: a SQLite file in ``directory``, or (with
    ``postgres_url``) a fresh database on that server, dropped afterwards."""
    if postgres_url is None:
        url = f"sqlite+aiosqlite:///{directory / (name + '.sqlite3')}"
        engine = create_engine(url)
        await upgrade(engine)
        await engine.dispose()
        yield url
        return
    temporary = f"jobfair_bench_{name}_{uuid.uuid4().hex[:8]}"

    async def admin(statement: str) -> None:
        engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(statement))
        finally:
            await engine.dispose()

    await admin(f'CREATE DATABASE "{temporary}"')
    url = make_url(postgres_url).set(database=temporary).render_as_string(hide_password=False)
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    try:
        yield url
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{temporary}" WITH (FORCE)')


def backend_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


async def analyze(url: str) -> None:
    """Planner statistics, as a database has them in steady state (autovacuum, or
    SQLite's ``ANALYZE``). Right after a bulk load PostgreSQL has none: it planned the
    keyword search of the demo fair as a nested loop of 12 ms instead of 0.3 ms."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()
