"""Recording audited actions (``fair.published``, ``booth.approved``, ``cv.viewed``…)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.models import AuditLog


def record(
    session: AsyncSession,
    action: str,
    *,
    object_type: str,
    object_id: int | None,
    actor_user_id: int | None = None,
    fair_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditLog:
    """Add an audit row in the caller's transaction. ``data`` holds ids and codes only."""
    entry = AuditLog(
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_user_id=actor_user_id,
        fair_id=fair_id,
        data=data or {},
    )
    session.add(entry)
    return entry
