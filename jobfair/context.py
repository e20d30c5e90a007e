"""The application's resources, built by the lifespan and shared by handlers and tasks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncEngine

from jobfair.db.engine import create_engine, create_lookup_sessionmaker, create_sessionmakers
from jobfair.db.uow import SessionMaker, UnitOfWork
from jobfair.live.content import watch_content
from jobfair.services.identity import NikVault, Passwords
from jobfair.settings import Settings

if TYPE_CHECKING:
    from jobfair.live.layer import LiveLayer
    from jobfair.worker.runner import TaskRunner


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class AppContext:
    settings: Settings
    engine: AsyncEngine
    writer: SessionMaker
    reader: SessionMaker
    nik_vault: NikVault
    # Hashes and verifies passwords off the loop; callers use it before a unit of work.
    passwords: Passwords
    clock: Callable[[], datetime] = field(default=system_clock)
    # One-statement reads without a transaction (the per-request sign-in lookup); the
    # reader where unset.
    lookups: SessionMaker | None = None
    # Set by the lifespan (web) or left unset (CLI commands that enqueue nothing).
    tasks: TaskRunner | Any = None
    # Set by the lifespan (web) and the arq worker; None where nothing is live (CLI).
    live: LiveLayer | None = None
    # SQLite: this process's writers queue on this lock (see UnitOfWork); None elsewhere.
    write_lock: asyncio.Lock | None = None
    # The path of a route by its name (``me:applications``), from the route table; set
    # where the table is built (the web app, the worker). Services never import routes or
    # write paths: their callers hand them links made here.
    paths: Callable[..., str] | None = None
    # Other listeners of committed signals besides the live layer (the web process's
    # public page cache); each must return at once, like LiveLayer.submit.
    listeners: list[Callable[[list[Any]], None]] = field(default_factory=list)

    @classmethod
    def create(
        cls, settings: Settings, *, clock: Callable[[], datetime] | None = None
    ) -> AppContext:
        # Every flush of a row a public page shows says so after its commit.
        watch_content()
        engine = create_engine(settings.database_url)
        writer, reader = create_sessionmakers(engine)
        return cls(
            settings=settings,
            engine=engine,
            writer=writer,
            reader=reader,
            lookups=create_lookup_sessionmaker(engine),
            nik_vault=NikVault(settings.nik_key),
            passwords=Passwords.from_settings(settings),
            clock=clock or system_clock,
            write_lock=asyncio.Lock() if settings.is_sqlite else None,
        )

    def unit_of_work(self) -> UnitOfWork:
        """A writing transaction: commits, then runs the after-commit effects."""
        enqueue = self.tasks.enqueue if self.tasks is not None else None
        return UnitOfWork(self.writer, enqueue, self._publish, write_lock=self.write_lock)

    def _publish(self, signals: list[Any]) -> None:
        if self.live is not None:
            self.live.submit(signals)
        for listener in self.listeners:
            listener(signals)

    def read(self) -> UnitOfWork:
        """A read-only transaction (never takes SQLite's write lock)."""
        return UnitOfWork(self.reader)

    def lookup(self) -> UnitOfWork:
        """A read of ONE statement, outside any transaction (see
        ``create_lookup_sessionmaker``): the sign-in lookup of every request."""
        return UnitOfWork(self.lookups or self.reader)

    def now(self) -> datetime:
        return self.clock()

    def path_for(self, name: str, /, **params: Any) -> str:
        """The path of the route ``name``, e.g. ``path_for("me:application", application_id=3)``."""
        if self.paths is None:
            raise RuntimeError(f"no route table in this process to find {name!r}")
        return self.paths(name, **params)

    async def close(self) -> None:
        self.passwords.close()
        await self.engine.dispose()
