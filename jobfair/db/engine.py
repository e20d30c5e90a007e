"""Engine creation: SQLite gets WAL, a busy timeout and foreign keys; PostgreSQL a pool."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import PoolResetState

from jobfair.db import sqlite_driver
from jobfair.db.uow import SessionMaker


def _sqlite_file(url: str) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    return Path(database)


def create_engine(database_url: str, **kwargs: Any) -> AsyncEngine:
    if database_url.startswith("sqlite"):
        path = _sqlite_file(database_url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            database_url,
            # One hop to aiosqlite's thread per statement instead of four (sqlite_driver).
            module=sqlite_driver.dbapi(),
            connect_args={"timeout": 30},
            hide_parameters=True,
            # The pool's own rollback on return is replaced by _sqlite_reset.
            pool_reset_on_return=None,
            **kwargs,
        )

        @event.listens_for(engine.sync_engine, "reset")
        def _sqlite_reset(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
            # The pool rolls back every connection it gets back, after a commit too: on
            # aiosqlite a hop to the connection's thread and back on every request.
            # SQLite says whether a transaction is open (a plain attribute read, no
            # hop), so only a connection still in one is rolled back; a connection
            # closed mid-transaction was already rolled back by SQLAlchemy itself.
            if not state.asyncio_safe:
                return  # being discarded outside the event loop: nothing to await
            if dbapi_connection.driver_connection.in_transaction:
                dbapi_connection.rollback()

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # WAL lets readers run during a write; busy_timeout makes writers queue
            # instead of failing with "database is locked"; SQLite leaves FKs off.
            # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin) instead of the driver.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Deleted rows (an erased account's NIK fingerprint, name, contacts) are
            # overwritten with zeros instead of lingering in free pages of the file.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _sqlite_begin(connection: Any) -> None:
            # A deferred transaction that reads and then writes must upgrade its lock
            # mid-way, and SQLite answers "database is locked" at once instead of
            # waiting; writers therefore take the write lock up front and queue on
            # busy_timeout, while readers stay deferred and never block each other.
            options = connection.get_execution_options()
            if options.get("isolation_level") == "AUTOCOMMIT" or options.get(SINGLE_STATEMENT):
                # Statements that may not run in a transaction (a checkpoint), or one
                # statement alone (create_lookup_sessionmaker): SQLite's autocommit.
                return
            if options.get("sqlite_immediate"):
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.exec_driver_sql("BEGIN")

        return engine
    # hide_parameters: SQL errors must not carry personal data into logs. No pre-ping:
    # it was a round trip on every checkout (6 of an apply's ~16). A connection the
    # server dropped fails its request instead, which answers 503 with Retry-After
    # (web.errors); the failure invalidates the pool's older connections, so the next
    # request gets a fresh one.
    return create_async_engine(database_url, hide_parameters=True, **kwargs)


def create_sessionmakers(engine: AsyncEngine) -> tuple[SessionMaker, SessionMaker]:
    """A sessionmaker for writing units of work and one for read-only requests."""
    writer = async_sessionmaker(
        engine.execution_options(sqlite_immediate=True), expire_on_commit=False
    )
    reader = async_sessionmaker(engine, expire_on_commit=False)
    return writer, reader


# Execution option of create_lookup_sessionmaker's engine on SQLite.
SINGLE_STATEMENT = "jobfair_single_statement"


def create_lookup_sessionmaker(engine: AsyncEngine) -> SessionMaker:
    """Sessions for a read of one statement with no transaction around it: the sign-in
    lookup that every request makes (``web.auth``). A transaction adds nothing to one
    statement but its BEGIN and COMMIT — two of the lookup's three round trips (hops to
    aiosqlite's thread on SQLite). PostgreSQL's autocommit; on SQLite the ``begin``
    listener emits no BEGIN and the driver skips a commit with nothing to commit
    (``sqlite_driver``). Never for writes or for reads of more than one statement, which
    need a transaction's snapshot."""
    if engine.dialect.name == "sqlite":
        bound = engine.execution_options(**{SINGLE_STATEMENT: True})
    else:
        bound = engine.execution_options(isolation_level="AUTOCOMMIT")
    return async_sessionmaker(bound, expire_on_commit=False)


async def checkpoint_wal(engine: AsyncEngine) -> None:
    """Copy SQLite's write-ahead log into the database file and empty it, so the old
    versions of pages a deletion changed leave the WAL too (with ``secure_delete`` the
    file itself holds zeros). Nothing to do on PostgreSQL, whose VACUUM reclaims them."""
    if engine.dialect.name != "sqlite":
        return
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
