"""Task functions. Each takes the app context and ids, and is safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, or_

from jobfair.context import AppContext
from jobfair.models import UserSession
from jobfair.worker import mail  # noqa: F401 - registers deliver_mail
from jobfair.worker.registry import task

SESSION_GRACE = timedelta(days=1)


@task("purge_expired_sessions")
async def purge_expired_sessions(ctx: AppContext) -> int:
    """Delete sessions that expired or were revoked more than a day ago."""
    cutoff = ctx.now() - SESSION_GRACE
    async with ctx.unit_of_work() as session:
        result = await session.execute(
            delete(UserSession).where(
                or_(UserSession.expires_at < cutoff, UserSession.revoked_at < cutoff)
            )
        )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# Tasks the sweep runs on every pass: each re-drives what the database says is owed.
SWEEP_TASKS = ("purge_expired_sessions", "deliver_mail")
