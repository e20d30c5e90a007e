"""The unit of work: one transaction per request or task, then its after-commit effects.

Services receive the SQLAlchemy session, flush (never commit) and record effects with
:func:`after_commit`, :func:`enqueue_after_commit` (a task) and :func:`signal_after_commit`
(a live-counter signal). The unit of work commits and only then runs the effects, so
nothing is published or enqueued for a transaction that rolled back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

SessionMaker = async_sessionmaker[AsyncSession]
Effect = Callable[[], Awaitable[Any]]
Enqueue = Callable[..., Awaitable[None]]
# Takes the signals of one committed transaction; must not block (see jobfair.live).
Publish = Callable[[list[Any]], None]

# As long as SQLite's busy_timeout (jobfair.db.engine): a writer waits that long at most.
WRITE_LOCK_TIMEOUT = 30.0
_EFFECTS_KEY = "jobfair_after_commit"
_TASKS_KEY = "jobfair_tasks"
_SIGNALS_KEY = "jobfair_signals"
logger = logging.getLogger(__name__)


def after_commit(session: AsyncSession, effect: Effect) -> None:
    """Run ``effect`` once the session's transaction has committed."""
    session.info.setdefault(_EFFECTS_KEY, []).append(effect)


def enqueue_after_commit(
    session: AsyncSession, name: str, *, defer_by: float | None = None, **kwargs: Any
) -> None:
    """Enqueue task ``name`` (with ids) once the transaction has committed. Services use
    this instead of knowing the task runner; without a runner (some CLI commands) the
    task is left to the sweep, which re-drives whatever the database says is owed."""
    if defer_by:
        kwargs = {**kwargs, "defer_by": defer_by}
    session.info.setdefault(_TASKS_KEY, []).append((name, kwargs))


def signal_after_commit(session: AsyncSession, signal: Any) -> None:
    """Hand ``signal`` (a :mod:`jobfair.live.signals` value) to the live layer once the
    transaction has committed; dropped on rollback, and ignored where nothing listens."""
    session.info.setdefault(_SIGNALS_KEY, []).append(signal)


class UnitOfWork:
    """``async with UnitOfWork(maker) as session:`` commits on success, rolls back on error."""

    def __init__(
        self,
        maker: SessionMaker,
        enqueue: Enqueue | None = None,
        publish: Publish | None = None,
        *,
        write_lock: asyncio.Lock | None = None,
    ) -> None:
        self._maker = maker
        self._enqueue = enqueue
        self._publish = publish
        self._write_lock = write_lock
        self._holding = False
        self.session: AsyncSession | None = None

    async def __aenter__(self) -> AsyncSession:
        if self._write_lock is not None:
            # SQLite has one writer. Writers of this process queue here, in order,
            # instead of on busy_timeout, whose back-off sleeps (up to 100 ms a try)
            # leave the lock idle while writers wait: under a burst of applications
            # that cut throughput several-fold and stretched p99 to seconds. Waiting
            # as long as busy_timeout keeps its failure mode ("database is locked").
            try:
                if self._write_lock.locked():
                    await asyncio.wait_for(self._write_lock.acquire(), WRITE_LOCK_TIMEOUT)
                else:
                    await self._write_lock.acquire()
            except TimeoutError:
                raise OperationalError(
                    "BEGIN IMMEDIATE", None, Exception("database is locked (write queue)")
                ) from None
            self._holding = True
        try:
            self.session = self._maker()
        except BaseException:
            self._release()
            raise
        return self.session

    def _release(self) -> None:
        if self._holding and self._write_lock is not None:
            self._holding = False
            self._write_lock.release()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        assert session is not None
        try:
            if exc_type is None:
                await session.commit()
                effects: list[Effect] = session.info.pop(_EFFECTS_KEY, [])
                tasks: list[tuple[str, dict[str, Any]]] = session.info.pop(_TASKS_KEY, [])
                signals: list[Any] = session.info.pop(_SIGNALS_KEY, [])
            else:
                await session.rollback()
                effects, tasks, signals = [], [], []
        finally:
            try:
                await session.close()
            finally:
                self._release()
        if signals and self._publish is not None:
            try:
                self._publish(signals)
            except Exception:
                logger.exception("publishing live signals failed")
        for effect in effects:
            # An effect failing (Redis away, say) must not turn a committed write into
            # an error for the user: the database is the truth and the sweep re-drives.
            try:
                await effect()
            except Exception:
                logger.exception("after-commit effect failed")
        for name, kwargs in tasks:
            if self._enqueue is None:
                continue
            try:
                await self._enqueue(name, **kwargs)
            except Exception:
                logger.exception("enqueueing task %s failed", name)
