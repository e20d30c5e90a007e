"""The unit of work: one transaction per request or task, then its after-commit effects.

Services receive the SQLAlchemy session, flush (never commit) and record effects with
:func:`after_commit` — a live-counter update, a task to enqueue. The unit of work commits
and only then runs the effects, so nothing is published or enqueued for a transaction
that rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

SessionMaker = async_sessionmaker[AsyncSession]
Effect = Callable[[], Awaitable[Any]]
Enqueue = Callable[..., Awaitable[None]]

_EFFECTS_KEY = "jobfair_after_commit"
_TASKS_KEY = "jobfair_tasks"
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


class UnitOfWork:
    """``async with UnitOfWork(maker) as session:`` commits on success, rolls back on error."""

    def __init__(self, maker: SessionMaker, enqueue: Enqueue | None = None) -> None:
        self._maker = maker
        self._enqueue = enqueue
        self.session: AsyncSession | None = None

    async def __aenter__(self) -> AsyncSession:
        self.session = self._maker()
        return self.session

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
            else:
                await session.rollback()
                effects, tasks = [], []
        finally:
            await session.close()
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
