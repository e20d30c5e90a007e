"""The engine's pool (issue 14, item 2): on SQLite no rollback after a commit when a
connection goes back to the pool, but still one for a connection returned inside a
transaction; on PostgreSQL no pre-ping, and a connection the server killed costs one
clean 503 at most, after which the pool has recovered."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection

from jobfair.context import AppContext
from jobfair.db.engine import create_engine, create_sessionmakers
from jobfair.db.uow import UnitOfWork
from jobfair.models import LabourOffice


@pytest.fixture
def rollbacks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every rollback the aiosqlite connections are asked for."""
    seen: list[str] = []
    original = AsyncAdapt_aiosqlite_connection.rollback

    def counted(self: Any) -> None:
        seen.append("rollback")
        original(self)

    monkeypatch.setattr(AsyncAdapt_aiosqlite_connection, "rollback", counted)
    return seen


async def _offices(maker: Any) -> int:
    async with UnitOfWork(maker) as session:
        return int(await session.scalar(select(func.count()).select_from(LabourOffice)) or 0)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_sqlite_skips_the_rollback_after_a_commit(
    database_url: str, rollbacks: list[str]
) -> None:
    engine = create_engine(database_url)
    writer, reader = create_sessionmakers(engine)
    try:
        await _offices(reader)  # the first connection (the dialect's set-up rolls back)
        rollbacks.clear()
        async with UnitOfWork(writer) as session:
            session.add(LabourOffice(slug="disnaker-a", name="Disnaker A", regency_code="12.09"))
        assert rollbacks == []
        assert await _offices(reader) == 1  # a read-only unit of work commits too
        assert rollbacks == []
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_sqlite_still_rolls_back_what_is_left_open(
    database_url: str, rollbacks: list[str]
) -> None:
    engine = create_engine(database_url)
    writer, reader = create_sessionmakers(engine)
    try:
        with pytest.raises(RuntimeError):
            async with UnitOfWork(writer) as session:
                session.add(
                    LabourOffice(slug="disnaker-b", name="Disnaker B", regency_code="12.09")
                )
                await session.flush()
                raise RuntimeError("the request failed half-way")
        assert await _offices(reader) == 0
        # A connection handed back while SQLite still holds its write transaction (no
        # SQLAlchemy transaction around it) is rolled back by the pool's reset.
        async with engine.connect() as connection:
            raw = await connection.get_raw_connection()
            await connection.exec_driver_sql("COMMIT")  # end SQLAlchemy's BEGIN
            await raw.driver_connection.execute("BEGIN IMMEDIATE")
            await raw.driver_connection.execute("CREATE TABLE left_open (x INTEGER)")
            assert raw.driver_connection.in_transaction
            rollbacks.clear()
        assert rollbacks == ["rollback"]
        # Nothing was kept, and the write lock is free for the next writer.
        async with UnitOfWork(reader) as session:
            tables = await session.scalar(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'left_open'")
            )
            assert tables == 0
        async with UnitOfWork(writer) as session:
            session.add(LabourOffice(slug="disnaker-d", name="Disnaker D", regency_code="12.09"))
        assert await _offices(reader) == 1
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_postgres_checks_out_without_a_ping(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert engine.sync_engine.pool._pre_ping is False
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_killed_postgres_connection_costs_one_503_at_most(
    client: httpx.AsyncClient, ctx: AppContext, database_url: str
) -> None:
    for _ in range(3):  # connections into the pool
        assert (await client.get("/api/v1/fairs")).status_code == 200
    killer = create_engine(database_url)
    try:
        async with killer.connect() as connection:
            killed = await connection.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
        assert killed
    finally:
        await killer.dispose()
    first = await client.get("/api/v1/fairs")
    # The request that meets the dead connection fails cleanly (unless a background
    # task met it first); never a 500.
    assert first.status_code in {200, 503}, first.text[:300]
    if first.status_code == 503:
        assert first.headers["retry-after"] and first.json()["error"]["code"] == "unavailable"
    for _ in range(5):
        assert (await client.get("/api/v1/fairs")).status_code == 200
    assert (await client.get("/healthz")).json()["database"] == "ok"
