"""The schema comes only from Alembic migrations, and they agree with the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from jobfair.db.base import Base
from jobfair.db.engine import create_engine
from jobfair.db.migrate import current_revision, head_revision, upgrade


async def test_migrations_match_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
        assert differences == [], f"models and migrations disagree: {differences}"
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()


async def test_every_model_table_is_created(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        assert set(Base.metadata.tables) <= tables
    finally:
        await engine.dispose()


async def test_upgrade_is_idempotent(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await upgrade(engine)  # already at head: nothing to do, no error
        assert await current_revision(engine) == head_revision()
    finally:
        await engine.dispose()


async def test_sqlite_pragmas(tmp_path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'p.sqlite3'}")
    try:
        async with engine.connect() as connection:
            journal = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
            foreign_keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
            busy = (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()
        assert (journal, foreign_keys, busy) == ("wal", 1, 30000)
    finally:
        await engine.dispose()
