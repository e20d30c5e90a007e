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

_EFFECTS_KEY = "jobfair_after_commit"
logger = logging.getLogger(__name__)


def after_commit(session: AsyncSession, effect: Effect) -> None:
    """Run ``effect`` once the session's transaction has committed."""
    session.info.setdefault(_EFFECTS_KEY, []).append(effect)


class UnitOfWork:
    """``async with UnitOfWork(maker) as session:`` commits on success, rolls back on error."""

    def __init__(self, maker: SessionMaker) -> None:
        self._maker = maker
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
            else:
                await session.rollback()
                effects = []
        finally:
            await session.close()
        for effect in effects:
            # An effect failing (Redis away, say) must not turn a committed write into
            # an error for the user: the database is the truth and the sweep re-drives.
            try:
                await effect()
            except Exception:
                logger.exception("after-commit effect failed")
