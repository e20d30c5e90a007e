"""Alembic environment.

``jobfair.db.migrate`` hands in a live synchronous connection (taken from the async
engine with ``run_sync``), so migrations run inside whatever event loop the caller has.
Run directly by Alembic's own command line, it opens the configured URL itself.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

import jobfair.models  # noqa: F401  (registers every table)
from jobfair.db.base import Base
from jobfair.db.engine import create_engine

config = context.config
target_metadata = Base.metadata


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode recreates the table.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_standalone(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(run_on)
    finally:
        await engine.dispose()


given = config.attributes.get("connection")
if given is not None:
    run_on(given)
elif context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_standalone(config.get_main_option("sqlalchemy.url") or ""))
