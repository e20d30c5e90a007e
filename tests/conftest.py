"""Test fixtures: the app on real migrations, on SQLite and (when reachable) PostgreSQL.

Every database test runs once per backend. SQLite is always there. PostgreSQL is the
database named by ``JOBFAIR_TEST_DATABASE_URL`` (default: the local ``test`` database);
outside CI its tests skip with the reason when it cannot be reached, in CI they fail.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from support.clock import Clock
from support.workers import worker_name, worker_redis_url

from jobfair.app import create_app
from jobfair.context import AppContext
from jobfair.db.base import Base
from jobfair.db.engine import create_engine
from jobfair.db.migrate import upgrade
from jobfair.settings import Settings

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DEFAULT_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
PG_URL = os.environ.get("JOBFAIR_TEST_DATABASE_URL") or DEFAULT_PG_URL


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
async def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for every test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    await _migrate(f"sqlite+aiosqlite:///{path}")
    return path


async def _postgres_reachable(url: str) -> str | None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # any failure to connect is a reason to skip (or fail in CI)
        return f"{type(exc).__name__}: {exc}"[:200]
    finally:
        await engine.dispose()


@dataclass(frozen=True)
class PostgresDatabase:
    url: str | None
    problem: str | None


@pytest.fixture(scope="session")
async def postgres_database() -> AsyncIterator[PostgresDatabase]:
    """A fresh database created for this test session on the PostgreSQL server, or the
    reason there is none (the PostgreSQL tests then skip, or fail in CI)."""
    problem = await _postgres_reachable(PG_URL)
    if problem:
        shown = make_url(PG_URL).render_as_string()
        yield PostgresDatabase(None, f"PostgreSQL at {shown} unreachable ({problem})")
        return
    # One per xdist worker (and per run: two checkouts may test against one server at once).
    name = f"jobfair_test_{worker_name()}_{uuid.uuid4().hex[:10]}"

    async def admin(statement: str) -> None:
        engine = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(statement))
        finally:
            await engine.dispose()

    await admin(f'CREATE DATABASE "{name}"')
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    await _migrate(url)
    try:
        yield PostgresDatabase(url, None)
    finally:
        await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    postgres_database: PostgresDatabase,
) -> AsyncIterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "jobfair.sqlite3"
        shutil.copy(sqlite_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    if postgres_database.url is None:
        if IN_CI:
            pytest.fail(f"{postgres_database.problem} — required in CI", pytrace=False)
        pytest.skip(f"{postgres_database.problem}; set JOBFAIR_TEST_DATABASE_URL to run these")
    await _empty_postgres(postgres_database.url)
    yield postgres_database.url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test-secret-key-not-for-production",
        nik_key="test-nik-key-not-for-production",
        data_dir=tmp_path / "data",
        # Tests run owed work explicitly; a background sweep would race with them.
        sweep_seconds=0,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 5, 3, 0, tzinfo=UTC))


@pytest.fixture
async def app(settings: Settings, clock: Clock) -> AsyncIterator[Starlette]:
    application = create_app(settings, clock=clock)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def ctx(app: Starlette) -> AppContext:
    return app.state.ctx


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


REDIS_URL = os.environ.get("JOBFAIR_TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The real Redis for integration tests, on this xdist worker's own database
    (tests/support/workers.py): skipped outside CI when unreachable."""
    import redis

    url = worker_redis_url(REDIS_URL)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure to connect is a reason to skip (or fail in CI)
        message = f"Redis at {url} unreachable ({type(exc).__name__})"
        if IN_CI:
            pytest.fail(message + " — required in CI", pytrace=False)
        pytest.skip(message + "; set JOBFAIR_TEST_REDIS_URL to run these tests")
    return url


# ------------------------------------------------------------ browser journeys


def _scene_settings(folder: Path) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{folder / 'journeys.sqlite3'}",
        secret_key="browser-test-secret",
        nik_key="browser-test-nik-key",
        data_dir=folder / "data",
        sweep_seconds=0,
    )


@pytest.fixture(scope="session")
def scene_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The browser scene's database (tests/support/browser_scene.py), built once: migrations and
    password hashes take seconds; each test gets its own copy."""
    from support.browser_scene import build_scene, run_async
    from support.live_server import require_browser

    require_browser()
    folder = tmp_path_factory.mktemp("scene")
    built = run_async(lambda: build_scene(_scene_settings(folder)))
    return folder / "journeys.sqlite3", built


@pytest.fixture
def scene(scene_template: tuple[Path, dict[str, Any]], tmp_path: Path) -> Iterator[Any]:
    from support.browser_scene import Scene
    from support.live_server import serve

    database, built = scene_template
    # Closed cleanly, SQLite has folded its WAL back into the file: one file to copy.
    assert not database.with_name(database.name + "-wal").exists()
    shutil.copyfile(database, tmp_path / database.name)
    settings = _scene_settings(tmp_path)
    with serve(settings) as base:
        yield Scene(base=base, settings=settings, **built)


@pytest.fixture
def pw() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture
def scene_pair(
    scene_template: tuple[Path, dict[str, Any]], tmp_path: Path, redis_url: str
) -> Iterator[tuple[Any, Any]]:
    """The browser scene served by two web processes (subprocesses, as the Procfile
    runs them) on one SQLite file behind one Redis: the first is the applicant's, the
    second the recruiter's, so everything one sees of the other crossed Redis."""
    from support.browser_scene import Scene
    from support.live_world import process_environment, web_processes

    database, built = scene_template
    assert not database.with_name(database.name + "-wal").exists()
    shutil.copyfile(database, tmp_path / database.name)
    namespace = f"pair-{uuid.uuid4().hex[:8]}"
    # The scenes' settings name the processes' Redis and namespace: what the test does
    # outside them (someone_else_joins) can tell them through their hub.
    settings = _scene_settings(tmp_path).with_overrides(
        redis_url=redis_url, redis_namespace=namespace
    )
    env = process_environment(settings, redis_url, namespace)
    with web_processes(env, 2) as (base_a, base_b):
        yield (
            Scene(base=base_a, settings=settings, **built),
            Scene(base=base_b, settings=settings, **built),
        )
